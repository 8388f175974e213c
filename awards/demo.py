"""The demo registry: the 2021 year-end story of DOMAIN.md, with 2018-2020 history.

Collective honours follow the public news item; every individual is invented, and no
invented honour is attached to the officials the article names.
"""

import datetime
import functools
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import money, roles, services, text, workflow
from .choices import (
    PER_NOMINEE_ATTACHMENTS,
    AttachmentKind,
    AuthorityKind,
    AuthorityLevel,
    DecisionKind,
    DisciplineForm,
    DossierAction,
    InitiativeKind,
    PaperSize,
    Rank,
    RecognitionLevel,
    SigningPrefix,
    TaskRating,
    TitleCategory,
    TitleFor,
    UnitKind,
    default_hands_over,
    default_required_attachments,
    default_vote_threshold,
)
from .models import (
    Attachment,
    Authority,
    Award,
    BaseSalary,
    CertificateLayout,
    Ceremony,
    Council,
    Decision,
    Discipline,
    Dossier,
    DossierEvent,
    Initiative,
    Nominee,
    Person,
    PrizeCoefficient,
    Rating,
    ServiceBreak,
    Profile,
    Title,
    Unit,
)

DEMO_PASSWORDS = {
    "admin": "demo-admin-2021",
    "officer": "demo-officer-2021",
    "organiser": "demo-organiser-2021",
    "staff": "demo-staff-2021",
    # The road to a decision walked across levels: an officer of a Phòng and one of the Tổng cục.
    "phong": "demo-phong-2021",
    "tongcuc": "demo-tongcuc-2021",
}
# Whose units each officer account records for.
OFFICER_SCOPES = {"officer": "qlcn", "phong": "pcn", "tongcuc": "tc"}

UNITS = [
    # (key, parent key, kind, short name, full name)
    ("tc", None, UnitKind.UNIT, "TCCNQP", "Tổng cục Công nghiệp quốc phòng"),
    ("dbtc", "tc", UnitKind.PARTY, "Đảng bộ TCCNQP", "Đảng bộ Tổng cục Công nghiệp quốc phòng"),
    ("qlcn", "tc", UnitKind.UNIT, "Cục QLCN", "Cục Quản lý công nghệ"),
    ("kh", "tc", UnitKind.UNIT, "Cục KH-ĐT", "Cục Kế hoạch và Đầu tư"),
    ("db", "qlcn", UnitKind.PARTY, "Đảng bộ Cục", "Đảng bộ Cục Quản lý công nghệ"),
    ("dtn", "qlcn", UnitKind.YOUTH_UNION, "Đoàn TN Cục", "Đoàn Thanh niên Cục Quản lý công nghệ"),
    ("cd", "qlcn", UnitKind.TRADE_UNION, "Công đoàn Cục", "Công đoàn Cục Quản lý công nghệ"),
    ("vp", "qlcn", UnitKind.UNIT, "Văn phòng", "Văn phòng Cục Quản lý công nghệ"),
    ("pcn", "qlcn", UnitKind.UNIT, "Phòng Công nghệ", "Phòng Công nghệ sản xuất"),
    ("pkh", "qlcn", UnitKind.UNIT, "Phòng KHQS", "Phòng Khoa học quân sự"),
    ("ptc", "qlcn", UnitKind.UNIT, "Phòng TC-ĐL-CL", "Phòng Tiêu chuẩn – Đo lường – Chất lượng"),
    ("ptt", "qlcn", UnitKind.UNIT, "Phòng Thông tin", "Phòng Thông tin khoa học công nghệ"),
    ("bct", "qlcn", UnitKind.UNIT, "Ban Chính trị", "Ban Chính trị Cục Quản lý công nghệ"),
    ("khth", "kh", UnitKind.UNIT, "Phòng Kế hoạch", "Phòng Kế hoạch – Tổng hợp"),
    ("kdt", "kh", UnitKind.UNIT, "Phòng Đầu tư", "Phòng Đầu tư xây dựng"),
]
OFFICES = ["vp", "pcn", "pkh", "ptc", "ptt", "bct"]

