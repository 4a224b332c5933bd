"""Open data: a region's procurement as an OCDS 1.1 release package.

``release_package(region)`` is a pure builder (reads the database, writes nothing). One
contracting process per published tender (every state but DRAFT) and one per contract entered
directly (without lot or submission). Each process is one release: the current state, with
the tags of the sections it carries.

What is published, and what is not (docs/api.md, "Open data (OCDS)"):

* tender: reference, title, description, status, procedure (``procurementMethod`` mapped
  from the Dutch procedure type, the Dutch name in ``procurementMethodDetails``), the
  submission deadline, lots (lots extension) with the weighted award criteria per lot
  (award criteria breakdown extension), and once the award is definitive the number of
  tenderers. The names of unsuccessful tenderers are never published (no ``tender.tenderers``,
  no ``tenderer`` party role), nor eligibility checks, scores of assessors, consensus scores,
  ranks, negotiation notes or outcome reasons.
* awards: only decisions that are final: for scored procedures, partnership and grant once
  the tender reached definitive award (the provisional award is not public during the
  objection period); for admission procedures (open house, conditional admission) every
  admitted application. The supplier and the related lot, no score.
* contracts: period (start, current end, end after every option), status, value (the sum of
  the current yearly budgets/ceilings, EUR) and, with the metrics extension, the agreed KPIs
  (norm, amber and red threshold) and the yearly budgets as agreed metrics.

The ocid prefix is set per installation (setting ``OCDS_OCID_PREFIX``, from the environment;
``api.checks`` validates it). The default ``ocds-jk0000`` is a placeholder in the format OCDS
uses: it MUST be replaced by a prefix registered with the Open Contracting Partnership before
real publication (``manage.py check --deploy`` warns while it is the placeholder).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from contracts.codes import BudgetKind, ContractStatus, Direction, Kpi
from contracts.models import Contract
from procurement.codes import ADMISSION_TYPES, Outcome, ProcedureType, TenderState
from procurement.models import Tender

OCDS_VERSION = "1.1"
#: Placeholder prefix in the registered format (``ocds-`` + 6 characters): register one first.
DEFAULT_OCID_PREFIX = "ocds-jk0000"

#: The extensions the package declares, each pinned to the commit whose release-schema.json is
#: vendored in api/ocds_schema/extensions/<name>/ (see the README there).
EXTENSION_COMMITS = {
    "ocds_lots_extension": "574eec032d7396a55cfcfd89080c2754f1c1b378",
    "ocds_awardCriteriaBreakdown_extension": "23753f46d5093aba3295ab97cc72c84072eb325e",
    "ocds_metrics_extension": "09325d191eb6be767b95effa0b280925b2bf47c3",
}
EXTENSION_BASE = "https://raw.githubusercontent.com/open-contracting-extensions"


def extension_url(name: str) -> str:
    return f"{EXTENSION_BASE}/{name}/{EXTENSION_COMMITS[name]}/extension.json"


EXTENSIONS = [extension_url(name) for name in EXTENSION_COMMITS]

#: Dutch procedure type -> OCDS procurementMethod (closed codelist: open, selective, limited,
#: direct). Open house and conditional admission admit every provider that meets the
#: requirements (open); SAS preselects the best N and negotiates with them (selective); an
#: administrative partnership is negotiated with partners the region chooses (limited); a
#: budget grant goes to one organisation (direct).
PROCUREMENT_METHOD = {
    ProcedureType.OPEN_HOUSE: "open",
    ProcedureType.CONDITIONAL_ADMISSION: "open",
    ProcedureType.TENDER: "open",
    ProcedureType.SAS: "selective",
    ProcedureType.PARTNERSHIP: "limited",
    ProcedureType.BUDGET_GRANT: "direct",
}

#: Tender state -> OCDS tenderStatus (closed codelist).
TENDER_STATUS = {
    TenderState.CANCELLED: "cancelled",
    TenderState.UNSUCCESSFUL: "unsuccessful",
    TenderState.DEFINITIVE_AWARD: "complete",
    TenderState.IMPLEMENTATION: "complete",
    TenderState.ENDED: "complete",
}  # every other published state: "active"

#: States from which a scored (or negotiated) procedure's award is final and public.
AWARD_PUBLIC_STATES = frozenset(
    {TenderState.DEFINITIVE_AWARD, TenderState.IMPLEMENTATION, TenderState.ENDED}
)

CONTRACT_STATUS = {
    ContractStatus.PLANNED: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.EXTENDED: "active",
    ContractStatus.ENDED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}

_PERCENT_KPIS = {
    Kpi.SPEND_VS_BUDGET,
    Kpi.STEP_UP,
    Kpi.STEP_DOWN,
    Kpi.REENTRY,
    Kpi.DROPOUT,
    Kpi.GOAL_REALISATION,
    Kpi.AMBULANT_SHARE,
    Kpi.OCCUPANCY,
}
_DAY_KPIS = {Kpi.DURATION, Kpi.WAIT_TIME}


# ---------------------------------------------------------------- small conversions


def ocid_prefix() -> str:
    return getattr(settings, "OCDS_OCID_PREFIX", DEFAULT_OCID_PREFIX)


def _token(text: str) -> str:
    """A reference as an identifier part: letters, digits, '.', '_' and '-' only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


