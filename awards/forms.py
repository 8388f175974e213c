"""Forms: they check what was typed and hand clean values to the services; they write nothing."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import text
from .formfields import KeysChoiceField, WholeNumberField, unit_choices
from .choices import (
    AliasKind,
    AttachmentKind,
    AuthorityLevel,
    CorrectionKind,
    CorrectionStatus,
    DossierAction,
    Rank,
    TitleCategory,
    TitleFor,
)
from .models import (
    Authority,
    Award,
    Ceremony,
    Decision,
    Discipline,
    Dossier,
    Initiative,
    NominationDeadline,
    Nominee,
    Person,
    Rating,
    ServiceBreak,
    Title,
    Unit,
)
from .selectors import creatable_references
from .services import AWARD_CORRECTABLE, RecipientRow, missing_signer
from .widgets import style_widgets

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class DecisionForm(StyledFormMixin, forms.ModelForm):
    justification = forms.CharField(
        label=_("Reason to record rows that do not meet the rules"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when rows are marked as not meeting the rules; it is kept in the history."),
    )

    class Meta:
        model = Decision
        fields = [
            "number", "date", "authority", "kind", "achievement_year", "title", "subject", "reason",
            "signer_prefix", "signer_on_behalf_of", "signer_title", "signer_rank", "signer_name", "scan",
        ]
        widgets = {"date": _DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        titles = Title.objects.filter(is_active=True)
        self.fields["title"].queryset = titles
        # The subject line follows the default title chosen, until the officer edits it by hand
        # (static/js/decision_form.js); each title's subject comes from here.
        subjects = {"": Decision._meta.get_field("subject").default}
        subjects.update({str(t.pk): t.decision_subject for t in titles})
        self.fields["title"].widget.attrs["data-subjects"] = json.dumps(subjects, ensure_ascii=False)
        if not self.is_bound and self.initial.get("title") and "subject" not in (kwargs.get("initial") or {}):
            chosen = titles.filter(pk=self.initial["title"]).first()
            if chosen is not None:
                self.initial["subject"] = chosen.decision_subject
        if "scan" in self.fields:
            self.fields["scan"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def require_signer(form, titles):
    """The signer's fields, where they are typed, refuse what services.missing_signer says is
    missing; True if nothing is."""
    data = form.cleaned_data
    missing = missing_signer(signer_title=data.get("signer_title"), signer_name=data.get("signer_name"),
                             titles=titles)
    for field, message in missing.items():
        form.add_error(field, message)
    return not missing


class DecisionEditForm(DecisionForm):
    """A correction of a decision; version is what the editor started from."""

    justification = None

    version = WholeNumberField(widget=forms.HiddenInput)

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            require_signer(self, Title.objects.filter(awards__decision=self.instance).distinct())
        return data


class RecipientRowForm(StyledFormMixin, forms.Form):
    """One recipient line: "p:<id>" for a person or "u:<id>" for a collective."""

    recipient = forms.CharField(widget=forms.HiddenInput)
    title = forms.ModelChoiceField(
        queryset=Title.objects.filter(is_active=True), required=False, label=_("Title or form"),
        empty_label=_("(the decision's title)"),
    )
    achievement = forms.CharField(
        label=_("Achievement"), required=False, widget=forms.Textarea(attrs={"rows": 1}),
    )
    register_number = WholeNumberField(
        label=_("Register no. on the certificate"), required=False, min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}),
    )

    def clean_recipient(self):
        kind, _sep, pk = self.cleaned_data["recipient"].partition(":")
        model = {"p": Person, "u": Unit}.get(kind)
        if model is None or text.plain_int(pk) is None:
            raise ValidationError(_("Choose the recipient from the search results."))
        qs = model.objects.select_related("unit") if model is Person else model.objects.all()
        obj = qs.filter(pk=pk).first()
        if obj is None:
            raise ValidationError(_("This recipient no longer exists in the registry."))
        return obj

    def _recipient(self):
        if hasattr(self, "cleaned_data"):
            return self.cleaned_data.get("recipient")
        # An unbound row started from the candidates page: its initial "p:12".
        kind, _sep, pk = str(self.initial.get("recipient", "")).partition(":")
        model = {"p": Person, "u": Unit}.get(kind)
        return model.objects.filter(pk=pk).first() if model and text.plain_int(pk) is not None else None

    @property
    def recipient_label(self):
        obj = self._recipient()
        if isinstance(obj, Person):
            return obj.display_name
        return str(obj) if obj is not None else ""

    @property
    def recipient_detail(self):
        obj = self._recipient()
        if isinstance(obj, Person):
            return ", ".join(x for x in (obj.position, obj.unit.full_name) if x)
        return ""

    def row(self):
        obj = self.cleaned_data["recipient"]
        return RecipientRow(
            person=obj if isinstance(obj, Person) else None, unit=obj if isinstance(obj, Unit) else None,
            title=self.cleaned_data.get("title"), achievement=self.cleaned_data.get("achievement", ""),
            register_number=self.cleaned_data.get("register_number"),
        )


class BaseRecipientFormSet(forms.BaseFormSet):
    def kept_forms(self):
        """The rows to record, in order (rows removed on the page are left out)."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        return [f for f in self.forms if f not in deleted and f.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        if not self.kept_forms():
            raise ValidationError(_("Add at least one recipient."))


