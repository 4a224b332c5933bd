"""Read queries of the landscape, shared by pages, API and reports."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from .codes import ParticipationLevel
from .models import (
    CareForm,
    Intensity,
    Municipality,
    Participation,
    Product,
    Region,
    Segment,
    SupportProfile,
)


def segment_subtree_ids(segment: Segment) -> set[int]:
    """The ids of ``segment`` and of every segment below it (one query per level)."""
    ids, frontier = {segment.pk}, [segment.pk]
    while frontier:
        frontier = list(
            Segment.objects.filter(parent__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def region_counts(*, user, region: Region) -> dict[str, int]:
    """How many municipalities, segments, care forms and products of the region the user sees."""
    return {
        "municipality_count": Municipality.objects.visible_to(user).filter(region=region).count(),
        "segment_count": Segment.objects.visible_to(user).filter(region=region).count(),
        "care_form_count": CareForm.objects.visible_to(user).filter(region=region).count(),
        "product_count": Product.objects.visible_to(user).filter(region=region).count(),
    }


def participation_exceptions(*, user, segment: Segment):
    """The municipalities that do not take part fully in ``segment``."""
    return (
        Participation.objects.visible_to(user)
        .filter(segment=segment)
        .exclude(level=ParticipationLevel.FULL)
        .select_related("municipality")
    )


def participation_or_new(*, municipality: Municipality, segment: Segment) -> Participation:
    """The municipality's participation in the segment, or an unsaved one to fill in."""
    return Participation.objects.filter(
        municipality=municipality, segment=segment
    ).first() or Participation(municipality=municipality, segment=segment)


def municipality_list(*, user, region: Region):
    return (
        Municipality.objects.visible_to(user)
        .filter(region=region)
        .select_related("region")
        .annotate(provider_count=Count("providers", distinct=True))
        .order_by("name")
    )


def care_form_list(*, user, region: Region):
    return (
        CareForm.objects.visible_to(user)
        .filter(region=region)
        .select_related("region")
        .annotate(
            provider_count=Count("providers", distinct=True),
            product_count=Count("products", distinct=True),
        )
        .order_by("name")
    )


def product_list(*, user, region: Region):
    return (
        Product.objects.visible_to(user)
        .filter(region=region)
        .select_related("region", "care_form", "support_profile", "intensity")
    )


@dataclass
class TreeNode:
    segment: Segment
    children: list["TreeNode"] = field(default_factory=list)
    depth: int = 0


def support_profile_list(*, user, region: Region):
    """The region's profiles (retired ones last), each with its products and their intensity."""
    products = Product.objects.visible_to(user).select_related("intensity")
    return (
        SupportProfile.objects.visible_to(user)
        .filter(region=region)
        .annotate(product_count=Count("products"))
        .prefetch_related(
            Prefetch(
                "products",
                queryset=products.order_by("intensity__position", "intensity__name"),
            )
        )
        .order_by("retired", "number")
    )


def intensity_list(*, user, region: Region):
    return (
        Intensity.objects.visible_to(user)
        .filter(region=region)
        .annotate(product_count=Count("products"))
        .order_by("retired", "position", "name")
    )


@dataclass(frozen=True)
class ProfileCell:
    """One intensity of a profile: its product, or none yet."""

    intensity: Intensity
    product: Product | None


def profile_products(*, user, support_profile: SupportProfile) -> list[ProfileCell]:
    """Every intensity of the region (active ones, and retired ones that still have a product
    of this profile) with this profile's product for it."""
    products = {
        p.intensity_id: p
        for p in support_profile.products.visible_to(user).select_related("care_form")
    }
    intensities = Intensity.objects.visible_to(user).filter(region_id=support_profile.region_id)
    return [
        ProfileCell(intensity, products.get(intensity.pk))
        for intensity in intensities.order_by("position", "name")
        if not intensity.retired or intensity.pk in products
    ]


def segment_tree(*, user, region: Region, queryset=None) -> list[TreeNode]:
    """The region's segments as a tree, in two queries (segments, care forms)."""
    segments = list(
        (
            queryset
            if queryset is not None
            else Segment.objects.visible_to(user).filter(region=region)
        )
        .prefetch_related(Prefetch("care_forms", queryset=CareForm.objects.order_by("name")))
        .order_by("code")
    )
    nodes = {s.pk: TreeNode(s) for s in segments}
    roots: list[TreeNode] = []
    for segment in segments:
        node = nodes[segment.pk]
        parent = nodes.get(segment.parent_id)
        (parent.children if parent else roots).append(node)

    def set_depth(items, depth):
        for item in items:
            item.depth = depth
            set_depth(item.children, depth + 1)

    set_depth(roots, 0)
    return roots


@dataclass
class MatrixCell:
    municipality: Municipality
    segment: Segment
    level: str
    note: str
    recorded: bool  # False: no row yet, full participation assumed

    @property
    def label(self):
        return ParticipationLevel(self.level).label


@dataclass
class ParticipationMatrix:
    segments: list[Segment]
    rows: list[tuple[Municipality, list[MatrixCell]]]
    totals: dict[int, dict[str, int]]


def participation_matrix(*, user, region: Region) -> ParticipationMatrix:
    """Municipalities × segments. Without a recorded row a municipality takes full part
    (the regional default); recorded rows say full, partial (with a note) or none."""
    municipalities = list(
        Municipality.objects.visible_to(user).filter(region=region).order_by("name")
    )
    segments = list(
        Segment.objects.visible_to(user)
        .filter(region=region, bought_regionally=True)
        .order_by("code")
    )
    recorded = {
        (p.municipality_id, p.segment_id): p
        for p in Participation.objects.visible_to(user).filter(
            municipality__in=municipalities, segment__in=segments
        )
    }
    totals: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(ParticipationLevel.values, 0)
    )
    rows = []
    for municipality in municipalities:
        cells = []
        for segment in segments:
            row = recorded.get((municipality.pk, segment.pk))
            level = row.level if row else ParticipationLevel.FULL
            cells.append(
                MatrixCell(municipality, segment, level, row.note if row else "", bool(row))
            )
            totals[segment.pk][level] += 1
        rows.append((municipality, cells))
    return ParticipationMatrix(segments=segments, rows=rows, totals=dict(totals))
