"""Read queries for providers. Admissibility is computed in the database here so lists can
filter and count on it; ``Provider.admissibility()`` gives the same verdict with reasons."""

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

from segments.models import CareForm, Region

from .admissibility import REQUIRED_KINDS, ScreeningStatus
from .models import ConsortiumMembership, Provider, ProviderKind, Screening


def _latest_screening(kind: str, field: str, provider_ref: str = "pk") -> Subquery:
    return Subquery(
        Screening.objects.filter(provider=OuterRef(provider_ref), kind=kind)
        .order_by("-date", "-pk")
        .values(field)[:1]
    )


def _organisation_admissible_q(today: date, prefix: str = "") -> Q:
    condition = Q()
    for kind in REQUIRED_KINDS:
        status, valid = f"{prefix}adm_{kind}_status", f"{prefix}adm_{kind}_valid"
        condition &= Q(**{status: ScreeningStatus.PASSED}) & (
            Q(**{f"{valid}__isnull": True}) | Q(**{f"{valid}__gte": today})
        )
    return condition


def _annotate_latest(queryset: QuerySet) -> QuerySet:
    annotations = {}
    for kind in REQUIRED_KINDS:
        annotations[f"adm_{kind}_status"] = _latest_screening(kind, "status")
        annotations[f"adm_{kind}_valid"] = _latest_screening(kind, "valid_until")
    return queryset.annotate(**annotations)


def with_admissibility(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Annotate ``is_admissible``: for an organisation, a current passed screening of every
    required kind; for a consortium, a lead and only admissible members."""
    today = today or timezone.localdate()
    inadmissible_organisations = (
        _annotate_latest(Provider.objects.exclude(kind=ProviderKind.CONSORTIUM))
        .exclude(_organisation_admissible_q(today))
        .values("pk")
    )
    has_lead = Exists(ConsortiumMembership.objects.filter(consortium=OuterRef("pk"), is_lead=True))
    has_bad_member = Exists(
        ConsortiumMembership.objects.filter(
            consortium=OuterRef("pk"), member__in=inadmissible_organisations
        )
    )
    return _annotate_latest(queryset).annotate(
        is_admissible=Case(
            When(Q(kind=ProviderKind.CONSORTIUM) & has_lead & ~has_bad_member, then=Value(True)),
            When(Q(kind=ProviderKind.CONSORTIUM), then=Value(False)),
            When(_organisation_admissible_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
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


def provider_summary(*, user, region: Region, today: date | None = None) -> dict:
    """Figures for the region overview."""
    today = today or timezone.localdate()
    providers = provider_list(user=user, region=region, today=today)
    by_kind = {
        row["kind"]: row["n"] for row in providers.order_by().values("kind").annotate(n=Count("pk"))
    }
    expiring = (
        Screening.objects.visible_to(user)
        .filter(
            provider__region=region,
            status=ScreeningStatus.PASSED,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=60),
        )
        .select_related("provider")
        .order_by("valid_until")
    )
    return {
        "region": region,
        "total": sum(by_kind.values()),
        "by_kind": [(ProviderKind(k).label, by_kind.get(k, 0)) for k in ProviderKind.values],
        "admissible": providers.filter(is_admissible=True).count(),
        "expiring": expiring[:10],
        "expiring_count": expiring.count(),
    }


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
