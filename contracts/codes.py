"""Code lists of contract management (DOMAIN.md §5, §6 and §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    START = "start", pgettext_lazy("contract event", "Start")
    EXTENSION = "extension", _("Verlenging")
    AMENDMENT = "amendment", _("Wijziging")
    TERMINATION = "termination", _("Beëindiging")
    REVERSAL = "reversal", _("Terugdraaiing")


class ContractStatus(models.TextChoices):
    """Follows from the dates and the events, never set by hand."""

    PLANNED = "planned", _("Nog niet gestart")
    ACTIVE = "active", _("Lopend")
    EXTENDED = "extended", _("Lopend (verlengd)")
    ENDED = "ended", pgettext_lazy("contract status", "Afgelopen")
    TERMINATED = "terminated", pgettext_lazy("contract status", "Beëindigd")


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Maandelijks")
    QUARTERLY = "quarterly", _("Per kwartaal")
    HALF_YEARLY = "half_yearly", _("Per halfjaar")
    YEARLY = "yearly", _("Jaarlijks")


class ArrangementModel(models.TextChoices):
    """One funding model per arrangement; a contract with several models is hybrid."""

    PXQ = "pxq", _("Inspanningsgericht (PxQ)")
    OUTPUT = "output", _("Outputgericht")
    TASK = "task", _("Taakgericht (lumpsum)")
    AVAILABILITY = "availability", _("Beschikbaarheid")


class OutputPayment(models.TextChoices):
    """When the fixed price of an output trajectory falls due."""

    AT_START = "start", _("Bij de start van het traject")
    AT_END = "end", _("Bij het einde van het traject")
    SPLIT = "split", _("De helft bij de start, de helft bij het einde")


class TariffOrigin(models.TextChoices):
    SET = "set", _("Vastgesteld")
    BUILD_UP = "build_up", _("Kostprijsopbouw")
    INDEXATION = "indexation", _("Indexatie")


class BudgetKind(models.TextChoices):
    LUMPSUM = "lumpsum", _("Taakgericht budget (lumpsum)")
    CEILING = "ceiling", _("Budgetplafond")


class Kpi(models.TextChoices):
    """The KPIs contract management steers on (DOMAIN.md §9); monitoring computes them."""

    UNIQUE_YOUTHS = "unique_youths", _("Unieke jeugdigen")
    TRAJECTORIES = "trajectories", _("Trajecten")
    SPEND_VS_BUDGET = "spend_vs_budget", _("Besteding t.o.v. budget (%)")
    COST_PER_CLIENT = "cost_per_client", _("Gemiddelde kosten per cliënt (€)")
    DURATION = "duration", _("Gemiddelde trajectduur (dagen)")
    WAIT_TIME = "wait_time", _("Wachttijd (dagen)")
    STEP_UP = "step_up", _("Opschaling (%)")
    STEP_DOWN = "step_down", _("Afschaling (%)")
    REENTRY = "reentry", _("Herinstroom binnen 12 maanden (%)")
    DROPOUT = "dropout", _("Uitval (%)")
    GOAL_REALISATION = "goal_realisation", _("Doelrealisatie (%)")
    CLIENT_EXPERIENCE = "client_experience", _("Cliëntervaring (rapportcijfer)")
    AMBULANT_SHARE = "ambulant_share", _("Aandeel ambulant (%)")
    OCCUPANCY = "occupancy", _("Bezettingsgraad (%)")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", _("Hoger is beter")
    LOWER_IS_BETTER = "lower", _("Lager is beter")


class ConsentKind(models.TextChoices):
    """What a case director (regisseur) consented to for a family (seed 004, §3.3)."""

    STACKING = "stapeling", _("Stapeling (twee profielen tegelijk)")
    SWITCH = "profielwissel", _("Profielwissel (overstap naar een ander profiel)")


class SegmentBudgetKind(models.TextChoices):
    """Budget of a segment outside its contracts (seed 004, DOMAIN §6)."""

    FREE = "free", _("Vrij budget (uitzonderlijke gezinnen)")
    RESERVED = "reserved", _("Gereserveerd voor nieuwe aanbieders")
