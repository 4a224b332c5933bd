"""System checks of the open data settings: the OCDS ocid prefix (docs/configuration.md)."""

import re

from django.conf import settings
from django.core import checks

from .ocds import DEFAULT_OCID_PREFIX

#: ``ocds-`` and the six lowercase letters or digits the Open Contracting Partnership assigns
OCID_PREFIX_RE = re.compile(r"^ocds-[a-z0-9]{6}$")


@checks.register()
def check_ocid_prefix(app_configs=None, **kwargs):
    prefix = getattr(settings, "OCDS_OCID_PREFIX", DEFAULT_OCID_PREFIX)
    if not OCID_PREFIX_RE.match(prefix or ""):
        return [
            checks.Error(
                f"OCDS_OCID_PREFIX {prefix!r} is not an ocid prefix.",
                hint="Use 'ocds-' followed by 6 lowercase letters or digits, as registered with "
                "the Open Contracting Partnership (e.g. ocds-a1b2c3).",
                id="api.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_ocid_prefix_registered(app_configs=None, **kwargs):
    prefix = getattr(settings, "OCDS_OCID_PREFIX", DEFAULT_OCID_PREFIX)
    if prefix == DEFAULT_OCID_PREFIX:
        return [
            checks.Warning(
                f"OCDS_OCID_PREFIX is the placeholder {DEFAULT_OCID_PREFIX!r}: the OCDS package "
                "(/api/v1/regios/<code>/ocds) publishes ocids no one registered.",
                hint="Register a prefix with the Open Contracting Partnership and set "
                "OCDS_OCID_PREFIX in the environment (docs/configuration.md).",
                id="api.W001",
            )
        ]
    return []
