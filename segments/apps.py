from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegmentsConfig(AppConfig):
    name = "segments"
    verbose_name = _("Jeugdhulplandschap")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit log)
