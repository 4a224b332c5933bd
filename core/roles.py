"""Roles a user can hold in a region. Municipal users are a separate kind of membership."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROCUREMENT_OFFICER = "procurement_officer", _("Inkoper")
    CONTRACT_MANAGER = "contract_manager", _("Contractmanager")
    VIEWER = "viewer", _("Meelezer")
    # Runs the region's set-up: its users, the report schedule and the API clients. Reads as a
    # viewer.
    ADMINISTRATOR = "administrator", _("Regiobeheerder")


ALL_REGION_ROLES = frozenset(Role.values)
# The audit trail names officers: every region role reads it, municipal users do not.
HISTORY_READERS = ALL_REGION_ROLES
# Who may change what, per kind of data. Municipal users and viewers only read.
LANDSCAPE_EDITORS = frozenset({Role.PROCUREMENT_OFFICER})
PROVIDER_EDITORS = frozenset({Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER})
PROCUREMENT_EDITORS = frozenset({Role.PROCUREMENT_OFFICER})
# Members of an assessment committee: they score submissions, each only for themselves.
ASSESSORS = frozenset({Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER})
# Reports: who may have one generated (or regenerated) on demand, and who edits the schedule.
REPORT_REQUESTERS = frozenset({Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.ADMINISTRATOR})
REPORT_SCHEDULERS = frozenset({Role.ADMINISTRATOR})
# Onboarding: the region administrator manages the region's users; municipalities are added by
# CBS code by the landscape editors and the region administrator.
USER_MANAGERS = frozenset({Role.ADMINISTRATOR})
MUNICIPALITY_ADDERS = LANDSCAPE_EDITORS | frozenset({Role.ADMINISTRATOR})
# The roles a region administrator gives (the staff roles of a region).
STAFF_ROLES = (Role.PROCUREMENT_OFFICER, Role.CONTRACT_MANAGER, Role.VIEWER, Role.ADMINISTRATOR)
# The region's public pages (/openbaar/<code>/): the region administrator turns them on and sets
# the small-cell threshold.
PUBLIC_PAGE_MANAGERS = frozenset({Role.ADMINISTRATOR})
#: who sets the signing officer and contracting authority of the region's decision letters
LETTER_SIGNATORY_MANAGERS = frozenset({Role.ADMINISTRATOR})