AUTHORITIES = [
    # (key, name, level, kind, symbol, unit key)
    ("ctn", "Chủ tịch nước", AuthorityLevel.STATE, AuthorityKind.COMMAND, "QĐ-CTN", None),
    ("ttg", "Thủ tướng Chính phủ", AuthorityLevel.GOVERNMENT, AuthorityKind.COMMAND, "QĐ-TTg", None),
    ("bqp", "Bộ trưởng Bộ Quốc phòng", AuthorityLevel.MINISTRY, AuthorityKind.COMMAND, "QĐ-BQP", None),
    ("tc", "Chủ nhiệm Tổng cục Công nghiệp quốc phòng", AuthorityLevel.GENERAL_DEPARTMENT,
     AuthorityKind.COMMAND, "QĐ-TCCNQP", "tc"),
    ("dutc", "Đảng ủy Tổng cục Công nghiệp quốc phòng", AuthorityLevel.GENERAL_DEPARTMENT,
     AuthorityKind.PARTY, "QĐ-ĐU", "dbtc"),
    ("cuc", "Cục trưởng Cục Quản lý công nghệ", AuthorityLevel.DEPARTMENT, AuthorityKind.COMMAND, "QĐ-QLCN", "qlcn"),
    ("duc", "Đảng ủy Cục Quản lý công nghệ", AuthorityLevel.DEPARTMENT, AuthorityKind.PARTY, "QĐ-ĐU", "db"),
]

