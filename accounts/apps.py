from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en rollen")

    def ready(self):
        from . import audit  # noqa: F401  (registers the models with the audit log)
