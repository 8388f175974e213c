"""The back office: every model, with search and filters; writes go through services."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from . import services
from .choices import AttachmentKind, BlankField
from .certificates.blanks import SAMPLE_TEXTS
from .models import (
    DocumentTemplate,
    DirectoryGroup,
    ImportAlias,
    Council,
    Authority,
    AuditEntry,
    Award,
    BaseSalary,
    CertificateLayout,
    Ceremony,
    CorrectionRequest,
    Decision,
    Discipline,
    EligibilityRule,
    Initiative,
    Job,
    Rating,
    ServiceBreak,
    LayoutField,
    Person,
    PrintLog,
    PrizeCoefficient,
    Profile,
    RegisterCounter,
    Title,
    Unit,
)


class ServiceAdmin(admin.ModelAdmin):
    """Saves and deletes through the audited services instead of bare model calls."""

    def save_model(self, request, obj, form, change):
        services.record_save(instance=obj, by=request.user)

    def delete_model(self, request, obj):
        try:
            services.record_delete(instance=obj, by=request.user)
        except services.RegistryError as error:
            messages.error(request, error.message)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the registry writes itself: viewable here, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _show_accounts(modeladmin, request, people):
    """Create the accounts and show their first passwords once, on a page to print or copy."""
    created = services.accounts_create(by=request.user, people=people)
    return TemplateResponse(request, "admin/awards/accounts_created.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Sign-in accounts created"),
        "created": created, "skipped": len(people) - len(created),
    })


@admin.action(description=_("Create sign-in accounts for the selected people"), permissions=["change"])
def create_accounts(modeladmin, request, queryset):
    return _show_accounts(modeladmin, request, list(queryset.select_related("unit").order_by("sort_key")))


@admin.action(description=_("Create sign-in accounts for everyone in these units and the units under them"),
              permissions=["change"])
def create_unit_accounts(modeladmin, request, queryset):
    people = Person.objects.none()
    for unit in queryset:
        people = people | Person.objects.filter(unit__path__startswith=unit.path)
    return _show_accounts(modeladmin, request, list(people.select_related("unit").distinct().order_by("sort_key")))


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    actions = [create_unit_accounts]
    list_display = ["full_name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active", "depth"]
    search_fields = ["search_key", "full_name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    actions = [create_accounts]
    list_display = ["full_name", "rank", "position", "unit", "service_number"]
    list_filter = ["rank", "unit__kind"]
    search_fields = ["search_key", "full_name", "service_number", "citizen_id"]
    autocomplete_fields = ["unit", "user"]
    readonly_fields = ["family_name", "middle_name"]
    list_select_related = ["unit"]


@admin.register(Authority)
class AuthorityAdmin(ServiceAdmin):
    list_display = ["name", "heading", "level", "kind", "keeps_book", "place"]
    list_filter = ["level", "kind", "keeps_book"]
    search_fields = ["name", "heading"]
    autocomplete_fields = ["unit"]


@admin.register(ImportAlias)
class ImportAliasAdmin(ServiceAdmin):
    """The names old files write for authorities and titles, as officers mapped them in a ledger's
    preview: corrected or removed here (an import then asks again)."""

    list_display = ["name", "kind", "authority", "title", "office", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    fields = ["kind", "name", "authority", "title", "office"]
    autocomplete_fields = ["office"]


@admin.register(DirectoryGroup)
class DirectoryGroupAdmin(ServiceAdmin):
    """Which groups of the organisation's directory make which role, for which unit: read at each
    directory sign-in, so a person moved between groups there has the new role here."""

    list_display = ["dn", "role", "unit", "note"]
    list_filter = ["role"]
    search_fields = ["dn", "note", "unit__full_name"]
    autocomplete_fields = ["unit"]
    fields = ["dn", "role", "unit", "note"]


class TitleForm(forms.ModelForm):
    """The documents a dossier must carry, ticked rather than typed as a list."""

    required_attachments = forms.MultipleChoiceField(
        label=_("documents a dossier must carry"), choices=AttachmentKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Title._meta.get_field("required_attachments").help_text,
    )

    class Meta:
        model = Title
        fields = "__all__"


@admin.register(Title)
class TitleAdmin(ServiceAdmin):
    form = TitleForm
    list_display = ["name", "code", "category", "recipient_for", "rank_order", "certificate_name", "paper", "is_active"]
    list_filter = ["category", "recipient_for", "paper", "is_active"]
    search_fields = ["name", "code", "certificate_name"]


class LayoutFieldInline(admin.TabularInline):
    model = LayoutField
    extra = 0
    fields = ["field", "x_mm", "y_mm", "width_mm", "height_mm", "font_size", "style", "align", "shrink", "colour"]


class LayoutForm(forms.ModelForm):
    """With the version the editor started from: a layout saved meanwhile by someone else is
    refused, not overwritten."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CertificateLayout
        fields = ["title", "name", "paper", "paper_width_mm", "paper_height_mm", "is_default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version if self.instance.pk else None

    def clean_edit_version(self):
        version = self.cleaned_data.get("edit_version")
        if self.instance.pk:
            now = CertificateLayout.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if version != now:
                raise ValidationError(_("Someone else saved this layout while you were editing it. Open it again "
                                        "to see their changes, then make yours."))
        return version


@admin.register(CertificateLayout)
class CertificateLayoutAdmin(admin.ModelAdmin):
    """Layouts on pre-printed blanks, edited with a live preview over an outline of the blank."""

    form = LayoutForm
    inlines = [LayoutFieldInline]
    list_display = ["name", "title", "paper", "is_default", "updated_at"]
    list_filter = ["paper", "is_default", "title"]
    search_fields = ["name", "title__name"]
    change_form_template = "admin/awards/certificatelayout/change_form.html"
    fields = ["title", "name", "paper", "paper_width_mm", "paper_height_mm", "is_default", "edit_version"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        services.record_save(instance=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        # Each field placed, moved or removed is audited like any other record.
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            if removed.pk:
                services.record_delete(instance=removed, by=request.user)
        for field in instances:
            services.record_save(instance=field, by=request.user)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        layout = form.instance
        if not change and not layout.fields.exists():
            # A new layout starts from where the full drawing puts each field, scaled to its paper.
            services.layout_fill_defaults(layout=layout, by=request.user)

    def render_change_form(self, request, context, *args, **kwargs):
        # The live preview's labels and sample texts, read by static/js/layout_preview.js.
        context["blank_field_labels_json"] = json.dumps({k: str(v) for k, v in BlankField.choices}, ensure_ascii=False)
        context["blank_samples_json"] = json.dumps(SAMPLE_TEXTS, ensure_ascii=False)
        return super().render_change_form(request, context, *args, **kwargs)


class AwardInline(admin.TabularInline):
    model = Award
    fields = ["seq", "recipient_name", "title", "rank", "position", "unit_name", "register_number", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class RegistryRecordAdmin(ReadOnlyAdmin):
    """Decisions and awards are viewed here; they are corrected and revoked on the registry's own
    pages (the "View on site" button), where two editors cannot overwrite each other."""


@admin.register(Decision)
class DecisionAdmin(RegistryRecordAdmin):
    list_display = ["number", "date", "authority", "kind", "achievement_year", "signer_name"]
    list_filter = ["kind", "achievement_year", "authority"]
    search_fields = ["number", "subject", "reason", "signer_name"]
    date_hierarchy = "date"
    inlines = [AwardInline]


@admin.register(Award)
class AwardAdmin(RegistryRecordAdmin):
    list_display = ["recipient_name", "title", "authority", "year", "register_number", "status", "decision"]
    list_filter = ["status", "year", "title", "authority"]
    search_fields = ["search_key", "recipient_name", "decision__number", "verification_code"]
    list_select_related = ["title", "authority", "decision"]
    show_full_result_count = False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdmin):
    """The register books: the last number each authority handed out in a year."""

    list_display = ["authority", "year", "last_number"]
    list_filter = ["year", "authority"]
    search_fields = ["authority__name"]


@admin.register(Profile)
class ProfileAdmin(ServiceAdmin):
    list_display = ["user", "scope_unit"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user", "scope_unit"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(ServiceAdmin):
    """The conditions honours need: administrators keep them as the law and decrees change."""

    list_display = ["title", "decision_kind", "recipients", "any_of", "option", "kind", "required_title", "years",
                    "count", "percent", "citation", "is_active"]
    list_filter = ["kind", "decision_kind", "recipients", "is_active", "title"]
    search_fields = ["title__name", "required_title__name", "citation"]
    filter_horizontal = ["authorities", "required_authorities", "also_titles"]
    fieldsets = [
        (_("The honour"), {"fields": ["title", "authorities", "decision_kind", "recipients", "citation", "is_active"]}),
        (_("The condition"), {"fields": ["kind", "required_title", "also_titles", "required_authorities", "then_title",
                                         "min_rating", "min_level", "years", "count", "ending_last_year", "consumes",
                                         "percent", "quota_base"]}),
        (_("Combined with the honour's other conditions"), {"fields": ["any_of", "option"]}),
    ]


@admin.register(Rating, Initiative, Discipline, ServiceBreak)
class EvidenceAdmin(ServiceAdmin):
    """The evidence the rules read; units enter it on the person's and the unit's pages."""

    autocomplete_fields = ["person"]
    search_fields = ["person__search_key"]

    def get_autocomplete_fields(self, request):
        return ["person", "unit"] if self.model is Rating else ["person"]

    def save_model(self, request, obj, form, change):
        if isinstance(obj, ServiceBreak):
            services.service_break_save(instance=obj, by=request.user)
        else:
            services.evidence_save(instance=obj, by=request.user)

    def delete_model(self, request, obj):
        delete = services.service_break_delete if isinstance(obj, ServiceBreak) else services.evidence_delete
        delete(instance=obj, by=request.user)


@admin.register(PrintLog)
class PrintLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "award", "kind", "reprint", "ceremony"]
    list_filter = ["kind", "reprint"]
    search_fields = ["username", "award__recipient_name", "award__search_key"]
    list_select_related = ["award", "ceremony"]


@admin.register(Ceremony)
class CeremonyAdmin(ReadOnlyAdmin):
    """Ceremonies are arranged on their own pages; here they are only looked up."""

    list_display = ["name", "date", "place"]
    search_fields = ["name", "place"]
    date_hierarchy = "date"


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "person", "kind", "status", "unit", "resolved_by"]
    list_filter = ["status", "kind"]
    search_fields = ["person__search_key", "message"]
    list_select_related = ["person", "unit", "resolved_by"]


admin.site.site_header = _("Emulation and commendation registry")
admin.site.site_title = _("Registry back office")


@admin.register(BaseSalary)
class BaseSalaryAdmin(ServiceAdmin):
    """The base salary from each date: a new one is added with its date, never typed over an old one."""

    list_display = ["effective_from", "amount", "citation"]


@admin.register(PrizeCoefficient)
class PrizeCoefficientAdmin(ServiceAdmin):
    """Prize coefficients, each from its date: a decree's change is a new row dated when it takes effect."""

    list_display = ["title", "authority_level", "recipient_kind", "coefficient", "effective_from", "round_up_to",
                    "citation"]
    list_filter = ["title", "recipient_kind", "authority_level", "effective_from"]
    search_fields = ["title__name", "citation"]


@admin.register(Council)
class CouncilAdmin(ServiceAdmin):
    list_display = ["unit", "members", "chair", "secretary"]
    search_fields = ["unit__full_name", "chair"]
    autocomplete_fields = ["unit"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ServiceAdmin):
    list_display = ["kind", "updated_at"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Long work the worker did: who asked, what, how it ended (the file is its asker's only)."""

    list_display = ["created_at", "user", "label", "state", "total", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["user__username", "label", "message"]
    date_hierarchy = "created_at"
    exclude = ["params"]


# The task library's own table is plumbing behind the jobs above (and speaks English only).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
