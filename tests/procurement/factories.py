"""Builders for procurement tests: a tender ready to publish, and a walk through its phases."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from procurement import services
from procurement.codes import ProcedureType, RequirementKind
from procurement.models import Lot, Requirement, Tender

_counter = iter(range(1, 10_000))


def tender(world, procedure_type=ProcedureType.SAS, *, weights=(60, 40), deadline_days=10, **kw):
    """A draft tender in ``world``'s region with one lot (the world's segment), two
    requirements and award criteria with ``weights``."""
    t = Tender.objects.create(
        region=world.region,
        reference=f"T-{next(_counter)}",
        title=kw.pop("title", "Specialistische jeugdhulp"),
        procedure_type=procedure_type,
        submission_deadline=timezone.now() + timedelta(days=deadline_days),
        **kw,
    )
    world.segment.care_forms.add(world.care_form)
    Lot.objects.create(tender=t, number=1, segment=world.segment)
    Requirement.objects.create(tender=t, kind=RequirementKind.SUITABILITY, text="Ervaring", order=1)
    Requirement.objects.create(
        tender=t, kind=RequirementKind.EXCLUSION, text="Geen fraude", order=2
    )
    if weights:
        services.criteria_replace(
            tender=t,
            rows=[
                {"name": f"Criterium {i}", "weight": Decimal(w)} for i, w in enumerate(weights, 1)
            ],
        )
    return t


def after_deadline(t, days=1):
    """A moment after the deadline in the region's time zone, so that ``now.date()`` is the day
    the services see (``timezone.localdate(now)``) at any hour, also 23:00–24:00 UTC."""
    return timezone.localtime(t.submission_deadline + timedelta(days=days))


def pass_all(sub):
    return services.submission_record_checks(
        submission=sub, rows={c.requirement_id: (True, "Aangetoond") for c in sub.checks.all()}
    )


def consensus(sub, *values):
    crits = list(sub.tender.criteria.all())
    return services.submission_record_consensus(
        submission=sub,
        rows={c.pk: (Decimal(v), "Onderbouwd") for c, v in zip(crits, values, strict=True)},
    )


def sas_to_provisional_award(world, officer, names=("Alfa", "Beta", "Gamma"), excluded=(), **kw):
    """An SAS tender walked to provisional award with a screened provider per name (city
    Dordrecht). The providers named in ``excluded`` fail the suitability requirement and are
    excluded; the others get consensus scores (weights 60/40) of 6/8, 8/8, 8/5, ... in turn, so
    with the default names the second ranks first (80 points), the third second and the first
    third (68 each, tie settled on the heaviest criterion). With the default preselection of
    two, the first is not preselected and the other two are provisionally awarded.
    Returns ``(tender, submissions, now)`` with the submissions refreshed."""
    from tests.providers.factories import ProviderFactory, screen_fully

    kw.setdefault("preselection_count", 2)
    t = tender(world, **kw)
    lot = t.lots.get()
    services.tender_transition(tender=t, name="publish", user=officer)
    subs = []
    for name in names:
        p = ProviderFactory(
            region=world.region, name=name, city="Dordrecht", forms=[world.care_form]
        )
        screen_fully(p)
        subs.append(
            services.submission_create(lot=lot, provider=p, care_form_ids=[world.care_form.pk])
        )
    now = after_deadline(t)
    services.tender_transition(tender=t, name="close_submissions", user=officer, now=now)
    services.tender_transition(tender=t, name="start_eligibility", user=officer, now=now)
    for s in subs:
        if s.provider.name in excluded:
            services.submission_record_checks(
                submission=s,
                rows={
                    c.requirement_id: (c.requirement.kind != "suitability", "Geen referenties")
                    for c in s.checks.select_related("requirement")
                },
            )
        else:
            pass_all(s)
    services.tender_transition(tender=t, name="start_scoring", user=officer, now=now)
    values = iter([(6, 8), (8, 8), (8, 5)] * len(names))
    for s in subs:
        if s.provider.name not in excluded:
            consensus(s, *next(values))
    services.tender_transition(tender=t, name="preselect", user=officer, now=now)
    services.tender_transition(tender=t, name="start_negotiation", user=officer, now=now)
    services.tender_transition(tender=t, name="provisional_award", user=officer, now=now)
    t.refresh_from_db()
    for s in subs:
        s.refresh_from_db()
    return t, subs, now


def framework(world, **kw):
    """A framework of ``world``'s region in consultation, with three principles."""
    from datetime import date

    from procurement.codes import FrameworkStatus
    from procurement.models import Framework

    kw.setdefault("status", FrameworkStatus.CONSULTATION)
    kw.setdefault("consultation_started_on", date(2025, 3, 1))
    return Framework.objects.create(
        region=world.region,
        title=kw.pop("title", "Inkoopkader jeugdhulp 2026"),
        period=kw.pop("period", "2026 e.v."),
        principles=kw.pop(
            "principles",
            "Zorg dichtbij huis\n- Minder aanbieders, langere contracten\n• Ruimte voor innovatie",
        ),
        **kw,
    )


# ---------------------------------------------------------------- helpers for the rule tests


def aware(year, month, day, hour=12, minute=0):
    """A moment in the region's time zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Amsterdam"))


def new_provider(world, forms=None, *, screened=True, **kw):
    """A provider of ``world``'s region delivering ``forms`` (default: the world's care form)."""
    from tests.providers.factories import ProviderFactory, screen_fully

    p = ProviderFactory(
        region=world.region, forms=list(forms) if forms is not None else [world.care_form], **kw
    )
    if screened:
        screen_fully(p)
    return p


def fail_one(sub, evidence="Geen referenties aangeleverd"):
    """Judge the checklist with the first requirement failed and the others passed."""
    checks = list(sub.checks.order_by("requirement__order"))
    rows = {c.requirement_id: (True, "Aangetoond") for c in checks}
    rows[checks[0].requirement_id] = (False, evidence)
    return services.submission_record_checks(submission=sub, rows=rows)


def to_scoring(world, n=2, *, user=None, **kw):
    """A scored tender with ``n`` eligible submissions, walked to the scoring phase.
    Returns (tender, submissions, a moment after the deadline)."""
    t = tender(world, **kw)
    lot = t.lots.get()
    services.tender_transition(tender=t, name="publish", user=user)
    subs = [
        services.submission_create(
            lot=lot, provider=new_provider(world), care_form_ids=[world.care_form.pk]
        )
        for _ in range(n)
    ]
    now = after_deadline(t)
    services.tender_transition(tender=t, name="close_submissions", user=user, now=now)
    services.tender_transition(tender=t, name="start_eligibility", user=user, now=now)
    for s in subs:
        pass_all(s)
    services.tender_transition(tender=t, name="start_scoring", user=user, now=now)
    t.refresh_from_db()
    return t, subs, now
