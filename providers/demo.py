"""A generated provider population of the seeds' sizes (DOMAIN.md §3), deterministic per region:
the same names, KvK numbers and screenings on every run, so loading twice adds nothing."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from core.demo_clock import anchor, shift
from segments.models import CareForm, Municipality, Region

from .admissibility import Requirement, ScreeningStatus, valid_until_for
from .models import (
    ConsortiumMembership,
    Provider,
    ProviderKind,
    ProviderReach,
    Screening,
    ScreeningKind,
)
from .services import consortium_set_members, screening_kind_create


@dataclass(frozen=True)
class Population:
    regional: int
    national: int
    custom: int
    solo_share: float
    certified: int
    consortia: int


# ZHZ: 145 regional + 30 national + 80 custom (seed 001); WBO: more than 240 (seed 002);
# Amsterdam: no figure in the seed, sized like a large city region.
POPULATIONS = {
    "zhz": Population(
        regional=145, national=30, custom=80, solo_share=0.25, certified=3, consortia=3
    ),
    "wbo": Population(
        regional=185, national=25, custom=32, solo_share=0.3, certified=2, consortia=6
    ),
    "ams": Population(
        regional=150, national=30, custom=40, solo_share=0.2, certified=3, consortia=5
    ),
}

PREFIXES = ["Stichting", "Zorggroep", "Jeugdzorg", "Praktijk", "Centrum", "Kwadraad", "Samen"]
STEMS = [
    "De Horizon",
    "Het Kompas",
    "De Brug",
    "Vitaal",
    "De Ontmoeting",
    "Kindkracht",
    "Groeikracht",
    "De Linde",
    "Perspectief",
    "Balans",
    "De Vlinder",
    "Opstap",
    "Kiem",
    "De Wending",
    "Sterk Thuis",
    "De Bolster",
    "Eigenwijs",
    "Zonnestraal",
    "De Rode Draad",
    "Anker",
    "De Vuurtoren",
    "Koers",
    "Het Gezinshuis",
    "Oase",
    "De Regenboog",
    "Ruimte",
    "Spectrum",
    "Dagelijks",
    "De Meander",
    "Samenspel",
    "Lente",
    "Thuisbasis",
    "De Zeeuwse Stroom",
    "Veerkracht",
    "Jong Leven",
    "Nestwarmte",
]
SPECIALTIES = [
    "Jeugdhulp",
    "Jeugd-GGZ",
    "Orthopedagogiek",
    "Gezinsbegeleiding",
    "Dyslexiezorg",
    "Vaktherapie",
    "Dagbehandeling",
    "Opvoedondersteuning",
    "Kinderpsychologie",
    "Logeerhuis",
]
SOLO_FIRST = [
    "A.",
    "B.",
    "C.",
    "D.",
    "E.",
    "F.",
    "G.",
    "H.",
    "J.",
    "K.",
    "L.",
    "M.",
    "N.",
    "P.",
    "R.",
    "S.",
    "T.",
    "W.",
]
SOLO_LAST = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "el Amrani",
    "Yilmaz",
    "Haddou",
    "Kaya",
    "Martens",
    "Verhoeven",
]
DENOMINATIONS = [
    "Christelijk (protestants)",
    "Reformatorisch",
    "Rooms-katholiek",
    "Islamitisch",
    "Joods",
]
CITIES = {
    "zhz": ["Dordrecht", "Gorinchem", "Zwijndrecht", "Papendrecht", "Sliedrecht", "Oud-Beijerland"],
    "wbo": ["Breda", "Oosterhout", "Made", "Geertruidenberg", "Almkerk", "Raamsdonksveer"],
    "ams": ["Amsterdam", "Zaandam", "Purmerend", "Amstelveen", "Diemen", "Volendam"],
}
NATIONAL_CITIES = [
    "Utrecht",
    "Amersfoort",
    "Zwolle",
    "Eindhoven",
    "Den Haag",
    "Rotterdam",
    "Arnhem",
]
CONSORTIUM_AREAS = ["Noord", "Zuid", "Oost", "West", "Midden", "Kern"]
# As designed (core.demo_clock moves it with the day the demo is loaded), so a repeated load
# on one day produces the same screening dates.
ANCHOR = date(2026, 1, 15)


def _kvk(rng, used):
    while True:
        number = f"{rng.randint(10_000_000, 99_999_999)}"
        if number not in used:
            used.add(number)
            return number


def _name(rng, used, solo):
    for _attempt in range(1000):
        if solo:
            practice = rng.choice(["Praktijk", "Praktijk voor", "Therapiepraktijk"])
            name = f"{practice} {rng.choice(SOLO_FIRST)} {rng.choice(SOLO_LAST)}"
        else:
            name = f"{rng.choice(PREFIXES)} {rng.choice(STEMS)}"
            if rng.random() < 0.45:
                name += f" {rng.choice(SPECIALTIES)}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("name space exhausted")


LAPSED_NOTE = "Verlopen; de aanbieder heeft een nieuwe VOG aangevraagd."

# The demo regions' screening instrument: the four kinds every region used while screening was
# code, each required for every provider. (code, name, what it checks, validity in months)
BIBOB, VOG, QUALITY, FINANCIAL = "bibob", "vog", "quality", "financial"
DEMO_KINDS = [
    (
        BIBOB,
        "Integriteit (Bibob)",
        "Integriteitstoets volgens de Wet Bibob: zeggenschap, financiering en antecedenten.",
        36,
    ),
    (
        VOG,
        "Verklaring omtrent gedrag (VOG)",
        "Een geldige VOG van de organisatie en van de medewerkers die met jeugdigen werken.",
        24,
    ),
    (
        QUALITY,
        "Kwaliteit",
        "Kwaliteitskader jeugd, keurmerk of certificaat, klachtenregeling en meldcode.",
        36,
    ),
    (
        FINANCIAL,
        "Financiële gezondheid",
        "Jaarrekening, solvabiliteit en continuïteit van de organisatie.",
        24,
    ),
]


def load_instrument(region: Region) -> dict[str, ScreeningKind]:
    """The region's screening kinds (through the service; a second load adds nothing)."""
    existing = {k.code: k for k in ScreeningKind.objects.filter(region=region)}
    for code, name, description, months in DEMO_KINDS:
        if code not in existing:
            existing[code] = screening_kind_create(
                region=region,
                code=code,
                name=name,
                description=description,
                validity_months=months,
                requirement=Requirement.ALL,
            )
    return existing


