"""django-auditlog names its actions in English (``LogEntry.Action``: "create", "update",
"delete", "access") and ships no Dutch catalog. These markers put the four names in our
catalogs, which Django consults first (``LOCALE_PATHS``), so every history table reads Dutch."""

from django.utils.translation import gettext_noop

AUDIT_ACTIONS = (
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
)
