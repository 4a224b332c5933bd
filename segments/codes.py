"""Standard code lists (DOMAIN.md §7): iJw product categories and units, participation,
and the rules for running profiles alongside each other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductCategory(models.TextChoices):
    """iJw JZ020 product category."""

    PERSONAL_CARE = "40", _("40 Persoonlijke verzorging")
    DAY_TREATMENT = "41", _("41 Dagbehandeling")
    TRANSPORT = "42", _("42 Vervoerdiensten")
    RESIDENTIAL_WITH_TREATMENT = "43", _("43 Jeugdhulp verblijf (incl. behandeling)")
    RESIDENTIAL_WITHOUT_TREATMENT = "44", _("44 Jeugdhulp verblijf (excl. behandeling)")
    AMBULANT = "45", _("45 Jeugdhulp ambulant")
    CRISIS = "46", _("46 Jeugdhulp crisis")
    JUVENILE_PROBATION = "47", _("47 Jeugdreclassering")
    YOUTH_PROTECTION = "48", _("48 Jeugdbescherming")
    PREVENTIVE_JUSTICE = "49", _("49 Preventief justitieel kader")
    CUSTOM_ARRANGEMENTS = "50", _("50 Maatwerkarrangementen")
    GENERALIST_BASIC_MH = "51", _("51 Generalistische basis-ggz")
    SPECIALIST_MH = "52", _("52 Specialistische ggz")
    PAEDIATRICS = "53", _("53 Kindergeneeskunde")
    YOUTH_MH = "54", _("54 Jeugd-ggz")
    NATIONAL = "55", _("55 Landelijk ingekochte zorg")


class Unit(models.TextChoices):
    """iJw WJ756 unit."""

    MINUTE = "01", _("01 minuut")
    HOUR = "04", _("04 uur")
    ETMAAL = "14", _("14 etmaal")
    DAGDEEL = "16", _("16 dagdeel (4 uur)")
    PIECES_OUTPUT = "82", _("82 stuks (output)")
    EUROS = "83", _("83 euro's")
    PIECES_EFFORT = "84", _("84 stuks (inspanning)")
    KILOMETRE = "85", _("85 kilometer")


class ParallelRule(models.TextChoices):
    """Whether a profile product of an intensity may run alongside another profile for the
    same family (seed 004, 'Stapeling'): each region sets this per intensity."""

    EXCLUSIVE = "exclusive", _("Niet naast een ander profiel")
    ALONGSIDE = "alongside", _("Mag naast een ander profiel lopen")
    LIMITED = "limited", _("Mag een beperkt aantal dagen naast een ander profiel lopen")


class ParticipationLevel(models.TextChoices):
    FULL = "full", _("Volledig")
    PARTIAL = "partial", _("Gedeeltelijk")
    NONE = "none", _("Neemt niet deel")