def _screenings(rng, provider, kinds):
    """Four screenings; most current and passed, some expiring, expired, pending or failed."""
    roll = rng.random()
    for index, (kind, *_rest) in enumerate(DEMO_KINDS):
        screened = shift(ANCHOR) - timedelta(days=rng.randint(30, 700))
        valid_years = 3 if kind in (BIBOB, QUALITY) else 2
        valid_until = screened + timedelta(days=365 * valid_years)
        status = ScreeningStatus.PASSED
        note = ""
        if roll < 0.05 and index == 0:
            status, note = ScreeningStatus.PENDING, "Aanvullende stukken opgevraagd."
        elif 0.05 <= roll < 0.08 and kind == FINANCIAL:
            status, note = ScreeningStatus.FAILED, "Negatief eigen vermogen; herstelplan gevraagd."
        elif 0.08 <= roll < 0.14 and kind == VOG:
            valid_until = anchor() - timedelta(days=rng.randint(25, 65))  # recently lapsed
            screened = valid_until - timedelta(days=730)
            note = LAPSED_NOTE
        Screening.objects.update_or_create(
            provider=provider,
            kind=kinds[kind],
            date=screened,
            defaults={"status": status, "valid_until": valid_until, "outcome_note": note},
        )


@transaction.atomic
def load_providers(region: Region) -> int:
    population = POPULATIONS[region.slug]
    rng = random.Random(f"jeugdinkoop-providers-{region.slug}")
    kinds = load_instrument(region)
    care_forms = list(
        CareForm.objects.filter(region=region).exclude(code="PROFIEL").order_by("code")
    )
    municipalities = list(Municipality.objects.filter(region=region).order_by("cbs_code"))
    used_kvk = set(Provider.objects.exclude(region=region).values_list("kvk_number", flat=True))
    used_names: set[str] = set()
    organisations = []
    plan = (
        [(ProviderReach.REGIONAL, None)] * population.regional
        + [(ProviderReach.NATIONAL, None)] * population.national
        + [(ProviderReach.CUSTOM, None)] * population.custom
    )
    for index, (reach, _unused) in enumerate(plan):
        is_certified = index < population.certified
        solo = not is_certified and rng.random() < population.solo_share
        kind = (
            ProviderKind.CERTIFIED_INSTITUTION
            if is_certified
            else ProviderKind.SOLO_PRACTITIONER
            if solo
            else ProviderKind.INSTITUTION
        )
        name = (
            f"Gecertificeerde Instelling Jeugdbescherming {['Noord', 'Zuid', 'Midden'][index]}"
            if is_certified
            else _name(rng, used_names, solo)
        )
        kvk = _kvk(rng, used_kvk)
        identity_bound = not solo and rng.random() < 0.06
        if reach == ProviderReach.NATIONAL:
            city = rng.choice(NATIONAL_CITIES)
        else:
            city = rng.choice(CITIES[region.slug])
        provider, _ = Provider.objects.update_or_create(
            region=region,
            kvk_number=kvk,
            defaults={
                "name": name,
                "kind": kind,
                "agb_code": f"{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
                "reach": reach,
                "identity_bound": identity_bound,
                "denomination": rng.choice(DENOMINATIONS) if identity_bound else "",
                "capacity_places": rng.choice([None, None, 4, 6, 8, 12, 16, 24])
                if not solo
                else None,
                "capacity_fte": Decimal(
                    f"{rng.uniform(1, 3) if solo else rng.uniform(5, 400):.1f}"
                ),
                "city": city,
                "email": f"contractering@{kvk}.aanbieder.example",
            },
        )
        forms_count = 1 if solo else rng.randint(2, min(9, len(care_forms)))
        provider.care_forms.set(rng.sample(care_forms, k=min(forms_count, len(care_forms))))
        served = (
            len(municipalities)
            if reach == ProviderReach.NATIONAL
            else rng.randint(1, len(municipalities))
        )
        provider.municipalities_served.set(rng.sample(municipalities, k=served))
        _screenings(rng, provider, kinds)
        organisations.append(provider)

    institutions = [p for p in organisations if p.kind == ProviderKind.INSTITUTION]
    for number in range(population.consortia):
        consortium, _ = Provider.objects.update_or_create(
            region=region,
            name=f"Samenwerkingsverband {region.slug.upper()} {CONSORTIUM_AREAS[number]}",
            kind=ProviderKind.CONSORTIUM,
            defaults={"reach": ProviderReach.REGIONAL, "city": CITIES[region.slug][number % 6]},
        )
        members = rng.sample(institutions, k=rng.randint(3, 6))
        consortium.municipalities_served.set(
            {m for member in members for m in member.municipalities_served.all()}
        )
        consortium_set_members(consortium=consortium, lead=members[0], members=members[1:])
    return Provider.objects.filter(region=region).count()


