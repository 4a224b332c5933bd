"""Load the seed regions' landscape (segments/demo/seed_data.py). Repeatable: every write is
keyed on a natural key (slug, CBS code, region + code), so a second run changes nothing."""

from django.db import transaction

from ..codes import ParticipationLevel, ProductCategory, Unit
from ..models import (
    CareForm,
    Intensity,
    Municipality,
    Participation,
    Product,
    Region,
    Segment,
    SupportProfile,
)
from . import seed_data

PROFILE_REGION = "ams"
INTENSITY_CODES = {"perspectief": "PER", "intensief": "INT", "acuut": "ACU", "duurzaam": "DUU"}


def _upsert_segments(region, nodes, parent, not_bought, forms_by_code):
    for node in nodes:
        segment, _ = Segment.objects.update_or_create(
            region=region,
            code=node["code"],
            defaults={
                "parent": parent,
                "name": node["name"],
                "description": node.get("description", ""),
                "target_group": node.get("target_group", ""),
                "development_assignments": node.get("development_assignments", ""),
                "bought_regionally": (region.slug, node["code"]) not in not_bought,
            },
        )
        segment.care_forms.set([forms_by_code[c] for c in node.get("care_forms", [])])
        _upsert_segments(region, node.get("children", []), segment, not_bought, forms_by_code)


@transaction.atomic
def load_landscape() -> list[Region]:
    regions = []
    not_bought = set(getattr(seed_data, "NOT_BOUGHT_REGIONALLY", []))
    for spec in seed_data.REGIONS:
        region, _ = Region.objects.update_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "contracting_authority": spec["contracting_authority"]},
        )
        regions.append(region)
        municipalities = {}
        for code, name in spec["municipalities"]:
            municipalities[code], _ = Municipality.objects.update_or_create(
                cbs_code=code, defaults={"region": region, "name": name}
            )
        forms_by_code = {}
        for code, name, description in spec["care_forms"]:
            forms_by_code[code], _ = CareForm.objects.update_or_create(
                region=region, code=code, defaults={"name": name, "description": description}
            )
        _upsert_segments(region, spec["segments"], None, not_bought, forms_by_code)
        for cbs_code, segment_code, level, note in spec["participation"]:
            Participation.objects.update_or_create(
                municipality=municipalities[cbs_code],
                segment=Segment.objects.get(region=region, code=segment_code),
                defaults={"level": ParticipationLevel(level), "note": note},
            )
        for product in spec["products"]:
            Product.objects.update_or_create(
                region=region,
                code=product["code"],
                defaults={
                    "name": product["name"],
                    "care_form": forms_by_code[product["care_form"]],
                    "category": ProductCategory(product["category"]),
                    "unit": Unit(product["unit"]),
                },
            )
        if spec["slug"] == PROFILE_REGION:
            _load_profiles(region, forms_by_code)
    return regions


def _load_profiles(region, forms_by_code):
    """The 10 support profiles × 4 intensities, each one output product (one price later)."""
    care_form, _ = CareForm.objects.update_or_create(
        region=region,
        code="PROFIEL",
        defaults={
            "name": "Ondersteuningsprofiel (resultaatgericht)",
            "description": "Resultaatgerichte bekostiging per gezin: één profiel en één "
            "intensiteit per perspectiefplan, met één prijs per combinatie.",
        },
    )
    intensities = {}
    for position, (code, label, description, parallel, max_days) in enumerate(
        seed_data.INTENSITIES, start=1
    ):
        intensities[code], _ = Intensity.objects.update_or_create(
            region=region,
            code=code,
            defaults={
                "name": label,
                "description": description,
                "position": position,
                "parallel": parallel,
                "parallel_max_days": max_days,
            },
        )
    for number, name, description in seed_data.SUPPORT_PROFILES:
        profile, _ = SupportProfile.objects.update_or_create(
            region=region, number=number, defaults={"name": name, "description": description}
        )
        for intensity_value, intensity_label, *_rest in seed_data.INTENSITIES:
            Product.objects.update_or_create(
                region=region,
                code=f"P{number:02d}-{INTENSITY_CODES[intensity_value]}",
                defaults={
                    "name": f"{name} – {intensity_label}",
                    "care_form": care_form,
                    "category": ProductCategory.CUSTOM_ARRANGEMENTS,
                    "unit": Unit.PIECES_OUTPUT,
                    "support_profile": profile,
                    "intensity": intensities[intensity_value],
                },
            )
