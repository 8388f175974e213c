"""Shared by every page: permission and sign-in mixins, scoped objects, edits that refuse a stale version."""

from django.contrib import messages
from django.contrib.auth import mixins
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from .. import roles, selectors, services


class PermissionRequiredMixin(mixins.PermissionRequiredMixin):
    """Django's, with a refusal that says which roles may open the page (the 403 page shows it)."""

    def get_permission_denied_message(self):
        names = roles.roles_holding(self.get_permission_required())
        return _("This page is for: %(roles)s. Your account does not have that role; ask an administrator "
                 "if your work needs it.") % {"roles": ", ".join(names)}


class SignedInView(LoginRequiredMixin):
    """Readable by every signed-in person: honours are announced in public."""

class ObjectScopeMixin:
    """An officer acts only on what lies within their units: refused (403) otherwise."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.allowed(self.request.user, obj):
            raise PermissionDenied(_("This record is outside your units, or cannot be changed."))
        return obj


class VersionedEditView(PermissionRequiredMixin, DetailView, FormView):
    """A correction with a version check: a stale save is refused, shows what the other person
    changed, and keeps what this one typed."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A fresh copy: a model form writes its values onto its instance while validating.
        instance = type(self.object).objects.get(pk=self.object.pk)
        return {**super().get_form_kwargs(), "instance": instance, "initial": {"version": self.object.version}}

    def form_valid(self, form):
        try:
            self.save(form)
        except services.StaleEditError as error:
            return self.render_to_response(
                self.get_context_data(form=stale_form(form, error), stale=stale_rows(self.model, error))
            )
        except services.RegistryError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The correction was saved."))
        return redirect(self.object)


def stale_form(form, error):
    """The editor's own values kept, now based on the current version: nothing they typed is lost."""
    data = form.data.copy()
    data["version"] = error.current.version
    return type(form)(data, form.files, instance=error.current)


def stale_rows(model, error):
    """What the other person changed: (field, value now saved, value this edit wanted)."""
    rows = []
    for name, (now, wanted) in error.conflicts.items():
        field = model._meta.get_field(name)
        rows.append((field.verbose_name, selectors.display_value(field, now), selectors.display_value(field, wanted)))
    return rows
