import pytest

from awards import roles
from awards.choices import AuthorityLevel, TitleFor
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and sign-in counts of one test are not another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def road(settings, tmp_path):
    """The road to a decision (tests of nominations and councils): A Tổng cục over a Cục over two Phòngs; the Cục's and the Tổng cục's books kept here, the
    Minister's outside; an officer for each, and one of another Phòng."""
    settings.MEDIA_ROOT = tmp_path
    tc = factories.unit(full_name="Tổng cục Thử nghiệm", short_name="TC")
    cuc = factories.unit(parent=tc, full_name="Cục Thử nghiệm", short_name="Cục")
    cuc2 = factories.unit(parent=tc, full_name="Cục Kế hoạch", short_name="Cục KH")
    pa = factories.unit(parent=cuc, full_name="Phòng A", short_name="PA")
    pb = factories.unit(parent=cuc, full_name="Phòng B", short_name="PB")
    a_cuc = factories.authority(name="Cục trưởng Cục Thử nghiệm", unit=cuc, level=AuthorityLevel.DEPARTMENT,
                                symbol="QĐ-CTN")
    a_tc = factories.authority(name="Chủ nhiệm Tổng cục Thử nghiệm", unit=tc, level=AuthorityLevel.GENERAL_DEPARTMENT,
                               symbol="QĐ-TC")
    a_bqp = factories.authority(name="Bộ trưởng Bộ Quốc phòng", level=AuthorityLevel.MINISTRY, keeps_book=False,
                                symbol="QĐ-BQP")
    a_ttg = factories.authority(name="Thủ tướng Chính phủ", level=AuthorityLevel.GOVERNMENT, keeps_book=False,
                                symbol="QĐ-TTg")
    cstdcs = factories.title(name="Chiến sĩ thi đua cơ sở", recipient_for=TitleFor.INDIVIDUAL, rank_order=40,
                             required_attachments=["submission", "minutes", "report"])
    gk = factories.title(name="Giấy khen", rank_order=25, required_attachments=["submission", "minutes"])
    bk = factories.title(name="Bằng khen", rank_order=60, required_attachments=["submission"])
    people = [factories.person(full_name=f"Nguyễn Văn {n}", unit_=pa) for n in ("An", "Bình", "Cường", "Dũng", "Giang")]
    other = factories.person(full_name="Trần Thị Hoa", unit_=pb)
    users = {
        "pa": factories.user(role=roles.OFFICER, scope=pa),
        "pb": factories.user(role=roles.OFFICER, scope=pb),
        "cuc": factories.user(role=roles.OFFICER, scope=cuc),
        "cuc2": factories.user(role=roles.OFFICER, scope=cuc2),
        "tc": factories.user(role=roles.OFFICER, scope=tc),
        "staff": factories.user(role=roles.STAFF),
    }
    return dict(units={"tc": tc, "cuc": cuc, "cuc2": cuc2, "pa": pa, "pb": pb},
                authorities={"cuc": a_cuc, "tc": a_tc, "bqp": a_bqp, "ttg": a_ttg},
                titles={"cstdcs": cstdcs, "gk": gk, "bk": bk}, people=people, other=other, users=users)
