from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Gebruikers en rollen")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import MunicipalityMembership, RegionMembership, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(RegionMembership)
        auditlog.register(MunicipalityMembership)
