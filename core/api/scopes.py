"""The scopes an API client can hold: which groups of endpoints it may use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    READ_FIGURES = "cijfers-lezen", _("Cijfers lezen")
    READ_CONTRACTS = "contracten-lezen", _("Contracten lezen")
    WRITE_PRODUCTION = "productie-schrijven", _("Productiegegevens aanleveren")
    # the region's own rules and reference data (intensities, profiles, screening kinds, …);
    # only a regional system may hold it
    WRITE_CONFIGURATION = "inrichting-schrijven", _("Inrichting van de regio beheren")
