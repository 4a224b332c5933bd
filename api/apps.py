from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("REST API")

    def ready(self):
        from . import (
            audit,  # noqa: F401  (registers the clients and keys with the audit log)
            checks,  # noqa: F401  (the OCDS ocid prefix: api.E001, api.W001 --deploy)
        )
