"""Plain factory functions: each makes one valid object, any field overridable."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from awards import roles
from awards.choices import AuthorityLevel, Rank, TitleCategory, TitleFor
from awards.models import Authority, Decision, Person, Profile, Title, Unit
from awards.services import RecipientRow, decision_grant

_seq = itertools.count(1)
PASSWORD = "pw-Test-12345"  # every account the factories make


def unit(*, parent=None, full_name=None, **kw):
    n = next(_seq)
    return Unit.objects.create(parent=parent, full_name=full_name or f"Phòng số {n}", short_name=kw.pop("short_name", f"P{n}"), **kw)


def person(*, full_name=None, unit_=None, **kw):
    n = next(_seq)
    kw.setdefault("rank", Rank.DAI_UY)
    kw.setdefault("position", "Trợ lý")
    return Person.objects.create(full_name=full_name or f"Nguyễn Văn Thử {n}", unit=unit_ or unit(), **kw)


def authority(**kw):
    n = next(_seq)
    kw.setdefault("name", f"Cục trưởng Cục số {n}")
    kw.setdefault("level", AuthorityLevel.DEPARTMENT)
    return Authority.objects.create(**kw)


def title(*, recipient_for=TitleFor.BOTH, **kw):
    n = next(_seq)
    kw.setdefault("name", f"Giấy khen loại {n}")
    kw.setdefault("code", f"t{n}")
    kw.setdefault("category", TitleCategory.COMMENDATION)
    kw.setdefault("certificate_name", "GIẤY KHEN")
    return Title.objects.create(recipient_for=recipient_for, **kw)


def decision(*, authority_=None, year=2021, **kw):
    n = next(_seq)
    kw.setdefault("number", f"{n}/QĐ-TEST")
    kw.setdefault("date", datetime.date(year + 1, 1, 10))
    kw.setdefault("reason", f"Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm {year}")
    return Decision(authority=authority_ or authority(), achievement_year=year, **kw)


def grant(*, rows, by=None, justification="", **decision_kw):
    """Record a decision with the given recipient rows; returns its awards in order."""
    d = decision_grant(by=by, decision=decision(**decision_kw), rows=rows, justification=justification)
    return list(d.awards.order_by("seq"))


def award(*, person_=None, unit_=None, title_=None, **decision_kw):
    if person_ is None and unit_ is None:
        person_ = person()
    return grant(rows=[RecipientRow(person=person_, unit=unit_, title=title_ or title())], **decision_kw)[0]


def user(*, username=None, role=None, scope=None, **kw):
    n = next(_seq)
    u = get_user_model().objects.create_user(username=username or f"user{n}", password=PASSWORD, **kw)
    if role:
        roles.ensure_roles()
        u.groups.add(Group.objects.get(name=role))
    if scope is not None:
        Profile.objects.create(user=u, scope_unit=scope)
    return u


def sign_in(client, username, password):
    """Sign in through the sign-in page (as a person does, and as login throttling needs)."""
    from django.urls import reverse

    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def scan_pdf():
    """A real one-page PDF, as a scanned decision is."""
    import io

    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()
