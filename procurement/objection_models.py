"""The models of the award's legal safeguards: a reasoned exception to the admissibility rule,
the objection register (bezwaar and kort geding) and the evidence (bewijsstukken) asked of the
provisional winners. Imported at the end of ``procurement.models``; the rules that change them
live in ``procurement.objections``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import get_private_storage, private_path
from providers.models import Provider, ProviderMessage

from .models import Lot, Submission, SubmissionChild, Tender, TenderChild


class ObjectionKind(models.TextChoices):
    OBJECTION = "bezwaar", _("Bezwaar")
    SUMMARY_PROCEEDINGS = "kort_geding", _("Kort geding")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Beslist")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "gegrond", _("Gegrond")
    REJECTED = "ongegrond", _("Ongegrond")
    INADMISSIBLE = "niet_ontvankelijk", _("Niet-ontvankelijk")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Te beoordelen")
    APPROVED = "approved", _("Goedgekeurd")
    REJECTED = "rejected", _("Afgekeurd")


class AwardException(SubmissionChild):
    """A recorded, reasoned decision to award a provider that is not admissible under the
    region's screening rules (for example a screening that is being renewed)."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="award_exceptions",
        verbose_name=_("inschrijving"),
    )
    reason = models.TextField(_("motivering"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_on = models.DateField(_("vastgelegd op"))

    class Meta:
        ordering = ["recorded_on", "pk"]
        verbose_name = _("uitzondering op de toelaatbaarheid")
        verbose_name_plural = _("uitzonderingen op de toelaatbaarheid")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="award_exception_has_reason"),
        ]

    def __str__(self):
        return _("Uitzondering voor %(s)s") % {"s": self.submission}


def objection_document_path(instance, filename):
    return private_path(f"bezwaren/{instance.tender_id}", filename)


class Objection(TenderChild):
    """An objection (bezwaar) or summary proceedings (kort geding) against the award decision
    of a procedure, for one lot or (no lot) the whole procedure. While it is open it suspends
    the definitive award of its lot. Its status changes only through the transitions in
    ``procurement.objections``."""

    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="objections", verbose_name=_("aanbesteding")
    )
    number = models.PositiveIntegerField(_("nummer"))
    lot = models.ForeignKey(
        Lot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("perceel"),
        help_text=_("Leeg: het bezwaar betreft de hele procedure."),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("ingediend door (aanbieder)"),
    )
    submitter_name = models.CharField(
        _("ingediend door (naam)"),
        max_length=200,
        blank=True,
        help_text=_("Voor een indiener die geen aanbieder in het register is."),
    )
    kind = models.CharField(_("soort"), max_length=12, choices=ObjectionKind.choices)
    received_on = models.DateField(_("ontvangen op"))
    grounds = models.TextField(_("gronden"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
        editable=False,
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=ObjectionOutcome.choices, blank=True, editable=False
    )
    decided_on = models.DateField(_("beslist op"), null=True, blank=True, editable=False)
    decision = models.TextField(_("beslissing"), blank=True, editable=False)
    decision_document = models.FileField(
        _("beslisdocument"),
        storage=get_private_storage,
        upload_to=objection_document_path,
        max_length=300,
        blank=True,
        editable=False,
    )
    decision_document_name = models.CharField(
        _("naam van het beslisdocument"), max_length=200, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        ordering = ["tender", "number"]
        verbose_name = _("bezwaar")
        verbose_name_plural = _("bezwaren")
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="objection_unique_number"),
            models.CheckConstraint(
                condition=Q(kind__in=ObjectionKind.values), name="objection_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ObjectionStatus.values), name="objection_status_valid"
            ),
            models.CheckConstraint(condition=~Q(grounds=""), name="objection_has_grounds"),
            models.CheckConstraint(
                condition=Q(provider__isnull=False) | ~Q(submitter_name=""),
                name="objection_has_submitter",
            ),
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.OPEN, outcome="")
                | (~Q(status=ObjectionStatus.OPEN) & ~Q(outcome="") & Q(decided_on__isnull=False)),
                name="objection_outcome_when_closed",
            ),
        ]

    def __str__(self):
        return _("Bezwaar %(n)s – %(who)s") % {"n": self.number, "who": self.submitter}

    @property
    def submitter(self) -> str:
        return str(self.provider) if self.provider_id else self.submitter_name

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.OPEN

    @classmethod
    def scope_municipal_q(cls, scope):
        return None  # names bidders: region roles only

    @classmethod
    def scope_provider_q(cls, scope):
        return None


class EvidenceRequest(SubmissionChild):
    """A request for evidence (bewijsstukken) to a provisional winner: what is asked (one item
    per document), by when, and the inbox message that carried it to the portal."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="evidence_requests",
        verbose_name=_("inschrijving"),
    )
    message = models.ForeignKey(
        ProviderMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bericht in het postvak"),
    )
    text = models.TextField(_("toelichting"), blank=True)
    requested_on = models.DateField(_("opgevraagd op"))
    due_on = models.DateField(_("uiterlijk op"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("opgevraagd door"),
    )

    class Meta:
        ordering = ["submission", "requested_on", "pk"]
        verbose_name = _("verzoek om bewijsstukken")
        verbose_name_plural = _("verzoeken om bewijsstukken")

    def __str__(self):
        return _("Bewijsstukken van %(s)s") % {"s": self.submission}

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(submission__provider__in=scope.provider_ids)


class EvidenceItem(SubmissionChild):
    """One document asked for in an evidence request, with the officer's verdict on it."""

    scope_region_lookup = "request__submission__tender__region"

    request = models.ForeignKey(
        EvidenceRequest,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("verzoek"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("bewijsstuk"), max_length=200)
    status = models.CharField(
        _("beoordeling"),
        max_length=10,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.PENDING,
        editable=False,
    )
    reason = models.TextField(_("reden van afkeuren"), blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("beoordeeld door"),
    )
    checked_on = models.DateField(_("beoordeeld op"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["request", "order", "pk"]
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")
        constraints = [
            models.UniqueConstraint(fields=["request", "title"], name="evidence_item_once"),
            models.CheckConstraint(
                condition=Q(status__in=EvidenceStatus.values), name="evidence_item_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=EvidenceStatus.REJECTED) | ~Q(reason=""),
                name="evidence_item_rejection_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_sealed_q(cls, now):
        return None

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(request__submission__provider__in=scope.provider_ids)