RecipientFormSet = forms.formset_factory(
    RecipientRowForm, formset=BaseRecipientFormSet, extra=0, can_delete=True,
    max_num=3000, validate_max=True, absolute_max=3000,
)


class AwardCorrectForm(StyledFormMixin, forms.ModelForm):
    """A correction of an award's title, wording or snapshot of the recipient."""

    version = WholeNumberField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why the correction"), required=False, widget=forms.TextInput,
        help_text=_("Recorded in the history, e.g. the document the correction is based on."),
    )

    class Meta:
        model = Award
        fields = [name for name in AWARD_CORRECTABLE if name != "register_number"]
        widgets = {"achievement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.instance.recipient_kind
        self.fields["title"].queryset = Title.objects.filter(recipient_for__in=["both", kind])
        self.fields["rank"].choices = [("", "—")] + list(Rank.choices)
        if not self.instance.authority.keeps_book:
            # An honour from above: its number is the one printed on the certificate that arrived.
            self.fields["register_number"] = WholeNumberField(
                label=_("Register no."), required=False, min_value=1, initial=self.instance.register_number,
                help_text=_("As printed on the certificate from %(authority)s.") % {"authority": self.instance.authority},
            )
            self.order_fields([*self._meta.fields, "register_number", "note", "version"])

    def _post_clean(self):
        # The service validates the award against the registry, with its version lock.
        pass

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name in AWARD_CORRECTABLE}


class RevokeForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Revoking decision number"), max_length=64)
    date = forms.DateField(label=_("Revoking decision date"), widget=_DATE)
    reason = forms.CharField(label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 2}))
    version = WholeNumberField(widget=forms.HiddenInput)


class CeremonyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Ceremony
        fields = ["name", "date", "place", "notes"]
        widgets = {"date": _DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class CeremonyEditForm(CeremonyForm):
    version = WholeNumberField(widget=forms.HiddenInput)

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, decision):
        return f"{decision.number} – {decision.date:%d/%m/%Y} – {decision.authority}"


class CeremonyAddForm(StyledFormMixin, forms.Form):
    decision = DecisionChoiceField(
        label=_("Add the awards of a decision"),
        queryset=Decision.objects.select_related("authority").order_by("-date", "-pk"),
    )


class CeremonyMoveForm(forms.Form):
    item = WholeNumberField()
    position = WholeNumberField(min_value=1)


class OwnAwardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, award):
        return f"{award.year} – {award.title} ({award.decision.number})"


class CorrectionRequestForm(StyledFormMixin, forms.Form):
    award = OwnAwardChoiceField(
        queryset=Award.objects.none(), required=False, label=_("Which honour"),
        empty_label=_("(an honour missing from my record)"),
    )
    kind = forms.ChoiceField(label=_("What is wrong"), choices=[("", _("— choose —")), *CorrectionKind.choices])
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong and what it should be; for a missing honour, its decision number and year."),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = (
            Award.objects.filter(person=person).select_related("title", "decision").order_by("-year", "-pk")
        )
        # The form starts from "an honour is missing" when no honour is chosen, and asks for the
        # kind of mistake when one is: never a kind that contradicts the honour shown.
        if not self.is_bound and "kind" not in self.initial:
            self.initial["kind"] = CorrectionKind.MISSING if not self.initial.get("award") else ""

    def clean(self):
        data = super().clean()
        kind, award = data.get("kind"), data.get("award")
        if kind == CorrectionKind.MISSING and award is not None:
            self.add_error("kind", _("An honour in your record is not missing: choose what is wrong with it, "
                                     "or choose “(an honour missing from my record)” above."))
        elif kind not in (None, "", CorrectionKind.MISSING, CorrectionKind.OTHER) and award is None:
            self.add_error("award", _("Choose the honour that has the mistake."))
        return data


class CorrectionAnswerForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(CorrectionStatus.RESOLVED, _("Corrected as below")), (CorrectionStatus.REJECTED, _("Not changed"))],
    )
    note = forms.CharField(label=_("Answer to the requester"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, with_award=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_award:  # a missing honour: nothing to correct here, it is recorded by a decision
            self.fields["status"].choices = [
                (CorrectionStatus.RESOLVED, _("Done: the record was put right (the missing honour recorded)")),
                (CorrectionStatus.REJECTED, _("Not changed")),
            ]


class YearReportForm(StyledFormMixin, forms.Form):
    year_from = WholeNumberField(label=_("From year"), min_value=1945, max_value=2100)
    year_to = WholeNumberField(label=_("To year"), min_value=1945, max_value=2100)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.order_by("path"), required=False, label=_("Unit (with everything under it)"),
        empty_label=_("Whole registry"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any unit may be asked for by id; the select lists the tree's upper levels and the
        # chosen one (thousands of options would make the page slow and the select unusable).
        self.fields["unit"].widget.choices = unit_choices(
            self.fields["unit"].empty_label, self.data.get("unit") or self.initial.get("unit"))

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise ValidationError(_("The first year comes after the last."))
        return data


class SpreadsheetFields(forms.Form):
    spreadsheet = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"empty": _("The file is empty.")},
    )
    sheet = forms.CharField(label=_("Sheet"), required=False, help_text=_("Empty: the first visible sheet."))
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        return _need_file(self, super().clean())


class DecisionImportForm(DecisionForm):
    """The decision being recorded, and the file of its recipients."""

    spreadsheet = SpreadsheetFields.base_fields["spreadsheet"]
    sheet = SpreadsheetFields.base_fields["sheet"]
    token = SpreadsheetFields.base_fields["token"]

    class Meta(DecisionForm.Meta):
        fields = [f for f in DecisionForm.Meta.fields if f != "scan"]

    def validate_unique(self):
        # A decision already in the registry is the importer's to judge: the same file again
        # adds nothing and says so; new rows for it are refused on their rows.
        pass

    def clean(self):
        return _need_file(self, super().clean())


class RosterImportForm(StyledFormMixin, SpreadsheetFields):
    pass


class LedgerImportForm(StyledFormMixin, SpreadsheetFields):
    pass


class LedgerNameForm(StyledFormMixin, forms.Form):
    """A name a ledger writes for an authority or a title that the registry does not know:
    mapped to a record of the registry, or a record to create; remembered once written."""

    NEW = "new"
    kind = forms.ChoiceField(choices=AliasKind.choices, widget=forms.HiddenInput)
    name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    target = forms.ChoiceField(label=_("In the registry"), required=False)
    new_name = forms.CharField(label=_("Full name of the one to create"), max_length=200, required=False)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False,
                                   choices=[("", "—"), *AuthorityLevel.choices])
    keeps_book = forms.BooleanField(label=_("Keeps its register book here"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", "—"), *TitleCategory.choices])
    recipient_for = forms.ChoiceField(label=_("Awarded to"), required=False, choices=[("", "—"), *TitleFor.choices])

    def __init__(self, *args, records=None, can_create=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else self.initial.get("kind")
        self.records = (records or {}).get(kind, [])
        # Creating an authority or a title is an administrator's right; an officer maps the name.
        self.creates = bool((can_create or {}).get(kind))
        self.fields["target"].choices = [("", _("— choose —")), *[(str(r.pk), str(r)) for r in self.records],
                                         *([(self.NEW, _("Create it"))] if self.creates else [])]

    @property
    def is_authority(self):
        return (self["kind"].value() or "") == AliasKind.AUTHORITY

    def clean(self):
        data = super().clean()
        target, kind = data.get("target"), data.get("kind")
        if not target:
            data["record"] = None
            return data
        if target != self.NEW:
            data["record"] = next((r for r in self.records if str(r.pk) == target), None)
            return data
        name = text.normalize(data.get("new_name") or data.get("name") or "")
        model = Authority if kind == AliasKind.AUTHORITY else Title
        if model.objects.filter(name=name).exists():
            self.add_error("new_name", _("“%(name)s” is in the registry already: choose it in the list.") % {"name": name})
        if kind == AliasKind.AUTHORITY:
            if not data.get("level"):
                self.add_error("level", _("Choose the level of the authority to create."))
            data["record"] = Authority(name=name, level=data.get("level") or AuthorityLevel.DEPARTMENT,
                                       keeps_book=bool(data.get("keeps_book")))
        else:
            for field in ("category", "recipient_for"):
                if not data.get(field):
                    self.add_error(field, _("Choose this for the title to create."))
            data["record"] = Title(name=name, code=_new_title_code(name), category=data.get("category") or "",
                                   recipient_for=data.get("recipient_for") or "", certificate_name=name.upper())
        return data


def _new_title_code(name):
    from django.utils.text import slugify

    base = slugify(text.fold(name))[:24] or "danh-hieu"
    code, n = base, 1
    while Title.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


class BaseLedgerNameFormSet(forms.BaseFormSet):
    """The ledger's unknown names, each mapped or to create: {(kind, folded name): record}."""

    def __init__(self, *args, user=None, **kwargs):
        records = {AliasKind.AUTHORITY: list(Authority.objects.all()), AliasKind.TITLE: list(Title.objects.all())}
        can_create = creatable_references(user) if user is not None else {}
        super().__init__(*args, form_kwargs={"records": records, "can_create": can_create}, **kwargs)

    def mappings(self):
        return {(form.cleaned_data["kind"], text.fold(form.cleaned_data["name"])): form.cleaned_data["record"]
                for form in self.forms if form.cleaned_data.get("record") is not None}


LedgerNameFormSet = forms.formset_factory(LedgerNameForm, formset=BaseLedgerNameFormSet, extra=0)


def _need_file(form, data):
    # An empty or unreadable upload already says what is wrong with it; nothing more to add.
    if not data.get("spreadsheet") and not data.get("token") and "spreadsheet" not in form.errors:
        form.add_error("spreadsheet", _("Choose the file to import."))
    return data


class RatingForm(StyledFormMixin, forms.ModelForm):
    version = WholeNumberField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Rating
        fields = ["year", "rating", "note"]


class InitiativeForm(StyledFormMixin, forms.ModelForm):
    version = WholeNumberField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Initiative
        fields = ["year", "kind", "name", "level", "decision"]


class DisciplineEntryForm(StyledFormMixin, forms.ModelForm):
    version = WholeNumberField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Discipline
        fields = ["form", "decision", "decided_on", "ends_on", "reason"]
        widgets = {"decided_on": _DATE, "ends_on": _DATE}


EVIDENCE_FORMS = {"rating": RatingForm, "initiative": InitiativeForm, "discipline": DisciplineEntryForm}


class EnlistmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["enlisted_on"]
        widgets = {"enlisted_on": _DATE}


class ServiceBreakForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ServiceBreak
        fields = ["start", "end", "note"]
        widgets = {"start": _DATE, "end": _DATE}


class EvidenceImportForm(StyledFormMixin, SpreadsheetFields):
    pass


class PrinterOffsetForm(StyledFormMixin, forms.Form):
    """How far this user's printer shifts the print, read off the alignment sheet."""

    x_mm = forms.DecimalField(label=_("To the right (mm)"), max_digits=4, decimal_places=1, min_value=-30,
                              max_value=30, help_text=_("Negative: to the left."))
    y_mm = forms.DecimalField(label=_("Downwards (mm)"), max_digits=4, decimal_places=1, min_value=-30,
                              max_value=30, help_text=_("Negative: upwards."))


# ---- the road to a decision ---------------------------------------------------------------------

class DossierForm(StyledFormMixin, forms.ModelForm):
    """A dossier's details: the proposing unit (one of the officer's), the authority, year and kind."""

    class Meta:
        model = Dossier
        fields = ["unit", "authority", "year", "kind", "campaign", "reference", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            units = Unit.objects.order_by("path")
            if scope is not None:
                units = units.filter(path__startswith=scope.path)
            self.fields["unit"].queryset = units
            # The officer's own unit and the two levels below it; any other of theirs by id.
            shallow = units.filter(depth__lte=(scope.depth if scope is not None else 0) + 2)
            selected = self.data.get("unit") or self.initial.get("unit")
            picked = text.plain_int(selected)
            rows = shallow | units.filter(pk=picked) if picked is not None else shallow
            self.fields["unit"].widget.choices = unit_choices("", None)[:1] + [
                (pk, "\u2003" * depth + name) for pk, depth, name in rows.order_by("path").values_list(
                    "pk", "depth", "full_name")]


class DossierEditForm(DossierForm):
    version = WholeNumberField(widget=forms.HiddenInput)

    class Meta(DossierForm.Meta):
        fields = [f for f in DossierForm.Meta.fields if f != "unit"]

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def parse_recipient(value):
    """A person ("p:<id>") or a collective ("u:<id>") named by a picker, or None."""
    kind, _sep, pk = str(value or "").partition(":")
    model = {"p": Person, "u": Unit}.get(kind)
    if model is None or text.plain_int(pk) is None:
        return None
    qs = model.objects.select_related("unit") if model is Person else model.objects.all()
    return qs.filter(pk=pk).first()


class NomineeForm(StyledFormMixin, forms.Form):
    recipient = forms.CharField(label=_("Person or collective"), widget=forms.RadioSelect)
    title = forms.ModelChoiceField(queryset=Title.objects.filter(is_active=True), label=_("Honour proposed"))
    summary = forms.CharField(label=_("Summary of achievement"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, found=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].widget.choices = [(r["id"], f"{r['label']} — {r['detail']}" if r["detail"] else r["label"])
                                                   for r in found]

    def clean_recipient(self):
        obj = parse_recipient(self.cleaned_data["recipient"])
        if obj is None:
            raise ValidationError(_("Choose the person or collective from the search results."))
        return obj


class NomineeImportForm(StyledFormMixin, SpreadsheetFields):
    pass


class NomineeEditForm(StyledFormMixin, forms.Form):
    title = forms.ModelChoiceField(queryset=Title.objects.filter(is_active=True), label=_("Honour proposed"))
    summary = forms.CharField(label=_("Summary of achievement"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    version = WholeNumberField(widget=forms.HiddenInput)


class AttachmentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    nominee = forms.ModelChoiceField(queryset=Nominee.objects.none(), required=False, label=_("For the nominee"),
                                     help_text=_("Only for an achievement report."), empty_label="—")
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word (DOCX), JPEG or PNG."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}))

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = dossier.nominees.select_related("person", "unit", "title")
        self.fields["nominee"].label_from_instance = lambda n: str(n.recipient)


class MoveForm(forms.Form):
    """A move of the dossier or a nominee: which, from which version, with its note or reason."""

    action = forms.ChoiceField(choices=DossierAction.choices)
    version = WholeNumberField()
    note = forms.CharField(required=False, max_length=2000)
    title = forms.ModelChoiceField(queryset=Title.objects.filter(is_active=True), required=False)


class ForwardForm(StyledFormMixin, forms.Form):
    authority = forms.ModelChoiceField(queryset=Authority.objects.none(), label=_("Forward to"))
    reference = forms.CharField(label=_("Submission number"), required=False, max_length=64)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    nominees = KeysChoiceField(queryset=Nominee.objects.none(), label=_("Nominees"),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, nominees, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = nominees
        self.fields["authority"].queryset = authorities


class DossierDecisionForm(DecisionForm):
    """The decision made from an approved list: its authority, year and kind are the list's."""

    nominees = KeysChoiceField(queryset=Nominee.objects.none(), widget=forms.CheckboxSelectMultiple,
                                              label=_("Nominees"))

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = nominees
        for name in ("authority", "achievement_year", "kind"):
            self.fields[name].disabled = True


class DeadlineForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = NominationDeadline
        fields = ["authority", "year", "kind", "campaign", "due_on"]
        widgets = {"due_on": _DATE}

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities

    def validate_unique(self):
        pass  # setting it again moves it (services.deadline_save)


class MeetingForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=_DATE)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    members_present = WholeNumberField(label=_("Members present"), min_value=0)
    chair = forms.CharField(label=_("Chair"), required=False, max_length=200)
    secretary = forms.CharField(label=_("Secretary"), required=False, max_length=200)


class ListingForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("Public from"), widget=_DATE)
    days = WholeNumberField(label=_("For (days)"), min_value=1, max_value=60, initial=5)


class ObjectionForm(StyledFormMixin, forms.Form):
    message = forms.CharField(label=_("Objection or comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    version = WholeNumberField(widget=forms.HiddenInput)
