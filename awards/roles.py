"""The four roles, as groups with permissions, kept in step on every migrate."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

OFFICER, ORGANISER, STAFF, ADMINISTRATOR = "Officer", "Organiser", "Staff", "Administrator"

_READ = [
    "awards.view_award", "awards.view_decision", "awards.view_person", "awards.view_unit",
    "awards.view_authority", "awards.view_title",
]
ROLE_PERMISSIONS = {
    STAFF: _READ,
    ORGANISER: _READ + [
        "awards.print_certificate", "awards.view_ceremony", "awards.add_ceremony", "awards.change_ceremony",
        "awards.delete_ceremony", "awards.view_printlog", "awards.view_report",
    ],
    OFFICER: _READ + [
        "awards.add_decision", "awards.change_decision", "awards.add_award", "awards.change_award",
        "awards.revoke_award", "awards.view_personal_data", "awards.add_person", "awards.change_person",
        "awards.print_certificate", "awards.view_auditentry", "awards.view_ceremony", "awards.view_printlog",
        "awards.view_report", "awards.view_correctionrequest", "awards.change_correctionrequest",
        *(f"awards.{action}_{model}" for model in ("rating", "initiative", "discipline", "servicebreak")
          for action in ("view", "add", "change", "delete")),
        "awards.view_dossier", "awards.add_dossier", "awards.change_dossier", "awards.review_dossier",
    ],
    # Administrators get every permission of the app and of accounts (see below).
    ADMINISTRATOR: [],
}
_ADMIN_APPS = ("awards", "auth")
# What each role is called on the pages.
ROLE_LABELS = {
    OFFICER: _("awards officer"),
    ORGANISER: _("ceremony organiser"),
    STAFF: _("staff member"),
    ADMINISTRATOR: _("administrator"),
}


def roles_holding(permissions):
    """The names (as the pages say them) of the roles that hold every one of these permissions;
    administrators hold them all."""
    wanted = set(permissions)
    return [str(ROLE_LABELS[name]) for name, held in ROLE_PERMISSIONS.items()
            if name == ADMINISTRATOR or wanted <= set(held)]


def ensure_roles():
    """Create or refresh the role groups so they hold exactly their permissions."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if name == ADMINISTRATOR:
            perms = Permission.objects.filter(content_type__app_label__in=_ADMIN_APPS)
        else:
            perms = [
                Permission.objects.get(content_type__app_label=label, codename=codename)
                for label, codename in (p.split(".") for p in codenames)
            ]
        group.permissions.set(perms)


def on_post_migrate(app_config, apps=None, **kwargs):
    # Permissions are made by auth's own post_migrate handler, which may run after ours.
    from django.apps import apps as global_apps

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0)
    ensure_roles()
