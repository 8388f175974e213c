import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from awards import demo
from awards.choices import RecipientKind
from awards.models import Authority, Award, CertificateLayout, Decision, Person, Title, Unit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def counts():
    return Unit.objects.count(), Person.objects.count(), Decision.objects.count(), Award.objects.count()


def test_seed_builds_the_story_and_is_idempotent(seeded):
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert 75 <= first[1] <= 90
    department = Unit.objects.get(full_name="Cục Quản lý công nghệ")
    assert department.parent.full_name == "Tổng cục Công nghiệp quốc phòng"
    collective = Award.objects.filter(unit=department, year=2021)
    assert set(collective.values_list("authority__name", "title__name")) == {
        ("Thủ tướng Chính phủ", "Bằng khen"),
        ("Chủ nhiệm Tổng cục Công nghiệp quốc phòng", "Cờ thi đua"),
    }
    # Authorities named by their head's office, as certificates head them; the Prime Minister's
    # Bằng khen comes from above, with the register number its certificate carries.
    headings = set(Authority.objects.values_list("heading", flat=True))
    assert {"CHỦ NHIỆM TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG", "CỤC TRƯỞNG CỤC QUẢN LÝ CÔNG NGHỆ",
            "THỦ TƯỚNG CHÍNH PHỦ"} <= headings
    from_above = Award.objects.get(unit=department, year=2021, authority__name="Thủ tướng Chính phủ")
    assert not from_above.authority.keeps_book and from_above.register_number == 1245
    assert not from_above.printed_here
    assert CertificateLayout.objects.filter(title__name="Giấy khen", is_default=True).exists()
    party = Unit.objects.get(full_name="Đảng bộ Cục Quản lý công nghệ")
    assert Award.objects.filter(unit=party, title__name="Bằng khen", year=2021).exists()
    # 2016: the Minister's Bằng khen that opens the Prime Minister's route for one person.
    # 2022: the Giấy khen the Cục decided from a dossier's approved list (the road to a decision).
    assert set(Award.objects.values_list("year", flat=True)) == {2016, 2018, 2019, 2020, 2021, 2022}
    _every_rule_has_a_real_case()
    _dossiers_in_every_state()


def _dossiers_in_every_state():
    """The demo walks the road: dossiers in every state, nominees in every state, across the
    Phòng → Cục and Cục → Tổng cục levels and to an authority outside the registry."""
    from awards.choices import DossierState, NomineeState
    from awards.models import Dossier, Nominee

    assert set(Dossier.objects.values_list("state", flat=True)) == set(DossierState.values)
    assert set(Nominee.objects.values_list("state", flat=True)) == set(NomineeState.values)
    levels = set(Dossier.objects.values_list("unit__depth", "authority__level"))
    assert len(levels) >= 3
    # the Cục's dossier to the Tổng cục gathers two Phòngs' nominees; one walks on to the Prime Minister
    gathered = Nominee.objects.filter(dossier__authority__name="Chủ nhiệm Tổng cục Công nghiệp quốc phòng",
                                      source__isnull=False)
    assert len({n.source.dossier.unit_id for n in gathered}) == 2
    top = Nominee.objects.get(dossier__authority__name="Thủ tướng Chính phủ")
    from awards import selectors

    assert [n.dossier.authority.name for n in selectors.nominee_trail(top)] == [
        "Bộ trưởng Bộ Quốc phòng", "Chủ nhiệm Tổng cục Công nghiệp quốc phòng", "Cục trưởng Cục Quản lý công nghệ"]
    assert Nominee.objects.filter(state=NomineeState.DECIDED, award__isnull=False).exists()


