"""Read queries for providers. Admissibility is computed in the database here so lists can
filter and count on it; ``Provider.admissibility()`` gives the same verdict with reasons."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from segments.models import CareForm, Region, Segment

from .admissibility import Instrument, Judgement, Requirement, ScreeningStatus
from .models import ConsortiumMembership, Provider, ProviderKind, Screening, ScreeningKind


def _unmet_kinds(
    today: date, provider_ref: str, region_ref: str, segment_ids: tuple[int, ...] | None
) -> QuerySet:
    """The required kinds of the provider's own region whose latest screening of that provider
    did not pass or has expired (``provider_ref``/``region_ref``: the provider's id and region
    id on the outer row). Region-wide (``segment_ids`` None), or for a segment given as its
    lineage (it and its ancestors). Each provider is judged by its own region's kinds, so a
    list spanning regions needs no extra query."""
    latest = Screening.objects.filter(
        provider=OuterRef(OuterRef(provider_ref)), kind=OuterRef("pk")
    ).order_by("-date", "-pk")
    required = Q(requirement=Requirement.ALL)
    if segment_ids:
        required |= Q(
            requirement=Requirement.SEGMENTS,
            pk__in=ScreeningKind.segments.through.objects.filter(segment_id__in=segment_ids).values(
                "screeningkind_id"
            ),
        )
    return (
        ScreeningKind.objects.filter(required, region=OuterRef(region_ref), active=True)
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_valid=Subquery(latest.values("valid_until")[:1]),
        )
        .annotate(
            met=Case(
                When(
                    Q(latest_status=ScreeningStatus.PASSED)
                    & (Q(latest_valid__isnull=True) | Q(latest_valid__gte=today)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .filter(met=False)
    )


def segment_lineage(segment) -> tuple[int, ...]:
    """The segment and every segment above it (one query for the region's tree)."""
    parents = dict(
        Segment.objects.filter(region_id=segment.region_id).values_list("pk", "parent_id")
    )
    return Instrument(parents=parents).lineage(segment.pk)


def with_admissibility(
    queryset: QuerySet,
    today: date | None = None,
    *,
    segment: Segment | None = None,
    annotation: str = "is_admissible",
) -> QuerySet:
    """Annotate ``is_admissible`` by each provider's own region's instrument: for an
    organisation, a current passed screening of every required kind; for a consortium, a lead
    and only admissible members. With ``segment``: the kinds required for that segment (or a
    segment above it) count too. The same verdict as ``Provider.admissibility()``."""
    today = today or timezone.localdate()
    lineage = segment_lineage(segment) if segment is not None else None
    organisation_ok = ~Exists(_unmet_kinds(today, "pk", "region", lineage))
    member_bad = ConsortiumMembership.objects.filter(consortium=OuterRef("pk")).filter(
        Exists(_unmet_kinds(today, "member", "member__region", lineage))
    )
    has_lead = Exists(ConsortiumMembership.objects.filter(consortium=OuterRef("pk"), is_lead=True))
    return queryset.annotate(
        **{
            annotation: Case(
                When(
                    Q(kind=ProviderKind.CONSORTIUM) & has_lead & ~Exists(member_bad),
                    then=Value(True),
                ),
                When(Q(kind=ProviderKind.CONSORTIUM), then=Value(False)),
                When(organisation_ok, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        }
    )


def _care_form_count() -> Case:
    """Number of care forms offered; for a consortium the union of its members' forms."""
    union = (
        CareForm.objects.filter(providers__consortium_memberships__consortium=OuterRef("pk"))
        .order_by()
        .annotate(
            n=Func(F("pk"), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
        )
        .values("n")
    )
    own = (
        CareForm.objects.filter(providers=OuterRef("pk"))
        .order_by()
        .annotate(
            n=Func(F("pk"), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
        )
        .values("n")
    )
    return Case(
        When(kind=ProviderKind.CONSORTIUM, then=Coalesce(Subquery(union), 0)),
        default=Coalesce(Subquery(own), 0),
    )


def provider_list(*, user, region: Region, today: date | None = None) -> QuerySet:
    return with_admissibility(
        Provider.objects.visible_to(user)
        .filter(region=region)
        .select_related("region")
        .annotate(care_form_count=_care_form_count()),
        today,
    )


def provider_detail_queryset(*, user, region: Region) -> QuerySet:
    return (
        Provider.objects.visible_to(user)
        .filter(region=region)
        .prefetch_related(
            "care_forms",
            "municipalities_served",
            "screenings",
            Prefetch(
                "members",
                queryset=ConsortiumMembership.objects.select_related("member").prefetch_related(
                    "member__screenings"
                ),
            ),
            Prefetch(
                "consortium_memberships",
                queryset=ConsortiumMembership.objects.select_related("consortium"),
            ),
        )
    )


EXPIRING_DAYS = 60


def expiring_screenings(screenings, *, today: date, days: int = EXPIRING_DAYS):
    """Passed screenings of a kind still in use that run out within ``days`` days: the region
    overview's panel and the provider list's filter of the same name."""
    return screenings.filter(
        kind__active=True,  # a kind out of use is no longer chased
        status=ScreeningStatus.PASSED,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=days),
    )


def provider_summary(*, user, region: Region, today: date | None = None) -> dict:
    """Figures for the region overview."""
    today = today or timezone.localdate()
    providers = provider_list(user=user, region=region, today=today)
    by_kind = {
        row["kind"]: row["n"] for row in providers.order_by().values("kind").annotate(n=Count("pk"))
    }
    expiring = (
        expiring_screenings(
            Screening.objects.visible_to(user).filter(provider__region=region), today=today
        )
        .select_related("provider__region", "kind")
        .order_by("valid_until")
    )
    return {
        "region": region,
        "total": sum(by_kind.values()),
        "by_kind": [(ProviderKind(k).label, by_kind.get(k, 0)) for k in ProviderKind.values],
        "admissible": providers.filter(is_admissible=True).count(),
        "expiring": expiring[:10],
        "expiring_count": expiring.count(),
        "expiring_days": EXPIRING_DAYS,
    }


@dataclass(frozen=True)
class Verdicts:
    """A provider's verdicts for its detail page: region-wide, per segment with extra
    requirements, and (for a consortium) each member's region-wide verdict."""

    region: Judgement
    segments: list[tuple[Segment, Judgement]]
    members: list[tuple[ConsortiumMembership, Judgement]]
    requires_any: bool  # does the region require any screening at all


def provider_verdicts(*, provider: Provider, user, today: date | None = None) -> Verdicts:
    """Judge once with the region's instrument (three queries), for the region and for each
    segment an active kind is required for."""
    today = today or timezone.localdate()
    instrument = ScreeningKind.instrument_of(provider.region_id)
    segment_ids = instrument.segments_with_extra_requirements()
    segments = (
        list(Segment.objects.visible_to(user).filter(pk__in=segment_ids).order_by("code"))
        if segment_ids
        else []
    )
    members = list(provider.members.all()) if provider.is_consortium else []
    return Verdicts(
        region=provider.admissibility(today, instrument=instrument),
        segments=[
            (s, provider.admissibility(today, segment=s.pk, instrument=instrument))
            for s in segments
        ],
        members=[(m, m.member.admissibility(today, instrument=instrument)) for m in members],
        requires_any=bool(instrument.required() or segment_ids),
    )


def screening_kind_list(*, user, region: Region) -> QuerySet:
    """The region's instrument, each kind with how many screenings of how many providers use
    it (the count refers to screenings on record, which block deleting the kind)."""
    return (
        ScreeningKind.objects.visible_to(user)
        .filter(region=region)
        .select_related("region")
        .prefetch_related(Prefetch("segments", queryset=Segment.objects.order_by("code")))
        .annotate(
            screening_count=Count("screenings", distinct=True),
            provider_count=Count("screenings__provider", distinct=True),
        )
        .order_by("-active", "name", "pk")
    )


def consortia_of(*, user, provider: Provider) -> list[ConsortiumMembership]:
    """The consortium memberships of ``provider`` whose consortium the user may see."""
    memberships = list(provider.consortium_memberships.all())
    if not memberships:
        return []
    visible = set(
        Provider.objects.visible_to(user)
        .filter(pk__in=[m.consortium_id for m in memberships])
        .values_list("pk", flat=True)
    )
    return [m for m in memberships if m.consortium_id in visible]


def member_choices(*, user, region: Region) -> QuerySet:
    """The providers a consortium of the region may take as lead or member."""
    return (
        Provider.objects.visible_to(user)
        .filter(region=region)
        .exclude(kind=ProviderKind.CONSORTIUM)
        .order_by("name")
    )