def _utc(moment: datetime) -> str:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: date, *, end: bool = False) -> str:
    """A local (Dutch) calendar day as the UTC moment it starts (or ends)."""
    local = timezone.make_aware(datetime.combine(day, time.max if end else time.min))
    return _utc(local.replace(microsecond=0))


def _money(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": "EUR"}


def _number(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _latest(moments) -> datetime | None:
    values = [m for m in moments if m is not None]
    return max(values) if values else None


def _as_moment(day: date | None) -> datetime | None:
    return None if day is None else timezone.make_aware(datetime.combine(day, time.min))


# ---------------------------------------------------------------- parties


def _buyer(region) -> dict:
    return {
        "id": f"jk-regio-{_token(region.slug)}",
        "name": region.contracting_authority or region.name,
    }


def _provider_party_id(provider) -> str:
    if provider.kvk_number:
        return f"NL-KVK-{provider.kvk_number}"
    return f"jk-aanbieder-{provider.pk}"


def _provider_party(provider) -> dict:
    party = {"id": _provider_party_id(provider), "name": provider.name, "roles": ["supplier"]}
    if provider.kvk_number:
        party["identifier"] = {
            "scheme": "NL-KVK",
            "id": provider.kvk_number,
            "legalName": provider.name,
        }
    address = {"countryName": "Nederland"}
    if provider.city:
        address["locality"] = provider.city
    party["address"] = address
    return party


def _ref(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


# ---------------------------------------------------------------- tender section


def _criteria_breakdown(criteria) -> dict:
    return {
        "criteria": [
            {
                "type": "quality",
                "name": c.name,
                **({"description": c.description} if c.description else {}),
                "numbers": [{"number": _number(c.weight), "weight": "percentageExact"}],
            }
            for c in criteria
        ]
    }


def _criteria_details(criteria) -> str:
    parts = [f"{c.name} {Decimal(c.weight).normalize():f}%" for c in criteria]
    return "Gunning op kwaliteit (gewogen criteria): " + "; ".join(parts) + "."


def _tender_section(tender, buyer, *, awards_public: bool) -> dict:
    criteria = list(tender.criteria.all())
    lots = list(tender.lots.all())
    status = TENDER_STATUS.get(tender.state, "active")
    section = {
        "id": tender.reference,
        "title": tender.title,
        "status": status,
        "procuringEntity": _ref(buyer),
        "procurementMethod": PROCUREMENT_METHOD[tender.procedure_type],
        "procurementMethodDetails": str(ProcedureType(tender.procedure_type).label),
        "mainProcurementCategory": "services",
    }
    if tender.description:
        section["description"] = tender.description
    published = next(
        (e.at for e in tender.events.all() if e.to_state == TenderState.PUBLISHED), None
    )
    period = {}
    if published is not None:
        period["startDate"] = _utc(published)
    if tender.submission_deadline is not None:
        period["endDate"] = _utc(tender.submission_deadline)
    if period:
        section["tenderPeriod"] = period
    if criteria:
        section["awardCriteria"] = "ratedCriteria"
        section["awardCriteriaDetails"] = _criteria_details(criteria)
    section["hasEnquiries"] = any(q.published_in is not None for q in tender.questions.all())
    if awards_public and tender.procedure_type not in ADMISSION_TYPES:
        tenderers = {s.provider_id for s in tender.submissions.all()}
        section["numberOfTenderers"] = len(tenderers)
    if lots:
        section["lots"] = []
        for lot in lots:
            entry = {
                "id": str(lot.number),
                "title": lot.title or lot.segment.name,
                "description": f"Segment {lot.segment.code} {lot.segment.name}",
                "status": status,
            }
            if criteria:
                entry["awardCriteria"] = _criteria_breakdown(criteria)
            section["lots"].append(entry)
    return section


# ---------------------------------------------------------------- awards and contracts


def _award_from_submission(sub, supplier: dict) -> dict:
    award = {
        "id": f"gunning-{sub.number}",
        "title": f"{sub.get_outcome_display()}: {supplier['name']}",
        "status": "active",
        "suppliers": [_ref(supplier)],
        "relatedLots": [str(sub.lot.number)],
    }
    if sub.outcome_on:
        award["date"] = _day(sub.outcome_on)
    return award


def _award_from_contract(contract, supplier: dict) -> dict:
    award = {
        "id": f"gunning-contract-{_token(contract.reference)}",
        "title": f"Contract {contract.reference}: {supplier['name']}",
        "description": "Gunning afgeleid van het vastgelegde contract.",
        "status": "active",
        "suppliers": [_ref(supplier)],
    }
    if contract.lot_id:
        award["relatedLots"] = [str(contract.lot.number)]
    return award


def _kpi_metric(agreement) -> dict:
    kpi = agreement.kpi
    title = str(Kpi(kpi).label)
    direction = str(Direction(agreement.direction).label).lower()
    levels = [
        ("norm", agreement.norm),
        ("oranje", agreement.amber_threshold),
        ("rood", agreement.red_threshold),
    ]
    observations = []
    for level, value in levels:
        obs = {"id": f"{kpi}-{level}", "dimensions": {"niveau": level}}
        if kpi == Kpi.COST_PER_CLIENT:
            obs["value"] = _money(value)
        else:
            obs["measure"] = _number(value)
            if kpi in _PERCENT_KPIS:
                obs["unit"] = {"name": "procent", "scheme": "UNCEFACT", "id": "P1"}
            elif kpi in _DAY_KPIS:
                obs["unit"] = {"name": "dagen", "scheme": "UNCEFACT", "id": "DAY"}
            elif kpi == Kpi.CLIENT_EXPERIENCE:
                obs["unit"] = {"name": "rapportcijfer"}
            else:
                obs["unit"] = {"name": "aantal"}
        observations.append(obs)
    description = (
        f"KPI-afspraak: {title}; {direction}. Norm {_fmt(agreement.norm)}, "
        f"drempel oranje {_fmt(agreement.amber_threshold)}, "
        f"drempel rood {_fmt(agreement.red_threshold)}."
    )
    if agreement.note:
        description += f" {agreement.note}"
    return {
        "id": f"kpi-{kpi}",
        "title": title,
        "description": description,
        "observations": observations,
    }


def _fmt(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _budget_metric(budgets) -> dict | None:
    if not budgets:
        return None
    observations = []
    for budget in budgets:
        key = f"budget-{budget.year}-{budget.kind}"
        dimensions = {"soort": str(BudgetKind(budget.kind).label)}
        if budget.support_profile_id:
            key += f"-{budget.support_profile.number}"
            dimensions["ondersteuningsprofiel"] = str(budget.support_profile)
        observations.append(
            {
                "id": key,
                "period": {
                    "startDate": _day(date(budget.year, 1, 1)),
                    "endDate": _day(date(budget.year, 12, 31), end=True),
                },
                "value": _money(budget.current_amount),
                "dimensions": dimensions,
            }
        )
    return {
        "id": "budget",
        "title": "Budget per jaar",
        "description": "Het taakgerichte budget (lumpsum) of budgetplafond per jaar, "
        "na herijkingen.",
        "observations": observations,
    }


def _contract_value(budgets) -> Decimal | None:
    """The sum over the years of the lumpsum plus the ceiling (the overall ceiling of a year, or
    else the sum of its ceilings per support profile). None without any budget."""
    if not budgets:
        return None
    total = Decimal(0)
    years = {b.year for b in budgets}
    for year in years:
        of_year = [b for b in budgets if b.year == year]
        total += sum(
            (b.current_amount for b in of_year if b.kind == BudgetKind.LUMPSUM), Decimal(0)
        )
        ceilings = [b for b in of_year if b.kind == BudgetKind.CEILING]
        overall = [b for b in ceilings if not b.support_profile_id]
        chosen = overall or ceilings
        total += sum((b.current_amount for b in chosen), Decimal(0))
    return total


#: the value the public pages show next to a contract: the same as in the package
contract_value = _contract_value


def _contract(contract, award_id: str, today: date) -> dict:
    budgets = list(contract.budgets.all())
    entry = {
        "id": contract.reference,
        "awardID": award_id,
        "title": f"{contract.reference} {contract.provider.name}",
        "description": f"Segment {contract.segment.code} {contract.segment.name}; looptijd "
        f"{contract.term_label} jaar.",
        "status": CONTRACT_STATUS[contract.status_on(today)],
    }
    period = {"startDate": _day(contract.start_date)}
    end = contract.terminated_on or contract.end_date
    if end:
        period["endDate"] = _day(end, end=True)
    if contract.final_end_date:
        period["maxExtentDate"] = _day(contract.final_end_date, end=True)
    entry["period"] = period
    value = _contract_value(budgets)
    if value is not None:
        entry["value"] = _money(value)
    metrics = [_kpi_metric(a) for a in contract.kpi_agreements.all()]
    budget = _budget_metric(budgets)
    if budget:
        metrics.append(budget)
    if metrics:
        entry["agreedMetrics"] = metrics
    return entry


def _contract_moments(contract):
    yield from (e.recorded_at for e in contract.events.all())
    for budget in contract.budgets.all():
        yield budget.created_at
        yield from (r.recorded_at for r in budget.revisions.all())


# ---------------------------------------------------------------- releases


def _finish(release: dict, ocid_suffix: str, moment: datetime | None) -> dict:
    release["date"] = _utc(moment) if moment else "1970-01-01T00:00:00Z"
    # Same content, same id: the id is the process plus a hash of the release without the id.
    digest = hashlib.sha256(
        json.dumps(release, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()[:16]
    release["id"] = f"{ocid_suffix}-{digest}"
    return {"ocid": release["ocid"], "id": release["id"], **release}


def _tender_release(tender, region, buyer: dict, today: date) -> dict:
    awards_public = tender.state in AWARD_PUBLIC_STATES
    suffix = f"{_token(region.slug)}-{_token(tender.reference)}"
    ocid = f"{ocid_prefix()}-{suffix}"
    parties = {buyer["id"]: {**buyer, "roles": ["buyer", "procuringEntity"]}}
    awards, award_by_submission = [], {}
    for sub in tender.submissions.all():
        public = (
            sub.outcome == Outcome.ADMITTED
            if tender.procedure_type in ADMISSION_TYPES
            else sub.outcome == Outcome.AWARDED and awards_public
        )
        if not public:
            continue
        supplier = _provider_party(sub.provider)
        parties.setdefault(supplier["id"], supplier)
        award = _award_from_submission(sub, supplier)
        awards.append(award)
        award_by_submission[sub.pk] = award["id"]
    contracts = []
    for contract in tender.ocds_contracts:
        supplier = _provider_party(contract.provider)
        award_id = award_by_submission.get(contract.submission_id)
        if award_id is None:
            award = _award_from_contract(contract, supplier)
            awards.append(award)
            award_id = award["id"]
        parties.setdefault(supplier["id"], supplier)
        contracts.append(_contract(contract, award_id, today))
    tags = ["tender"] + (["award"] if awards else []) + (["contract"] if contracts else [])
    release = {
        "ocid": ocid,
        "tag": tags,
        "initiationType": "tender",
        "language": "nl",
        "parties": list(parties.values()),
        "buyer": _ref(buyer),
        "tender": _tender_section(tender, buyer, awards_public=awards_public),
    }
    if awards:
        release["awards"] = awards
    if contracts:
        release["contracts"] = contracts
    moment = _latest(
        [
            tender.created_at,
            *(e.at for e in tender.events.all()),
            *(_as_moment(s.outcome_on) for s in tender.submissions.all()),
            *(m for c in tender.ocds_contracts for m in _contract_moments(c)),
        ]
    )
    return _finish(release, suffix, moment)


def _contract_release(contract, region, buyer: dict, today: date) -> dict:
    """A contract entered directly: its own process, with the award it implies."""
    suffix = f"{_token(region.slug)}-contract-{_token(contract.reference)}"
    supplier = _provider_party(contract.provider)
    award = _award_from_contract(contract, supplier)
    release = {
        "ocid": f"{ocid_prefix()}-{suffix}",
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "nl",
        "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}, supplier],
        "buyer": _ref(buyer),
        "awards": [award],
        "contracts": [_contract(contract, award["id"], today)],
    }
    return _finish(release, suffix, _latest(_contract_moments(contract)))


def _contracts_queryset():
    return Contract.objects.select_related(
        "provider", "segment", "lot", "submission"
    ).prefetch_related("kpi_agreements", "events", "budgets__revisions", "budgets__support_profile")


def release_package(
    region,
    *,
    published_at: datetime | None = None,
    base_uri: str = "https://jeugdinkoop.nl/api/v1/regios/{code}/ocds",
    today: date | None = None,
) -> dict:
    """The OCDS 1.1 release package of ``region``: every published tender and every contract.

    ``published_at`` defaults to the date of the newest release (the package is made on
    demand: OCDS asks for the date of the last change then). ``base_uri`` is the package's
    uri (``{code}`` is replaced by the region's code). Money is a number in EUR."""
    today = today or timezone.localdate()
    with translation.override("nl"):
        buyer = _buyer(region)
        tenders = (
            Tender.objects.filter(region=region)
            .exclude(state=TenderState.DRAFT)
            .select_related("region")
            .prefetch_related(
                "lots__segment",
                "criteria",
                "events",
                "questions",
                "submissions__provider",
                "submissions__lot",
            )
            .order_by("created_at", "pk")
        )
        releases = []
        linked = set()
        contracts = list(_contracts_queryset().filter(region=region).order_by("reference"))
        for tender in tenders:
            tender.ocds_contracts = [
                c
                for c in contracts
                if (c.lot_id and c.lot.tender_id == tender.pk)
                or (c.submission_id and c.submission.tender_id == tender.pk)
            ]
            linked.update(c.pk for c in tender.ocds_contracts)
            releases.append(_tender_release(tender, region, buyer, today))
        draft_linked = Q(lot__tender__state=TenderState.DRAFT) | Q(
            submission__tender__state=TenderState.DRAFT
        )
        hidden = set(
            Contract.objects.filter(region=region).filter(draft_linked).values_list("pk", flat=True)
        )
        for contract in contracts:
            if contract.pk in linked or contract.pk in hidden:
                continue
            releases.append(_contract_release(contract, region, buyer, today))
    if published_at is None:
        dates = [r["date"] for r in releases]
        published = max(dates) if dates else _utc(timezone.now())
    else:
        published = _utc(published_at)
    return {
        "uri": base_uri.replace("{code}", region.slug),
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": published,
        "publisher": {"name": buyer["name"]},
        "releases": releases,
    }
