"""Printing: layouts on pre-printed blanks, ceremonies, the print log, document templates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import Align, BlankField, FontStyle, InkColour, PaperSize, PrintKind
from ..validators import validate_attachment, validate_document_template
from .base import mm_field, paper_mm
from .registry import Award, Title


class CertificateLayout(models.Model):
    """Where each variable field is printed on a pre-printed blank (phôi) of one title: the
    blank carries the emblem, border and fixed words; printing adds only the variable text."""

    title = models.ForeignKey(Title, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="layouts")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Phôi Giấy khen A4, lô mua năm 2024”"))
    paper = models.CharField(_("paper"), max_length=8, choices=PaperSize, default=PaperSize.A4)
    paper_width_mm = models.PositiveSmallIntegerField(_("paper width (mm)"), null=True, blank=True)
    paper_height_mm = models.PositiveSmallIntegerField(_("paper height (mm)"), null=True, blank=True)
    is_default = models.BooleanField(
        _("used for printing"), default=True,
        help_text=_("The layout used when this title is printed onto blanks (one per title)."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("layout on a blank")
        verbose_name_plural = _("layouts on blanks")
        ordering = ["title__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["title"], condition=Q(is_default=True), name="layout_one_default_per_title",
                                    violation_error_message=_("This title already has a layout used for printing.")),
            models.CheckConstraint(
                condition=~Q(paper=PaperSize.CUSTOM) | Q(paper_width_mm__gte=50, paper_height_mm__gte=50),
                name="layout_custom_paper_has_size",
                violation_error_message=_("A custom paper size needs a width and a height of at least 50 mm."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("awards:layout-detail", args=[self.pk])

    @property
    def paper_mm(self):
        return paper_mm(self.paper, self.paper_width_mm, self.paper_height_mm)


class LayoutField(models.Model):
    """One variable field's box on a blank: from the paper's top-left corner, in millimetres."""

    layout = models.ForeignKey(CertificateLayout, on_delete=models.CASCADE, related_name="fields")
    field = models.CharField(_("field"), max_length=16, choices=BlankField)
    x_mm = mm_field(_("from the left (mm)"), validators=[MinValueValidator(0)])
    y_mm = mm_field(_("from the top (mm)"), validators=[MinValueValidator(0)])
    width_mm = mm_field(_("width (mm)"), validators=[MinValueValidator(5)])
    height_mm = mm_field(_("height (mm)"), validators=[MinValueValidator(3)])
    font_size = models.DecimalField(_("font size (pt)"), max_digits=4, decimal_places=1, default=14,
                                    validators=[MinValueValidator(5), MaxValueValidator(96)])
    style = models.CharField(_("style"), max_length=8, choices=FontStyle, default=FontStyle.REGULAR)
    align = models.CharField(_("alignment"), max_length=8, choices=Align, default=Align.CENTRE)
    shrink = models.BooleanField(_("shrinks to fit"), default=True)
    colour = models.CharField(_("ink"), max_length=8, choices=InkColour, default=InkColour.BLACK)

    class Meta:
        verbose_name = _("field on the blank")
        verbose_name_plural = _("fields on the blank")
        ordering = ["layout", "y_mm", "x_mm"]
        constraints = [models.UniqueConstraint(fields=["layout", "field"], name="layout_field_once",
                                               violation_error_message=_("Each field is placed once."))]

    def __str__(self):
        return self.get_field_display()

    def clean(self):
        super().clean()
        if self.layout_id and None not in (self.x_mm, self.y_mm, self.width_mm, self.height_mm):
            width, height = self.layout.paper_mm
            right = float(self.x_mm) + float(self.width_mm)
            bottom = float(self.y_mm) + float(self.height_mm)
            if right > width + 0.01 or bottom > height + 0.01:
                raise ValidationError(_("The box runs off the %(w)g × %(h)g mm paper.") % {"w": width, "h": height})


class Ceremony(models.Model):
    """A presentation event: its awards, in the order they are called up and printed."""

    name = models.CharField(_("name"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    awards = models.ManyToManyField(Award, through="CeremonyItem", related_name="ceremonies")
    # False until the organiser moves an award by hand: until then new awards take the default order.
    custom_order = models.BooleanField(_("order set by hand"), default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("ceremony")
        verbose_name_plural = _("ceremonies")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("awards:ceremony-detail", args=[self.pk])


class CeremonyItem(models.Model):
    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="items")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("order"))

    class Meta:
        verbose_name = _("award in a ceremony")
        verbose_name_plural = _("awards in a ceremony")
        ordering = ["ceremony", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["ceremony", "award"], name="ceremony_award_once")]

    def __str__(self):
        return f"{self.ceremony} #{self.position}: {self.award}"


class PrintLog(models.Model):
    """One certificate printed: by whom, when, in which batch, and whether it was a reprint."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="prints")
    kind = models.CharField(_("printed as"), max_length=16, choices=PrintKind)
    ceremony = models.ForeignKey(
        Ceremony, verbose_name=_("ceremony"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    batch = models.UUIDField(_("batch"), db_index=True)
    reprint = models.BooleanField(_("reprint"), default=False)

    class Meta:
        verbose_name = _("certificate printed")
        verbose_name_plural = _("print log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.award}"


class DocumentTemplate(models.Model):
    """An administrator's own DOCX template for a kind of document, used instead of the registry's."""

    KINDS = [("submission", _("Covering submission (tờ trình)")), ("minutes", _("Council minutes (biên bản họp hội đồng)")),
             ("decision", _("Draft decision (dự thảo quyết định)"))]
    kind = models.CharField(_("document"), max_length=16, choices=KINDS, unique=True)
    file = models.FileField(_("template (DOCX)"), upload_to="templates/", validators=[validate_attachment,
                                                                                      validate_document_template],
                            help_text=_("A Word file with the registry's fields in {{ … }}. Start from the one in "
                                        "use: /documents/templates/submission.docx (or minutes.docx, decision.docx)."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")

    def __str__(self):
        return self.get_kind_display()