def renew_screenings(region: Region) -> dict[str, int]:
    """Renew what ran out before the day the demo is loaded: a passed screening whose validity
    ended is followed by a new one, made up to six weeks before the old one ended, as a provider
    that keeps its papers in order does. The recently lapsed VOGs of ``_screenings``
    (``LAPSED_NOTE``, 25 to 65 days before the anchor) stay lapsed, so the region has providers
    that are not admissible for that reason. Run after the procedures, which judge the
    screenings as they stood on their own dates; a second run adds nothing."""
    today = anchor()
    rng = random.Random(f"jeugdinkoop-renewals-{region.slug}")
    months = {k.pk: k.validity_months for k in ScreeningKind.objects.filter(region=region)}
    latest = {}
    for screening in Screening.objects.filter(provider__region=region).order_by("date", "pk"):
        latest[(screening.provider_id, screening.kind_id)] = screening
    renewed = 0
    for (provider_id, kind_id), screening in sorted(latest.items()):
        if screening.status != ScreeningStatus.PASSED or screening.valid_until is None:
            continue
        valid_until = screening.valid_until
        if valid_until >= today or screening.outcome_note == LAPSED_NOTE:
            continue  # still valid, or one of the recently lapsed
        while valid_until < today:
            day = min(valid_until - timedelta(days=rng.randint(0, 42)), today - timedelta(days=1))
            valid_until = valid_until_for(day, months[kind_id]) or today
            Screening.objects.update_or_create(
                provider_id=provider_id,
                kind_id=kind_id,
                date=day,
                defaults={"status": ScreeningStatus.PASSED, "valid_until": valid_until},
            )
            renewed += 1
    return {"vernieuwde screenings": renewed} if renewed else {}


def consortium_count(region: Region) -> int:
    return ConsortiumMembership.objects.filter(consortium__region=region, is_lead=True).count()
