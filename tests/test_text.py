import unicodedata

import pytest

from awards import text
from awards.models import Person
from awards.selectors import person_search
from tests import factories


def nfd(value):
    return unicodedata.normalize("NFD", value)


def test_fold_strips_accents_and_folds_d_with_stroke():
    assert text.fold("Dương Văn Yên") == "duong van yen"
    assert text.fold("ĐOÀN THỊ ÁNH") == "doan thi anh"
    assert text.fold(nfd("Đặng Hữu Ước")) == "dang huu uoc"


def test_normalize_makes_nfc_and_folds_spaces():
    assert text.normalize(nfd("  Nguyễn   Quang\tHuy ")) == "Nguyễn Quang Huy"
    assert unicodedata.is_normalized("NFC", text.normalize(nfd("Trần Thị Bình")))


@pytest.mark.parametrize(
    "full, parts",
    [
        ("Nguyễn Quang Huy", ("Nguyễn", "Quang", "Huy")),
        ("Trần Thị Minh Thư", ("Trần", "Thị Minh", "Thư")),
        ("Lê Na", ("Lê", "", "Na")),
    ],
)
def test_split_name(full, parts):
    assert text.split_name(full) == parts


def _roster(names):
    return sorted(names, key=lambda n: text.name_sort_key(*text.split_name(n)))


def test_roster_sorts_by_given_name_in_vietnamese_order():
    assert _roster(["Lê Văn Đức", "Trần Thị Bình", "Nguyễn Văn An"]) == [
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Đức",
    ]


def test_alphabet_letters_are_primary_differences():
    words = ["Ư", "U", "Đa", "Da", "Ơ", "Ô", "O", "Ê", "E", "Â", "Ă", "A", "Dz"]
    assert sorted(words, key=text.collation_key) == ["A", "Ă", "Â", "Da", "Dz", "Đa", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư"]


def test_doan_and_doan_stay_distinct_and_ordered():
    doan_tilde, doan_stroke = text.collation_key("Doãn"), text.collation_key("Đoàn")
    assert doan_tilde != doan_stroke
    assert doan_tilde < doan_stroke  # d comes before đ
    # The same holds as family names in a roster: given and middle equal, family decides.
    assert _roster(["Đoàn Văn An", "Doãn Văn An"]) == ["Doãn Văn An", "Đoàn Văn An"]


def test_tones_decide_only_when_letters_are_equal():
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(reversed(tones), key=text.collation_key) == tones
    # A letter difference later in the word outranks a tone difference earlier.
    assert text.collation_key("Mạc") < text.collation_key("Mai")


def test_key_is_plain_lowercase_ascii():
    key = text.name_sort_key("Nguyễn", "Thị Ánh", "Tuyết")
    assert key.isascii() and key.isalpha() and key == key.lower()


def test_nfd_and_nfc_give_the_same_keys():
    name = "Dương Văn Yên"
    assert text.collation_key(nfd(name)) == text.collation_key(name)
    assert text.fold(nfd(name)) == text.fold(name)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["duong van yen", "DUONG VAN YEN", nfd("Dương Văn Yên"), "van yen"])
def test_person_search_ignores_accents_and_case(query):
    target = factories.person(full_name="Dương Văn Yên")
    factories.person(full_name="Dương Văn Yến")
    factories.person(full_name="Nguyễn Quang Huy")
    found = list(person_search(query))
    assert target in found
    assert all(p.full_name != "Nguyễn Quang Huy" for p in found)


@pytest.mark.django_db
def test_exact_accent_matches_rank_first():
    other = factories.person(full_name="Dương Văn Yến")
    exact = factories.person(full_name="Dương Văn Yên")
    assert list(person_search("Dương Văn Yên")) == [exact, other]


@pytest.mark.django_db
def test_person_stored_nfc_with_parts_and_keys():
    p = factories.person(full_name=nfd(" Nguyễn  Quang Huy "))
    p.refresh_from_db()
    assert p.full_name == "Nguyễn Quang Huy" and unicodedata.is_normalized("NFC", p.full_name)
    assert (p.family_name, p.middle_name, p.given_name) == ("Nguyễn", "Quang", "Huy")
    assert p.search_key == "nguyen quang huy"
    assert Person.objects.filter(search_key__contains="quang huy").get() == p


@pytest.mark.django_db
def test_two_word_given_name_kept_when_stated():
    p = factories.person(full_name="Tôn Nữ Thu Hà", given_name="Thu Hà")
    assert (p.family_name, p.middle_name, p.given_name) == ("Tôn", "Nữ", "Thu Hà")


@pytest.mark.django_db
def test_database_orders_people_the_vietnamese_way():
    for name in ["Lê Văn Đức", "Trần Thị Bình", "Nguyễn Văn An", "Doãn Văn Đức", "Phạm Ư"]:
        factories.person(full_name=name)
    ordered = list(Person.objects.order_by("sort_key").values_list("full_name", flat=True))
    assert ordered == ["Nguyễn Văn An", "Trần Thị Bình", "Doãn Văn Đức", "Lê Văn Đức", "Phạm Ư"]


def test_dates_are_written_as_decree_30_2020_says():
    import datetime

    from awards.text import date_words

    for day in range(1, 32):
        written = date_words(datetime.date(2022, 1, day))
        assert written == f"ngày {day:02d} tháng 01 năm 2022"
        assert written.split()[1] == (f"0{day}" if day < 10 else str(day))
    months = [date_words(datetime.date(2022, month, 14)).split()[3] for month in range(1, 13)]
    assert months == ["01", "02", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
    assert date_words(datetime.date(2022, 3, 5)) == "ngày 05 tháng 3 năm 2022"


@pytest.mark.parametrize("amount, words", [
    (0, "Không đồng"),
    (1_000_000, "Một triệu đồng"),
    (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
    (12_345_678_900, "Mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm đồng"),
    (10, "Mười đồng"), (11, "Mười một đồng"), (15, "Mười lăm đồng"), (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi tư đồng"), (25, "Hai mươi lăm đồng"), (105, "Một trăm linh năm đồng"),
    (702_000, "Bảy trăm linh hai nghìn đồng"), (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_000_010, "Một triệu không trăm mười đồng"), (7_020_000, "Bảy triệu không trăm hai mươi nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"), (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (2_001_000_000, "Hai tỷ không trăm linh một triệu đồng"),
])
def test_amounts_are_written_in_words_as_payment_lists_write_them(amount, words):
    from awards.text import amount_words

    assert amount_words(amount) == words