TITLES = [
    # (code, name, category, for, rank order, verb, wording)
    ("cstdtq", "Chiến sĩ thi đua toàn quốc", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 90,
     "TẶNG DANH HIỆU", "CHIẾN SĨ THI ĐUA TOÀN QUỐC"),
    ("cstdtqd", "Chiến sĩ thi đua toàn quân", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 70,
     "TẶNG DANH HIỆU", "CHIẾN SĨ THI ĐUA TOÀN QUÂN"),
    ("cstdcs", "Chiến sĩ thi đua cơ sở", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 40,
     "TẶNG DANH HIỆU", "CHIẾN SĨ THI ĐUA CƠ SỞ"),
    ("cstt", "Chiến sĩ tiên tiến", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 20,
     "TẶNG DANH HIỆU", "CHIẾN SĨ TIÊN TIẾN"),
    ("ldtt", "Lao động tiên tiến", TitleCategory.EMULATION_TITLE, TitleFor.INDIVIDUAL, 20,
     "TẶNG DANH HIỆU", "LAO ĐỘNG TIÊN TIẾN"),
    ("codtt", "Cờ thi đua", TitleCategory.EMULATION_TITLE, TitleFor.COLLECTIVE, 80, "TẶNG", "CỜ THI ĐUA"),
    ("dvqt", "Đơn vị quyết thắng", TitleCategory.EMULATION_TITLE, TitleFor.COLLECTIVE, 50,
     "TẶNG DANH HIỆU", "ĐƠN VỊ QUYẾT THẮNG"),
    ("dvtt", "Đơn vị tiên tiến", TitleCategory.EMULATION_TITLE, TitleFor.COLLECTIVE, 30,
     "TẶNG DANH HIỆU", "ĐƠN VỊ TIÊN TIẾN"),
    ("hcbvtq3", "Huân chương Bảo vệ Tổ quốc hạng Ba", TitleCategory.COMMENDATION, TitleFor.BOTH, 95,
     "TẶNG", "HUÂN CHƯƠNG BẢO VỆ TỔ QUỐC HẠNG BA"),
    ("bk", "Bằng khen", TitleCategory.COMMENDATION, TitleFor.BOTH, 60, "TẶNG", "BẰNG KHEN"),
    ("gk", "Giấy khen", TitleCategory.COMMENDATION, TitleFor.BOTH, 25, "TẶNG", "GIẤY KHEN"),
    # Length of service (niên hạn): insignia from the President, never printed here.
    ("hcqkqt", "Huy chương Quân kỳ quyết thắng", TitleCategory.COMMENDATION, TitleFor.INDIVIDUAL, 88,
     "TẶNG", "HUY CHƯƠNG QUÂN KỲ QUYẾT THẮNG"),
    ("hccsvv1", "Huy chương Chiến sĩ vẻ vang hạng Nhất", TitleCategory.COMMENDATION, TitleFor.INDIVIDUAL, 87,
     "TẶNG", "HUY CHƯƠNG CHIẾN SĨ VẺ VANG HẠNG NHẤT"),
    ("hccsvv2", "Huy chương Chiến sĩ vẻ vang hạng Nhì", TitleCategory.COMMENDATION, TitleFor.INDIVIDUAL, 86,
     "TẶNG", "HUY CHƯƠNG CHIẾN SĨ VẺ VANG HẠNG NHÌ"),
    ("hccsvv3", "Huy chương Chiến sĩ vẻ vang hạng Ba", TitleCategory.COMMENDATION, TitleFor.INDIVIDUAL, 85,
     "TẶNG", "HUY CHƯƠNG CHIẾN SĨ VẺ VANG HẠNG BA"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đoàn", "Doãn", "Đinh", "Trịnh", "Lương"]
# Roughly how common each family name is: Nguyễn alone is about a third of the country.
FAMILY_WEIGHTS = [30, 11, 9, 7, 5, 4, 4, 3, 2, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công", "Mạnh", "Tiến", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thu", "Hồng", "Ngọc", "Thanh", "Minh", "Thị Thu", "Bích"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam",
              "Phong", "Quân", "Sơn", "Thắng", "Thành", "Tú", "Tuấn", "Việt", "Ước", "Ơn", "Ánh"]
GIVEN_FEMALE = ["Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Tâm", "Thảo", "Trang",
                "Vân", "Yến", "Ngân", "Ánh"]
# The officials the news item names: never given invented honours.
RESERVED_NAMES = {"Dương Văn Yên", "Nguyễn Quang Huy"}
POSITIONS = ["Trưởng phòng", "Phó trưởng phòng", "Trợ lý", "Kỹ sư", "Nhân viên", "Trợ lý kỹ thuật"]
OFFICER_RANKS = [Rank.THIEU_UY, Rank.TRUNG_UY, Rank.THUONG_UY, Rank.DAI_UY, Rank.THIEU_TA, Rank.TRUNG_TA,
                 Rank.THUONG_TA, Rank.DAI_TA]
QNCN_RANKS = [Rank.THIEU_UY_QNCN, Rank.TRUNG_UY_QNCN, Rank.THUONG_UY_QNCN, Rank.DAI_UY_QNCN, Rank.THIEU_TA_QNCN]
STAFF_PERSON = "Trần Thị Minh Thư"
REASON = "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm {year}"
GOOD_REASON = "Đã có thành tích hoàn thành tốt nhiệm vụ năm {year}"


def _people(units, rng):
    made, names = [], {STAFF_PERSON} | RESERVED_NAMES
    while len(made) < 80:
        female = rng.random() < 0.3
        name = " ".join([
            rng.choices(FAMILY, FAMILY_WEIGHTS)[0],
            rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
            rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
        ])
        if name in names:
            continue
        names.add(name)
        roll = rng.random()
        rank = rng.choice(OFFICER_RANKS) if roll < 0.6 else rng.choice(QNCN_RANKS) if roll < 0.85 else None
        made.append((name, rank, rng.choice(POSITIONS), rng.choice(OFFICES)))
    made.insert(0, (STAFF_PERSON, Rank.THIEU_TA, "Trợ lý kỹ thuật", "pcn"))
    return made


def _get_or_save(model, lookup, values):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        services.record_save(instance=instance, by=None)
    return instance


@transaction.atomic
def build(stdout=None):
    """Create the demo registry; running it again adds nothing."""
    rng = random.Random(2021)
    roles.ensure_roles()
    units = {}
    for key, parent, kind, short, full in UNITS:
        units[key] = _get_or_save(Unit, {"full_name": full, "parent": units.get(parent)},
                                  {"short_name": short, "kind": kind})
    authorities = {}
    for key, name, level, kind, symbol, unit in AUTHORITIES:
        # The Prime Minister and the Minister keep their books above: their certificates arrive printed.
        authorities[key] = _get_or_save(Authority, {"name": name},
                                        {"level": level, "kind": kind, "symbol": symbol, "unit": units.get(unit),
                                         "keeps_book": unit is not None})
    titles = {}
    for code, name, category, for_, order, verb, wording in TITLES:
        titles[code] = _get_or_save(Title, {"code": code}, {
            "name": name, "category": category, "recipient_for": for_, "rank_order": order,
            "certificate_verb": verb, "certificate_name": wording, "hands_over": default_hands_over(name),
            "required_attachments": default_required_attachments(name, order),
            "vote_threshold": default_vote_threshold(name),
            "paper": PaperSize.A3 if code in {"codtt", "hcbvtq3"} else PaperSize.A4,
        })
    people = []
    for index, (name, rank, position, office) in enumerate(_people(units, rng), start=1):
        people.append(_get_or_save(Person, {"full_name": name}, {
            "rank": rank, "position": position, "unit": units[office],
            "service_number": f"QN-{19000000 + index * 37:08d}",
        }))
    _decisions(units, authorities, titles, people, rng)
    _evidence(units, people, random.Random(2022))
    _accounts(units, people[0])
    _ceremony_and_a_revocation(people)
    _layouts(titles)
    _dossiers(units, authorities, titles, people)
    from .rules import seed_domain_rules

    seed_domain_rules()
    money.seed(BaseSalary, PrizeCoefficient, Title)
    if stdout:
        stdout.write(f"Demo registry: {Unit.objects.count()} units, {Person.objects.count()} people, "
                     f"{Decision.objects.count()} decisions.")


def _grant(authorities, key, number, date, year, rows, *, subject, reason, signer, kind=DecisionKind.ANNUAL):
    authority = authorities[key]
    number = Decision.normalize_number(number)
    if Decision.objects.filter(authority=authority, number=number, issued_year=date.year).exists():
        return
    name, rank, title, prefix, behalf = signer
    decision = Decision(
        number=number, date=date, authority=authority, signer_name=name, signer_rank=rank,
        signer_title=title, signer_prefix=prefix, signer_on_behalf_of=behalf, subject=subject,
        reason=reason, kind=kind, achievement_year=year,
    )
    services.decision_grant(by=None, decision=decision, rows=rows)


CEREMONY_NAME = "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2021"

# Invented signers (the demo never puts a real official's name under an invented decision).
SIGNERS = {
    "ttg": ("Nguyễn Minh Tâm", None, "THỦ TƯỚNG", "", ""),
    "tc": ("Lê Hoàng Sơn", Rank.THIEU_TUONG, "PHÓ CHỦ NHIỆM", SigningPrefix.KT, "CHỦ NHIỆM"),
    "dutc": ("Phạm Đức Hạnh", Rank.THIEU_TUONG, "PHÓ BÍ THƯ", SigningPrefix.TM, "ĐẢNG ỦY"),
    "cuc": ("Vũ Thanh Bình", Rank.DAI_TA, "CỤC TRƯỞNG", "", ""),
    "duc": ("Hồ Quang Minh", Rank.DAI_TA, "BÍ THƯ", SigningPrefix.TM, "ĐẢNG ỦY"),
}


def _decisions(units, authorities, titles, people, rng):
    R = services.RecipientRow
    staff_person = people[0]
    core = people[1:6]  # basic-level emulation fighters three years running, for the rules
    for year in range(2018, 2022):
        day = datetime.date(year + 1, 1, 10)
        soldiers = [p for p in people if p.rank is not None]
        civilians = [p for p in people if p.rank is None]
        advanced = [p for p in soldiers if p is staff_person or p in core or rng.random() < 0.7]
        _grant(authorities, "cuc", f"{5 + year - 2018}/QĐ-QLCN", day, year,
               [R(person=p, title=titles["cstt"]) for p in advanced]
               + [R(person=p, title=titles["ldtt"]) for p in civilians if rng.random() < 0.7],
               subject="Về việc tặng danh hiệu Chiến sĩ tiên tiến năm " + str(year),
               reason=GOOD_REASON.format(year=year), signer=SIGNERS["cuc"])
        fighters = [p for p in advanced if (p in core and year >= 2019) or (p is staff_person and year >= 2020)
                    or (p not in core and p is not staff_person and rng.random() < 0.1)]
        _grant(authorities, "cuc", f"{12 + year - 2018}/QĐ-QLCN", day, year,
               [R(person=p, title=titles["cstdcs"]) for p in fighters],
               subject="Về việc tặng danh hiệu Chiến sĩ thi đua cơ sở năm " + str(year),
               reason=REASON.format(year=year), signer=SIGNERS["cuc"])
        praised = [p for p in people[6:] if rng.random() < 0.08] + ([staff_person] if year == 2019 else [])
        _grant(authorities, "cuc", f"{20 + year - 2018}/QĐ-QLCN", day + datetime.timedelta(days=2), year,
               [R(person=p, title=titles["gk"]) for p in praised]
               + [R(unit=units[o], title=titles["gk"]) for o in rng.sample(OFFICES, 2)]
               + [R(unit=units[o], title=titles["dvtt"]) for o in OFFICES],
               subject="Về việc tặng Giấy khen", reason=REASON.format(year=year), signer=SIGNERS["cuc"])
        merit = [p for p in people[6:] if rng.random() < 0.05] + ([staff_person] if year == 2021 else [])
        _grant(authorities, "tc", f"{40 + year - 2018}/QĐ-TCCNQP", day, year,
               [R(person=p, title=titles["bk"]) for p in merit] + [R(unit=units[rng.choice(OFFICES)], title=titles["bk"])],
               subject="Về việc tặng Bằng khen", reason=REASON.format(year=year), signer=SIGNERS["tc"])
    # A Bằng khen of the Minister (from above: its number printed on it), five excellent years before 2021.
    _grant(authorities, "bqp", "2345/QĐ-BQP", datetime.date(2017, 3, 20), 2016,
           [R(person=core[2], title=titles["bk"], register_number=8012)],
           subject="Về việc tặng Bằng khen của Bộ trưởng Bộ Quốc phòng", reason=REASON.format(year=2016),
           signer=("Trần Văn Quyết", Rank.THUONG_TUONG, "THỨ TRƯỞNG", SigningPrefix.KT, "BỘ TRƯỞNG"))
    # The collective honours of 2021 told in the news item.
    _grant(authorities, "ttg", "1956/QĐ-TTg", datetime.date(2021, 11, 25), 2021,
           # An honour from above: the register number printed on the Prime Minister's certificate.
           [R(unit=units["qlcn"], title=titles["bk"], register_number=1245,
              achievement="Đã có thành tích trong 12 năm thực hiện Pháp lệnh Công nghiệp quốc phòng")],
           subject="Về việc tặng Bằng khen của Thủ tướng Chính phủ",
           reason="Đã có thành tích trong 12 năm thực hiện Pháp lệnh Công nghiệp quốc phòng",
           signer=SIGNERS["ttg"], kind=DecisionKind.CAMPAIGN)
    _grant(authorities, "tc", "45/QĐ-TCCNQP", datetime.date(2022, 1, 10), 2021,
           [R(unit=units["qlcn"], title=titles["codtt"])],
           subject="Về việc tặng Cờ thi đua của Tổng cục Công nghiệp quốc phòng",
           reason="Đã có thành tích hoàn thành xuất sắc, toàn diện nhiệm vụ năm 2021, dẫn đầu phong trào thi đua",
           signer=SIGNERS["tc"])
    _grant(authorities, "dutc", "128-QĐ/ĐU", datetime.date(2022, 1, 8), 2021,
           [R(unit=units["db"], title=titles["bk"])],
           subject="Về việc tặng Bằng khen", signer=SIGNERS["dutc"],
           reason="Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2021, trong sạch vững mạnh tiêu biểu")


def _evidence(units, people, rng):
    """What the rules read, consistent with the honours above: each person's rating every year (a
    CSTĐCS rated excellent, most advanced ones well), initiatives behind the fighters, one
    disciplined person, enlistment dates, one break in service, and the offices' own ratings."""
    if Rating.objects.exists():
        return
    core = people[1:6]
    held = {}
    for pid, year, code in Award.objects.active().filter(person__in=people).values_list("person_id", "year",
                                                                                       "title__code"):
        held.setdefault((pid, year), set()).add(code)
    ratings = []
    for person in people:
        for year in range(2016, 2022):
            codes = held.get((person.pk, year), set())
            if "cstdcs" in codes or (person is core[2]):
                rating = TaskRating.EXCELLENT
            elif codes & {"cstt", "ldtt"}:
                rating = TaskRating.EXCELLENT if rng.random() < 0.25 else TaskRating.GOOD
            else:
                rating = TaskRating.COMPLETED if rng.random() < 0.9 else TaskRating.GOOD
            ratings.append(Rating(person=person, year=year, rating=rating))
    for key in OFFICES + ["qlcn"]:
        for year in range(2018, 2022):
            ratings.append(Rating(unit=units[key], year=year,
                                  rating=TaskRating.EXCELLENT if rng.random() < 0.6 else TaskRating.GOOD))
    # 2022, the year the demo's dossiers propose for: its own dice, so the years before stay as they were.
    later = random.Random(2023)
    for person in people:
        ratings.append(Rating(person=person, year=DOSSIER_YEAR, rating=TaskRating.EXCELLENT if person in core
                              or later.random() < 0.3 else TaskRating.GOOD))
    Rating.objects.bulk_create(ratings)
    names = ["Cải tiến quy trình kiểm định vũ khí", "Phần mềm quản lý hồ sơ đo lường", "Quy trình bảo quản khí tài",
             "Giải pháp tiết kiệm vật tư đo lường", "Nâng cao độ chính xác thiết bị hiệu chuẩn"]
    for index, person in enumerate(core):
        for year in (2019, 2020, 2021):
            level = RecognitionLevel.MINISTRY if index < 2 and year >= 2020 else RecognitionLevel.GRASSROOTS
            services.evidence_save(instance=Initiative(
                person=person, year=year, kind=InitiativeKind.INITIATIVE, level=level,
                name=f"{names[(index + year) % len(names)]} ({year})", decision=f"{index + 3}/QĐ-KHCN"), by=None)
    services.evidence_save(instance=Discipline(
        person=people[-1], form=DisciplineForm.REPRIMAND, decision="12/QĐ-KL", decided_on=datetime.date(2020, 6, 1),
        ends_on=datetime.date(2021, 5, 31), reason="Vi phạm quy định quản lý tài liệu (trường hợp giả định)"), by=None)
    for index, person in enumerate(p for p in people if p.rank is not None):
        person.enlisted_on = datetime.date(1992 + rng.randrange(0, 24), rng.randrange(1, 13), 1)
        services.record_save(instance=person, by=None)
        if index == 3:
            services.service_break_save(instance=ServiceBreak(
                person=person, start=datetime.date(person.enlisted_on.year + 2, 1, 1),
                end=datetime.date(person.enlisted_on.year + 3, 6, 30), note="Xuất ngũ, sau đó tái ngũ"), by=None)


def _layouts(titles):
    """Layouts on A4 blanks for the Giấy khen and the Bằng khen, as an office that prints onto
    bought blanks would set them (starting where the full drawing puts each field)."""
    for code, name in (("gk", "Phôi Giấy khen A4"), ("bk", "Phôi Bằng khen A4")):
        if CertificateLayout.objects.filter(title=titles[code]).exists():
            continue
        layout = services.record_save(instance=CertificateLayout(title=titles[code], name=name), by=None)
        services.layout_fill_defaults(layout=layout, by=None)


def _ceremony_and_a_revocation(people):
    """A year-end ceremony to print, and one revoked award, as offices have both."""
    organiser = get_user_model().objects.get(username="organiser")
    ceremony = Ceremony.objects.filter(name=CEREMONY_NAME).first()
    if ceremony is None:
        ceremony = services.ceremony_create(by=organiser, ceremony=Ceremony(
            name=CEREMONY_NAME, date=datetime.date(2022, 1, 20), place="Hội trường Cục Quản lý công nghệ",
        ))
        awards = Award.objects.filter(decision__number__in=["1956/QĐ-TTg", "45/QĐ-TCCNQP", "15/QĐ-QLCN", "23/QĐ-QLCN"])
        services.ceremony_add_awards(ceremony=ceremony, by=organiser, awards=list(awards))
    # The last person's first Chiến sĩ tiên tiến, revoked two years on (an invented case).
    award = Award.objects.filter(person=people[-1], decision__number="05/QĐ-QLCN").first()
    if award is not None and not award.is_revoked:
        services.award_revoke(award=award, by=None, number="31/QĐ-QLCN", date=datetime.date(2020, 6, 15),
                              reason="Vi phạm kỷ luật, không đủ tiêu chuẩn danh hiệu (trường hợp giả định của dữ liệu mẫu)")


def _accounts(units, staff_person):
    User = get_user_model()
    for username, password in DEMO_PASSWORDS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = username == "admin"
        user.is_superuser = username == "admin"
        user.save()
        role = {"admin": roles.ADMINISTRATOR, "organiser": roles.ORGANISER,
                "staff": roles.STAFF}.get(username, roles.OFFICER)
        user.groups.set([Group.objects.get(name=role)])
        if username in OFFICER_SCOPES:
            Profile.objects.update_or_create(user=user, defaults={"scope_unit": units[OFFICER_SCOPES[username]]})
    staff_user = User.objects.get(username="staff")
    if staff_person.user_id != staff_user.pk:
        staff_person.user = staff_user
        services.record_save(instance=staff_person, by=None)


DOSSIER_YEAR = 2022


def _document(title, lines):
    """A one-page PDF standing in for a dossier's document (tờ trình, minutes, a report)."""
    import io

    from django.core.files.base import ContentFile
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from .certificates.fonts import certificate_fonts

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    fonts = certificate_fonts()
    regular, bold = fonts.regular, fonts.bold
    page.setFont(bold, 14)
    page.drawCentredString(A4[0] / 2, A4[1] - 90, title)
    page.setFont(regular, 11)
    for index, line in enumerate(lines):
        page.drawString(70, A4[1] - 130 - 18 * index, line)
    page.save()
    return ContentFile(out.getvalue(), name=f"{slugify(text.fold(title))}.pdf")


def _backdate(dossier, when):
    """Demo dossiers of 2022 read as if sent then: their sending date and history moved back."""
    Dossier.objects.filter(pk=dossier.pk, sent_at__isnull=False).update(sent_at=when)
    Attachment.objects.filter(dossier=dossier).update(uploaded_at=when)
    for index, event in enumerate(DossierEvent.objects.filter(dossier=dossier).order_by("pk")):
        DossierEvent.objects.filter(pk=event.pk).update(at=when + datetime.timedelta(hours=index))


def _dossiers(units, authorities, titles, people):
    """Dossiers of 2022 in every state, across the levels: the Phòngs to the Cục (a draft, one sent,
    one returned, one in review, one decided), the Cục to the Tổng cục (nominees forwarded from two
    Phòngs), and on up the chain: one nominee walks Văn phòng → Cục → Tổng cục → Bộ Quốc phòng →
    Thủ tướng; another waits at the Minister (outside the registry) for the decision."""
    if Dossier.objects.exists():
        return
    User = get_user_model()
    officer, phong, tongcuc = (User.objects.get(username=u) for u in ("officer", "phong", "tongcuc"))
    cuc, tc = authorities["cuc"], authorities["tc"]
    services.deadline_save(by=officer, authority=cuc, year=DOSSIER_YEAR, kind=DecisionKind.ANNUAL, campaign="",
                           due_on=datetime.date(2022, 12, 15))
    by_office = {}
    for person in people[1:]:
        by_office.setdefault(person.unit.pk, []).append(person)
    zone = datetime.timezone(datetime.timedelta(hours=7))

    def members(key, count):
        return by_office.get(units[key].pk, [])[:count]

    def make(key, by, authority, nominees, *, send=True, when=None, reference=""):
        rows = [services.NomineeRow(person=p, title=t, summary=SUMMARY.format(name=p.full_name, title=t.name))
                for p, t in nominees]
        dossier = services.dossier_create(by=by, rows=rows, dossier=Dossier(
            unit=units[key], authority=authority, year=DOSSIER_YEAR, kind=DecisionKind.ANNUAL, reference=reference))
        if send:
            _attach(dossier, by)
            services.dossier_act(dossier=dossier, action=DossierAction.SEND, by=by, expected_version=None)
        return dossier

    def review(dossier, answers):
        for nominee, (action, note, title) in zip(dossier.nominees.order_by("seq"), answers):
            if action:
                services.nominee_review(nominee=nominee, action=action, by=officer, expected_version=None,
                                        note=note, title=title)

    receive = functools.partial(services.dossier_act, action=DossierAction.RECEIVE, expected_version=None)
    # Phòng Công nghệ: a draft not yet sent (the "phong" account's own).
    draft = make("pcn", phong, cuc, [(p, titles["cstdcs"]) for p in members("pcn", 2)], send=False)
    # The Cục's council reviews it (9 members, 8 present), and the list is public in the Phòng now,
    # for the staff account (a member of Phòng Công nghệ) to read and object to.
    Council.objects.get_or_create(unit=units["qlcn"], defaults={
        "members": 9, "chair": "Đại tá Vũ Thanh Bình", "secretary": "Thiếu tá Lê Thu Hà"})
    meeting = services.meeting_create(by=phong, dossier=draft, held_on=datetime.date(2022, 12, 1),
                                      place="Phòng họp Cục Quản lý công nghệ", members_present=8, chair="", secretary="")
    services.meeting_record(meeting=meeting, by=phong, expected_version=None,
                            votes=[(n, 8 - i, i, n.title) for i, n in enumerate(draft.nominees.order_by("seq"))])
    services.listing_publish(by=phong, dossier=draft, starts_on=timezone.localdate(), days=7)
    # Phòng Khoa học quân sự: sent, waiting to be received; one late.
    sent = make("pkh", officer, cuc, [(p, titles["cstdcs"]) for p in members("pkh", 3)], reference="41/TTr-KHQS")
    _backdate(sent, datetime.datetime(2022, 12, 12, 9, 0, tzinfo=zone))
    late = make("ptt", officer, cuc, [(p, titles["gk"]) for p in members("ptt", 2)], reference="18/TTr-TT")
    _backdate(late, datetime.datetime(2022, 12, 19, 14, 0, tzinfo=zone))
    # Phòng Tiêu chuẩn – Đo lường – Chất lượng: returned for correction.
    returned = make("ptc", officer, cuc, [(p, titles["cstdcs"]) for p in members("ptc", 2)], reference="27/TTr-TĐC")
    receive(dossier=returned, by=officer)
    services.dossier_act(dossier=returned, action=DossierAction.RETURN, by=officer, expected_version=None,
                         note="Biên bản họp hội đồng thiếu kết quả bỏ phiếu của từng người; đề nghị bổ sung.")
    _backdate(returned, datetime.datetime(2022, 12, 8, 10, 0, tzinfo=zone))
    # Văn phòng: received and in review, one answer of each kind and one still open.
    vp = members("vp", 5)
    review_dossier = make("vp", officer, cuc, [(vp[0], titles["bk"]), (vp[1], titles["cstdcs"]),
                                               (vp[2], titles["cstdcs"]), (vp[3], titles["gk"]),
                                               (vp[4], titles["gk"])][:len(vp)], reference="52/TTr-VP")
    receive(dossier=review_dossier, by=officer)
    review(review_dossier, [(DossierAction.APPROVE, "", None),
                            (DossierAction.LOWER, "Sáng kiến mới được công nhận cấp cơ sở một năm", titles["gk"]),
                            (DossierAction.REJECT, "Chưa đạt tỷ lệ phiếu tín nhiệm theo quy định", None),
                            (DossierAction.APPROVE, "", None)])
    _backdate(review_dossier, datetime.datetime(2022, 12, 5, 8, 30, tzinfo=zone))
    # Ban Chính trị: received, approved, and decided by the Cục (its Giấy khen), the Bằng khen
    # approved to go up.
    bct = members("bct", 3)
    decided = make("bct", officer, cuc, [(bct[0], titles["gk"]), (bct[1], titles["gk"]), (bct[2], titles["bk"])][
        :len(bct)], reference="33/TTr-BCT")
    receive(dossier=decided, by=officer)
    review(decided, [(DossierAction.APPROVE, "", None)] * 3)
    gk = list(decided.nominees.filter(title=titles["gk"]))
    services.nominees_decide(by=officer, nominees=gk, decision=Decision(
        number="3/QĐ-QLCN", date=datetime.date(2023, 1, 9), authority=cuc, kind=DecisionKind.ANNUAL,
        achievement_year=DOSSIER_YEAR, title=titles["gk"], subject="Về việc tặng Giấy khen",
        reason=REASON.format(year=DOSSIER_YEAR), signer_name=SIGNERS["cuc"][0], signer_rank=SIGNERS["cuc"][1],
        signer_title=SIGNERS["cuc"][2]))
    _backdate(decided, datetime.datetime(2022, 12, 2, 8, 0, tzinfo=zone))
    # The Cục forwards the Bằng khen nominees of two Phòngs to the Tổng cục, which receives them.
    going_up = [n for n in _approved_in(decided, review_dossier) if n.honour.pk == titles["bk"].pk]
    upper = services.nominees_forward(by=officer, nominees=going_up, authority=tc, reference="7/TTr-QLCN")
    _attach(upper, officer)
    services.dossier_act(dossier=upper, action=DossierAction.SEND, by=officer, expected_version=None)
    receive(dossier=upper, by=tongcuc)
    # The Văn phòng's nominee walks on: the Tổng cục approves it for the Minister, the Ministry
    # (outside the registry) receives and approves it and passes it to the Prime Minister.
    walker = upper.nominees.get(source__dossier=review_dossier)
    services.nominee_review(nominee=walker, action=DossierAction.APPROVE, by=tongcuc, expected_version=None)
    ministry = services.nominees_forward(by=tongcuc, nominees=[walker], authority=authorities["bqp"],
                                         reference="98/TTr-TCCNQP")
    _attach(ministry, tongcuc)
    services.dossier_act(dossier=ministry, action=DossierAction.SEND, by=tongcuc, expected_version=None)
    receive(dossier=ministry, by=tongcuc)
    services.nominee_review(nominee=ministry.nominees.get(), action=DossierAction.APPROVE, by=tongcuc,
                            expected_version=None)
    government = services.nominees_forward(by=tongcuc, nominees=list(ministry.nominees.all()),
                                           authority=authorities["ttg"], reference="15/TTr-BQP",
                                           note="Bộ Quốc phòng trình Thủ tướng Chính phủ")
    _attach(government, tongcuc)
    services.dossier_act(dossier=government, action=DossierAction.SEND, by=tongcuc, expected_version=None)
    _backdate(upper, datetime.datetime(2023, 1, 12, 9, 0, tzinfo=zone))
    _backdate(ministry, datetime.datetime(2023, 2, 6, 9, 0, tzinfo=zone))
    _backdate(government, datetime.datetime(2023, 3, 20, 9, 0, tzinfo=zone))
    _backdate(review_dossier, datetime.datetime(2022, 12, 5, 8, 30, tzinfo=zone))
    _backdate(decided, datetime.datetime(2022, 12, 2, 8, 0, tzinfo=zone))
    # The Tổng cục proposes a Bằng khen of the Minister, outside the registry
    # (the staff account's own person: "my record" shows where it stands).
    minister = make("tc", tongcuc, authorities["bqp"], [(people[0], titles["bk"])], reference="112/TTr-TCCNQP")
    _backdate(minister, datetime.datetime(2023, 2, 1, 9, 0, tzinfo=zone))
    return draft


SUMMARY = ("{name}: hoàn thành xuất sắc nhiệm vụ năm 2022; chủ trì đề tài cải tiến quy trình kiểm định, "
           "được đơn vị đề nghị tặng {title}.")


def _approved_in(*dossiers):
    return list(Nominee.objects.filter(dossier__in=dossiers, state__in=workflow.APPROVED)
                .select_related("title").order_by("dossier_id", "seq"))


def _attach(dossier, by):
    """The documents each nominee's honour requires, as one-page PDFs."""
    kinds = set()
    for nominee in dossier.nominees.select_related("title", "person", "unit"):
        for kind in nominee.title.required_attachments:
            if kind in PER_NOMINEE_ATTACHMENTS:
                services.attachment_add(dossier=dossier, by=by, kind=kind, nominee=nominee, file=_document(
                    "BÁO CÁO THÀNH TÍCH", [str(nominee.recipient), nominee.summary[:90]]))
            else:
                kinds.add(kind)
    for kind in sorted(kinds):
        label = {AttachmentKind.SUBMISSION: "TỜ TRÌNH", AttachmentKind.MINUTES: "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG"}
        services.attachment_add(dossier=dossier, by=by, kind=kind, file=_document(
            label.get(kind, "TÀI LIỆU"), [f"Về việc đề nghị khen thưởng năm {dossier.year}", str(dossier.unit)]))