def _every_rule_has_a_real_case():
    """The demo's evidence (ratings, initiatives, one disciplined person, enlistment dates) gives
    the seeded rules candidates, and the disciplined person is held back with the reason."""
    from awards import rules
    from awards.choices import DecisionKind
    from awards.models import Discipline, Initiative, Rating

    assert Rating.objects.filter(unit__isnull=False).exists() and Initiative.objects.exists()
    top = Unit.objects.get(parent=None)
    annual = {str(t): len(found) for t, found in rules.candidates(unit=top, year=2021).items()}
    for honour in ("Chiến sĩ thi đua toàn quân", "Chiến sĩ thi đua cơ sở", "Đơn vị quyết thắng",
                   "Bằng khen của Thủ tướng Chính phủ", "Bằng khen của Bộ trưởng Bộ Quốc phòng"):
        assert annual[honour] > 0, honour
    service = {str(t): len(found) for t, found in rules.candidates(unit=top, year=2021,
                                                                   kind=DecisionKind.SERVICE).items()}
    assert service["Huy chương Chiến sĩ vẻ vang hạng Ba"] > service["Huy chương Quân kỳ quyết thắng"] > 0
    disciplined = Discipline.objects.get().person
    record = rules.records([disciplined])[("p", disciplined.pk)]
    title = Title.objects.get(name="Chiến sĩ tiên tiến")
    assert "bị kỷ luật năm 2020" in " ".join(why for _r, why in rules.unmet(
        title=title, authority_id=None, year=2020, record=record, rules=rules.load_rules()))


def test_seed_has_consecutive_years_for_the_rules(seeded):
    runs = (
        Award.objects.filter(title__code="cstdcs", year__in=[2019, 2020, 2021])
        .values("person").annotate(n=Count("year", distinct=True)).filter(n=3)
    )
    assert runs.count() >= 3


def test_seed_never_honours_the_named_officials(seeded):
    for name in demo.RESERVED_NAMES:
        assert not Award.objects.filter(recipient_name=name).exists()
        assert not Person.objects.filter(full_name=name).exists()


def test_demo_accounts_sign_in_and_staff_has_honours(seeded, client):
    for username, password in demo.DEMO_PASSWORDS.items():
        assert factories.sign_in(client, username, password), username
    staff = Person.objects.get(user__username="staff")
    held = Award.objects.filter(person=staff)
    assert held.count() >= 5
    assert held.values("title").distinct().count() >= 3


def test_seed_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0)
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    assert Award.objects.filter(person__isnull=True).count() > 0
    assert all(a.title.accepts(RecipientKind.COLLECTIVE) for a in Award.objects.filter(unit__isnull=False))


def test_seed_has_a_ceremony_to_print_and_a_revoked_award(seeded):
    from awards.models import Ceremony

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    ceremony = Ceremony.objects.get()
    items = list(ceremony.items.select_related("award").order_by("position"))
    assert len(items) >= 20 and items[0].award.person_id is None  # collectives come first
    assert Award.objects.revoked().count() == 1


def test_seed_bench_builds_a_consistent_registry_quickly():
    from django.db.models import Count

    from awards import rules
    from awards.models import Award, Decision, RegisterCounter

    call_command("seed_bench", "--persons", "300", "--awards", "1500", "--units", "260", stdout=open("/dev/null", "w"))
    assert 250 <= Unit.objects.count() <= 270
    assert Person.objects.count() == 300 and Award.objects.filter(person__isnull=False).count() == 1500
    assert Award.objects.filter(unit__isnull=False).exists()
    # Paths are a real tree: every unit's path starts with its parent's.
    for unit in Unit.objects.select_related("parent").exclude(parent=None)[:200]:
        assert unit.path.startswith(unit.parent.path) and unit.path.endswith(f"{unit.pk:07d}.")
    # Register numbers gapless per authority and year; one decision per authority, title and year.
    for authority, year, count, top in Award.objects.values_list("authority", "year").annotate(
            n=Count("pk"), top=models_max("register_number")):
        assert count == top
        # The register book knows where it stopped, so the next grant numbers on from there.
        assert RegisterCounter.objects.get(authority=authority, year=year).last_number == top
    assert not Decision.objects.values("authority", "title", "achievement_year").annotate(
        n=Count("pk")).filter(n__gt=1).exists()
    assert rules.candidates(unit=Unit.objects.get(parent=None), year=2021)
    with pytest.raises(CommandError):
        call_command("seed_bench", "--persons", "10", "--awards", "10", stdout=open("/dev/null", "w"))


def models_max(field):
    from django.db.models import Max

    return Max(field)
