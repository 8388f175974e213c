"""Units (a tree), people, accounts' profiles and the directory groups that make their roles."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import roles, text
from ..choices import Rank, UnitKind
from .base import KEY_LENGTH, NormalizedModel, SearchQuerySet, mm_field, person_display_name, years_of_service


_PATH_SEGMENT = "{:07d}."


class UnitQuerySet(SearchQuerySet):
    def subtree(self, unit):
        """The unit and everything under it, as one query on the materialised path."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    """A unit in the organisation's tree, or a body attached to one (Party, unions)."""

    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind, default=UnitKind.UNIT)
    short_name = models.CharField(_("short name"), max_length=100)
    full_name = models.CharField(pgettext_lazy("unit", "full name"), max_length=255)
    is_active = models.BooleanField(_("active"), default=True)
    # "0000001.0000012." : the ids from the root down, so a subtree is a prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    search_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
            models.UniqueConstraint(
                fields=["parent", "full_name"], name="unit_unique_name_in_parent",
                violation_error_message=_("This parent already has a unit of that name."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("awards:unit-detail", args=[self.pk])

    def __str__(self):
        return self.full_name

    def clean(self):
        self.short_name = text.normalize(self.short_name)
        self.full_name = text.normalize(self.full_name)
        if self.parent_id and self.pk and self.path:
            parent = self.parent
            if parent.path.startswith(self.path):
                raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its own sub-units.")})

    def save(self, *args, **kwargs):
        self.short_name = text.normalize(self.short_name)
        self.full_name = text.normalize(self.full_name)
        self.search_key = text.fold(f"{self.full_name} {self.short_name}")[:KEY_LENGTH]
        old_path = self.path
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = parent_path + _PATH_SEGMENT.format(self.pk)
        if new_path != old_path:
            depth = new_path.count(".") - 1
            if old_path:
                # Moving a unit moves its whole subtree: one UPDATE rewrites the prefix.
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
                    depth=F("depth") + (depth - self.depth),
                )
            Unit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
            self.path, self.depth = new_path, depth


class Person(NormalizedModel):
    """An individual who can be honoured: a soldier, officer or civilian employee."""

    full_name = models.CharField(pgettext_lazy("person", "full name"), max_length=200)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    given_name = models.CharField(
        _("given name"), max_length=100, blank=True,
        help_text=_("Derived from the full name; set it only for a given name of two words."),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank, null=True, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members")
    service_number = models.CharField(_("service number"), max_length=32, null=True, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=20, null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    enlisted_on = models.DateField(
        _("enlisted on"), null=True, blank=True,
        help_text=_("The day service began; years of service count from it, less the breaks in service."),
    )
    # The enlistment day moved on by the days of every break: service years are whole years since.
    service_from = models.DateField(editable=False, null=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    search_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")
    sort_key = models.CharField(max_length=KEY_LENGTH, editable=False, db_index=True, default="")

    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_number"], condition=Q(service_number__isnull=False),
                name="person_unique_service_number",
                violation_error_message=_("Another person already has this service number."),
            ),
            models.UniqueConstraint(
                fields=["citizen_id"], condition=Q(citizen_id__isnull=False),
                name="person_unique_citizen_id",
                violation_error_message=_("Another person already has this citizen ID."),
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="person_has_name"),
        ]

    def get_absolute_url(self):
        return reverse("awards:person-detail", args=[self.pk])

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return person_display_name(self.rank, self.full_name)

    def normalize(self):
        self.full_name = text.normalize(self.full_name)
        # Identifiers: blank means "not known", which must not collide with other blanks.
        self.service_number = text.normalize(self.service_number) or None
        self.citizen_id = text.normalize(self.citizen_id) or None
        self.position = text.normalize(self.position)
        given = text.normalize(self.given_name)
        family, middle, last = text.split_name(self.full_name)
        if given and self.full_name.endswith(" " + given) and given != last:
            # A given name of several words, stated explicitly.
            head = self.full_name[: -len(given) - 1].split(" ")
            family, middle = head[0], " ".join(head[1:])
        else:
            given = last
        self.family_name, self.middle_name, self.given_name = family, middle, given
        self.search_key = text.fold(self.full_name)[:KEY_LENGTH]
        self.sort_key = text.name_sort_key(family, middle, given)[:KEY_LENGTH]
        self.service_from = self.service_start()

    def service_start(self):
        """The enlistment day moved on by the days spent out of service."""
        if self.enlisted_on is None:
            return None
        breaks = self.service_breaks.all() if self.pk else []
        return self.enlisted_on + datetime.timedelta(days=sum(b.days for b in breaks))

    def service_years(self, year):
        return years_of_service(self.service_from, year)


class Profile(models.Model):
    """What a user account may act on: an officer's unit, whose subtree they record for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    scope_unit = models.ForeignKey(
        Unit, verbose_name=_("unit managed"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("An officer records honours for this unit and everything under it."),
    )
    # The printer's shift, measured on the alignment sheet: added to every field on a blank.
    print_offset_x_mm = mm_field(_("printer offset to the right (mm)"), default=0,
                            validators=[MinValueValidator(-30), MaxValueValidator(30)])
    print_offset_y_mm = mm_field(_("printer offset downwards (mm)"), default=0,
                            validators=[MinValueValidator(-30), MaxValueValidator(30)])
    # Set for an account the directory signs in: its entry there, and when it last signed in by it.
    directory_dn = models.CharField(_("directory entry"), max_length=500, blank=True, editable=False)
    directory_synced_at = models.DateTimeField(_("roles read from the directory"), null=True, blank=True,
                                               editable=False)

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")

    def __str__(self):
        return str(self.user)


class DirectoryGroup(models.Model):
    """A group of the organisation's directory and what its members are here: a role, and the unit
    whose honours they record (officers) or belong to. Read at each directory sign-in."""

    ROLES = [(role, roles.ROLE_LABELS[role]) for role in (roles.STAFF, roles.OFFICER, roles.ORGANISER,
                                                            roles.ADMINISTRATOR)]
    dn = models.CharField(_("group (distinguished name)"), max_length=500,
                          help_text=_("As the directory writes it, e.g. CN=TDKT-CanBo-PKH,OU=Groups,DC=example,DC=vn"))
    key = models.CharField(max_length=500, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=16, choices=ROLES)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=_("For officers: the unit whose honours they record."))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("directory group")
        verbose_name_plural = _("directory groups")
        ordering = ["key"]

    def __str__(self):
        return f"{self.dn} → {self.get_role_display()}"

    @staticmethod
    def key_of(dn):
        """A DN compared as directories compare it: case and the spaces around separators ignored."""
        return ",".join("=".join(side.strip() for side in part.split("=", 1)) for part in dn.split(",")).lower()

    def _normalize(self):
        self.dn = self.dn.strip()
        self.key = self.key_of(self.dn)

    def clean(self):
        self._normalize()
        if DirectoryGroup.objects.filter(key=self.key).exclude(pk=self.pk).exists():
            raise ValidationError({"dn": _("This group is mapped already.")})

    def save(self, *args, **kwargs):
        self._normalize()
        super().save(*args, **kwargs)
