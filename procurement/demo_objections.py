"""The ZHZ demo of the award's safeguards: an SAS procedure for segment 7 (jeugdhulp onderwijs)
walked to the objection period, where a bidder that was not preselected objects against its
lot, evidence (bewijsstukken) is asked of both provisional winners and approved, and the
objection is decided ongegrond. The procedure is left ready for the definitive award: the
register, the evidence and the held-then-free award show on the tab "Bezwaar en
bewijsstukken". Every step goes through the services, on fixed dates, so a second load adds
nothing (``load_procurement`` skips an existing framework)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.demo_clock import demo_at, demo_date, shift
from providers.models import ProviderKind

from . import objections, selectors, services
from .codes import Outcome, RequirementKind
from .models import Objection, Strategy, Submission, Tender

AMS = ZoneInfo("Europe/Amsterdam")
REFERENCE = "SOJ-2025-SAS-S7"
EVIDENCE_ITEMS = (
    "Uittreksel Kamer van Koophandel (niet ouder dan zes maanden)",
    "Gedragsverklaring aanbesteden (GVA)",
    "Polis beroeps- en bedrijfsaansprakelijkheidsverzekering",
)
OBJECTION_GROUNDS = (
    "De inschrijver acht de score op 'Samenwerking met het onderwijs' onjuist: het plan van "
    "aanpak beschrijft de inzet op school, maar dat is volgens de inschrijver niet meegewogen."
)
OBJECTION_DECISION = (
    "Ongegrond. De beoordelingscommissie heeft het plan van aanpak opnieuw bezien: de inzet op "
    "school is meegewogen en leverde de score 6 op; de winnaars beschrijven daarnaast een "
    "gezamenlijke intake met de samenwerkingsverbanden passend onderwijs. De score blijft."
)


def _at(y, mo, d, h=10) -> datetime:
    return demo_at(datetime(y, mo, d, h, 0, tzinfo=AMS))


def _bidders(region, lot, day: date) -> list[tuple]:
    """Three organisations that deliver a care form in the lot and are admissible on ``day``,
    with the forms they offer (stable: by name)."""
    scope = set(lot.scope_care_forms().values_list("pk", flat=True))
    chosen = []
    candidates = (
        region.providers.exclude(kind=ProviderKind.CONSORTIUM)
        .order_by("name")
        .prefetch_related("screenings")
    )
    for provider in candidates:
        forms = set(provider.effective_care_forms().values_list("pk", flat=True)) & scope
        if not forms or selectors.coverage_problems_for(
            lot=lot, provider=provider, care_form_ids=forms
        ):
            continue
        if not provider.admissibility(day, segment=lot.segment_id):
            continue
        chosen.append((provider, sorted(forms)))
        if len(chosen) == 3:
            break
    return chosen


def load_zhz_objection(region, strategies: dict[str, Strategy], officer) -> dict:
    """Build the procedure; returns the counts for the loader's summary (empty when the
    region lacks segment 7 or three admissible bidders)."""
    strategy = strategies.get("7")
    if strategy is None:
        return {}
    tender = services.tender_create_from_strategy(
        strategy=strategy,
        reference=REFERENCE,
        title="SAS segment 7 Jeugdhulp onderwijs 2025 e.v.",
    )
    lot = tender.lots.get()
    bidders = _bidders(region, lot, demo_date(2025, 7, 1))
    if len(bidders) < 3:
        services.tender_delete(tender=tender)
        return {}
    services.tender_update(
        tender=tender,
        submission_deadline=_at(2025, 5, 1, 12),
        preselection_count=2,
        objection_days=20,
        contract_start=demo_date(2025, 9, 1),
        description=(
            "Jeugdhulp in en om de school, in samenwerking met de samenwerkingsverbanden passend "
            "onderwijs. De beste twee inschrijvers gaan door naar de onderhandeling."
        ),
    )
    services.tender_setup_save(
        tender=tender,
        milestones=[],
        requirements=[
            {
                "order": 1,
                "kind": RequirementKind.SUITABILITY,
                "text": "Ervaring met jeugdhulp op school",
            },
            {"order": 2, "kind": RequirementKind.EXCLUSION, "text": "Geen uitsluitingsgronden"},
        ],
        criteria=[
            {"name": "Samenwerking met het onderwijs", "weight": Decimal(60)},
            {"name": "Resultaatgerichtheid", "weight": Decimal(40)},
        ],
    )
    services.tender_transition(tender=tender, name="publish", user=officer, now=_at(2025, 3, 3))
    subs = [
        services.submission_create(
            lot=lot,
            provider=provider,
            care_form_ids=forms,
            at=_at(2025, 4, 10 + i),
            entered_by=officer,
        )
        for i, (provider, forms) in enumerate(bidders)
    ]
    closed = _at(2025, 5, 2)
    for name in ("close_submissions", "start_eligibility"):
        services.tender_transition(tender=tender, name=name, user=officer, now=closed)
    for sub in subs:
        services.submission_record_checks(
            submission=sub,
            rows={
                c.requirement_id: (True, "Aangetoond met referenties.") for c in sub.checks.all()
            },
        )
    services.tender_transition(tender=tender, name="start_scoring", user=officer, now=closed)
    criteria = list(tender.criteria.order_by("order"))
    for sub, values in zip(subs, [(8, 7), (6, 7), (7, 8)], strict=True):
        services.submission_record_consensus(
            submission=sub,
            rows={
                c.pk: (Decimal(v), "Consensus van de beoordelingscommissie.")
                for c, v in zip(criteria, values, strict=True)
            },
        )
    for name, when in (("preselect", _at(2025, 5, 20)), ("start_negotiation", _at(2025, 5, 21))):
        services.tender_transition(tender=tender, name=name, user=officer, now=when)
    services.tender_transition(
        tender=tender, name="provisional_award", user=officer, now=_at(2025, 6, 2)
    )
    services.tender_transition(
        tender=tender, name="start_objection", user=officer, now=_at(2025, 6, 9)
    )
    tender = Tender.objects.get(pk=tender.pk)  # the phase and dates the transitions set
    winners = list(Submission.objects.filter(tender=tender, outcome=Outcome.AWARDED))
    loser = Submission.objects.filter(tender=tender).exclude(outcome=Outcome.AWARDED).first()
    objection = objections.objection_record(
        tender=tender,
        kind="bezwaar",
        lot=lot,
        provider=loser.provider,
        received_on=demo_date(2025, 6, 16),
        grounds=OBJECTION_GROUNDS,
        user=officer,
        today=demo_date(2025, 6, 16),
    )
    for sub in winners:
        request = objections.evidence_request_create(
            submission=sub,
            items=EVIDENCE_ITEMS,
            due_on=demo_date(2025, 6, 23),
            text="Als voorlopige winnaar vragen wij u de bewijsstukken bij uw eigen verklaring.",
            user=officer,
            today=demo_date(2025, 6, 10),
        )
        for item in request.items.all():
            objections.evidence_item_check(
                item=item, approve=True, user=officer, today=demo_date(2025, 6, 24)
            )
    objections.objection_decide(
        objection=objection,
        outcome="ongegrond",
        decision=OBJECTION_DECISION,
        decided_on=demo_date(2025, 6, 27),
        today=demo_date(2025, 6, 27),
    )
    return {"bezwaren": Objection.objects.filter(tender=tender).count()}


def zhz_objection_tender(region) -> Tender | None:
    return Tender.objects.filter(region=region, reference=REFERENCE).first()


WBO_EXCEPTION_DAY = date(2022, 9, 22)  # the day before the provisional award


def record_wbo_exceptions(tender: Tender, officer) -> int:
    """WBO: the preselected partners whose screening (of a member) was not on order when the
    award was decided get a recorded, reasoned exception, as the regional purchasing team
    decided: the award stands on the condition that the screening is on order before the
    contract starts. Returns how many were recorded."""
    recorded = 0
    for sub in (
        Submission.objects.filter(tender=tender, preselected=True, is_live=True)
        .select_related("provider", "lot")
        .order_by("number")
    ):
        judgement = sub.provider.admissibility(shift(WBO_EXCEPTION_DAY), segment=sub.lot.segment_id)
        if judgement.admissible:
            continue
        objections.award_exception_record(
            submission=sub,
            reason=(
                "Besluit regionaal inkoopteam: gunning onder de voorwaarde dat de screening voor "
                "de start van de overeenkomst op orde is. Openstaand: "
                + "; ".join(judgement.reasons)
                + "."
            ),
            user=officer,
            today=shift(WBO_EXCEPTION_DAY),
        )
        recorded += 1
    return recorded
