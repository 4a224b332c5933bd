"""Code lists of procurement: procedure types, tender states, funding models, outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureType(models.TextChoices):
    OPEN_HOUSE = "open_house", _("Open house")
    CONDITIONAL_ADMISSION = "conditional", _("Toelatingsprocedure met voorwaarden")
    SAS = "sas", _("SAS-procedure met onderhandeling")
    TENDER = "tender", _("Aanbesteding")
    PARTNERSHIP = "partnership", _("Bestuurlijk partnerschap")
    BUDGET_GRANT = "grant", _("Begrotingssubsidie")


#: Procedures where submissions are scored on weighted award criteria and ranked.
SCORED_TYPES = frozenset({ProcedureType.SAS, ProcedureType.TENDER})
#: Procedures where each application is admitted or refused on its own, never ranked.
ADMISSION_TYPES = frozenset({ProcedureType.OPEN_HOUSE, ProcedureType.CONDITIONAL_ADMISSION})


class TenderState(models.TextChoices):
    DRAFT = "draft", _("Concept")
    PUBLISHED = "published", _("Gepubliceerd")
    QNA = "qna", _("Vragenronde")
    CLOSED = "closed", _("Inschrijving gesloten")
    ELIGIBILITY = "eligibility", _("Toets geschiktheid en uitsluiting")
    SCORING = "scoring", _("Beoordeling")
    PRESELECTION = "preselection", _("Preselectie")
    NEGOTIATION = "negotiation", _("Onderhandeling")
    PROVISIONAL_AWARD = "provisional", _("Voorlopige gunning")
    OBJECTION = "objection", _("Bezwaartermijn")
    DEFINITIVE_AWARD = "definitive", _("Definitieve gunning")
    IMPLEMENTATION = "implementation", _("Implementatie")
    ADMISSION = "admission", _("Toelating loopt")
    ENDED = "ended", _("Beëindigd")
    CANCELLED = "cancelled", _("Ingetrokken")
    UNSUCCESSFUL = "unsuccessful", _("Zonder resultaat")


TERMINAL_STATES = frozenset(
    {
        TenderState.IMPLEMENTATION,
        TenderState.ENDED,
        TenderState.CANCELLED,
        TenderState.UNSUCCESSFUL,
    }
)


class FundingModel(models.TextChoices):
    """Bekostiging (iJw uitvoeringsvarianten, DOMAIN.md §6)."""

    PXQ = "pxq", _("Inspanningsgericht (PxQ)")
    OUTPUT = "output", _("Outputgericht")
    TASK = "task", _("Taakgericht (lumpsum)")
    AVAILABILITY = "availability", _("Beschikbaarheid")
    HYBRID = "hybrid", _("Hybride")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    CONSULTATION = "consultation", _("Zienswijzen gevraagd")
    ADOPTED = "adopted", _("Vastgesteld")


class MilestoneKind(models.TextChoices):
    PUBLICATION = "publication", _("Publicatie")
    QNA_DEADLINE = "qna_deadline", _("Sluiting vragenronde")
    SUBMISSION_DEADLINE = "submission_deadline", _("Sluiting inschrijving")
    ELIGIBILITY = "eligibility", _("Toets geschiktheid")
    SCORING = "scoring", _("Beoordeling")
    PRESELECTION = "preselection", _("Preselectie")
    NEGOTIATION = "negotiation", _("Onderhandelingen")
    PROVISIONAL_AWARD = "provisional_award", _("Voorlopige gunning")
    DEFINITIVE_AWARD = "definitive_award", _("Definitieve gunning")
    IMPLEMENTATION = "implementation", _("Implementatie")
    CONTRACT_START = "contract_start", _("Start contract")


class RequirementKind(models.TextChoices):
    TECHNICAL = "technical", _("Technische toets (documenten, vragen)")
    SUITABILITY = "suitability", _("Minimumgeschiktheidseis")
    EXCLUSION = "exclusion", _("Uitsluitingsgrond")


class Outcome(models.TextChoices):
    PENDING = "pending", _("In behandeling")
    EXCLUDED = "excluded", _("Uitgesloten")
    NOT_PRESELECTED = "not_preselected", _("Niet gepreselecteerd")
    AWARDED = "awarded", _("Gegund")
    NOT_AWARDED = "not_awarded", _("Niet gegund")
    ADMITTED = "admitted", _("Toegelaten")
    REFUSED = "refused", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


#: A submission with one of these outcomes is no longer live in its lot.
CLOSED_OUTCOMES = frozenset(
    {
        Outcome.EXCLUDED,
        Outcome.NOT_PRESELECTED,
        Outcome.NOT_AWARDED,
        Outcome.REFUSED,
        Outcome.WITHDRAWN,
    }
)


class AdmissionMode(models.TextChoices):
    CONTINUOUS = "continuous", _("Doorlopend open")
    MOMENTS = "moments", _("Open op vaste momenten")


class SubmissionChannel(models.TextChoices):
    PAPER = "paper", _("Op papier, ingevoerd door de regio")
    PORTAL = "portal", _("Via het aanbiedersportaal")


class QuestionSource(models.TextChoices):
    PROVIDER = "provider", _("Gesteld door een aanbieder")
    OFFICER = "officer", _("Ingevoerd door de inkoper")


class LetterKind(models.TextChoices):
    """The decision letters to a submission's provider (procurement.letters)."""

    PROVISIONAL = "provisional", _("Voorlopige gunningsbeslissing")
    DEFINITIVE = "definitive", _("Definitieve gunning")
    ADMISSION = "admission", _("Besluit op de aanmelding")
