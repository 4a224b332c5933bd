"""Every change of a user, their roles and their standing in a region is recorded
(django-auditlog), with the acting user. Passwords and the last login are never logged."""

from auditlog.registry import auditlog

from .models import MunicipalityMembership, RegionMembership, RegionUser, User

auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(RegionMembership)
auditlog.register(MunicipalityMembership)
auditlog.register(RegionUser)
