"""Demo reports: the schedules, a verdeelsleutel per year, subscriptions of the demo users and a
few generated reports, so the archive has something to open. Repeatable: running it again adds
nothing (reports are idempotent per kind + subject + period)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from accounts.models import User
from monitoring.models import Grain, KpiRollup
from segments.models import Municipality

from . import services
from .models import BudgetShare, ReportKind, Subscription, Trigger
from .periods import MONTH, QUARTER, YEAR, Period, period_containing
from .schedules import ensure_schedules

#: how many provider reports of the latest month the demo makes per region
DEMO_PROVIDER_REPORTS = 2
#: the regions whose demo reports are made while loading (each report takes about a second)
DEMO_REPORT_REGIONS = {"wbo"}
#: the municipality whose report the demo's municipal user (gemeente, Breda) reads
DEMO_MUNICIPALITY = "GM0758"


def complete_periods(last_data_month: date) -> dict[str, Period]:
    """The latest month, quarter and year that the data covers completely."""
    month = period_containing(MONTH, last_data_month)
    quarter = period_containing(QUARTER, last_data_month)
    if quarter.last_month != last_data_month:
        quarter = quarter.previous()
    year = period_containing(YEAR, last_data_month)
    if year.last_month != last_data_month:
        year = year.previous()
    return {MONTH: month, QUARTER: quarter, YEAR: year}


def load_budget_shares(region) -> int:
    """Each year's share of a municipality is its part of the region's declared amount in the
    year before (the first year: the same year), in percent with three decimals; the last
    municipality takes the rest, so a year adds up to exactly 100."""
    rows = (
        KpiRollup.objects.filter(region=region, grain=Grain.MUNICIPALITY)
        .values("key", "month__year")
        .annotate(amount=Sum("amount"))
    )
    by_year: dict[int, dict[int, Decimal]] = {}
    for row in rows:
        by_year.setdefault(row["month__year"], {})[int(row["key"][1:])] = row["amount"]
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    created = 0
    for year in sorted(by_year):
        basis = by_year.get(year - 1) or by_year[year]
        total = sum(basis.values())
        if not total:
            continue
        remaining = Decimal("100")
        shares = {}
        for i, municipality in enumerate(municipalities):
            if i == len(municipalities) - 1:
                share = remaining
            else:
                share = (Decimal(basis.get(municipality.pk, 0)) * 100 / total).quantize(
                    Decimal("0.001"), ROUND_HALF_UP
                )
                remaining -= share
            shares[municipality] = share
        # Repeatable: a share that is already there stays as it is.
        there = set(
            BudgetShare.objects.filter(region=region, year=year).values_list(
                "municipality_id", flat=True
            )
        )
        missing = {m: p for m, p in shares.items() if m.pk not in there}
        if missing:
            services.budget_share_set(region=region, year=year, shares=missing)
        created += len(missing)
    return created


def load_subscriptions(region) -> int:
    wanted = []
    for username, kind in (
        ("contractmanager", ReportKind.PROVIDER),
        ("inkoper", ReportKind.BOARD),
        ("inkoper", ReportKind.SEGMENT),
        ("regiobeheerder", ReportKind.BOARD),
    ):
        user = User.objects.filter(username=username).first()
        if user and services.can_read_region(user, region):
            wanted.append((user, kind, None))
    municipal = User.objects.filter(
        username="gemeente", municipality_memberships__municipality__region=region
    ).first()
    if municipal:
        breda = Municipality.objects.filter(region=region, cbs_code=DEMO_MUNICIPALITY).first()
        if breda:
            wanted.append((municipal, ReportKind.MUNICIPALITY, breda))
            wanted.append((municipal, ReportKind.BOARD, None))
    created = 0
    for user, kind, municipality in wanted:
        key = f"m{municipality.pk}" if municipality else ""
        if Subscription.objects.filter(
            user=user, region=region, kind=kind, subject_key=key
        ).exists():
            continue
        services.subscription_create(
            user=user, region=region, kind=kind, subject_key=key, subject=municipality
        )
        created += 1
    return created


def load_reports(region) -> dict:
    """Schedules, shares and a handful of reports (made in-process), then the subscriptions
    (after the reports, so loading the demo sends no mail)."""
    schedules = ensure_schedules(region)
    shares = load_budget_shares(region)
    last = (
        KpiRollup.objects.filter(region=region, grain=Grain.REGION)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    made = 0
    if last is not None and region.slug in DEMO_REPORT_REGIONS:
        periods = complete_periods(last)
        targets = [(ReportKind.BOARD, region, periods[YEAR])]
        breda = Municipality.objects.filter(region=region, cbs_code=DEMO_MUNICIPALITY).first()
        if breda:
            targets.append((ReportKind.MUNICIPALITY, breda, periods[QUARTER]))
        segments = services.subjects(region, ReportKind.SEGMENT, periods[QUARTER])[:1]
        targets += [(ReportKind.SEGMENT, s, periods[QUARTER]) for s in segments]
        providers = services.subjects(region, ReportKind.PROVIDER, periods[MONTH])
        targets += [
            (ReportKind.PROVIDER, p, periods[MONTH]) for p in providers[:DEMO_PROVIDER_REPORTS]
        ]
        for kind, subject, period in targets:
            report = services.report_ensure(
                region=region, kind=kind, subject=subject, period=period
            )
            version, created = services.report_version_request(
                report=report, trigger=Trigger.SCHEDULE, dispatch=False
            )
            if created:
                services.report_version_generate_now(version_id=version.pk)
                made += 1
    subscriptions = load_subscriptions(region)
    return {
        "rapportageschema's": len(schedules),
        "aandelen in het budget": shares,
        "rapportages gemaakt": made,
        "abonnementen": subscriptions,
    }
