from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Emulation and commendation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import roles

        post_migrate.connect(roles.on_post_migrate, sender=self)
