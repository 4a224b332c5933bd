"""Demo of issue 21 item 4, through ``kader`` and ``consultations``: the themes of the ZHZ
views (seed 001: the points raised by four or more councils), WBO's recorded decision to adopt
without council views, and a ZHZ market consultation and development table (seed 000: "30
consultatiebijeenkomsten", the "ontwikkeltafels per segment")."""

from __future__ import annotations

from datetime import date

from core.demo_clock import shift
from providers.models import Provider, ProviderKind

from . import consultations, kader, services
from .models import ConsultationKind, Framework, Strategy, Theme

# The five points of seed 001 (the keys of ``demo.ZHZ_POINTS``) as the region's themes.
ZHZ_THEMES = {
    "toegang": (
        "Versterken toegangstaak en stevig contractmanagement",
        "Toegang, casusregie en het contractmanagement dat de afspraken volgt.",
    ),
    "lokaal": (
        "Lokaal waar het kan, regionaal waar nodig",
        "Afbakening tussen lokale voorzieningen en regionaal ingekochte jeugdhulp.",
    ),
    "aanbieders": (
        "Grip op het aantal aanbieders met behoud keuzevrijheid",
        "Minder aanbieders, met ruimte voor identiteitsgebonden zorg en maatwerk.",
    ),
    "kosten": (
        "Kostenbeheersing",
        "Het financiële kader van de inkoop, aan de voorkant en de achterkant.",
    ),
    "betrokkenheid": (
        "Betrokkenheid bij verdere proces rond inkoop jeugdhulp 2022 e.v.",
        "Tijdig meenemen van de raden in de uitwerking van de inkoopstrategie.",
    ),
}

WBO_DECISION = {
    "decided_by": "Colleges van B&W van Altena, Breda, Drimmelen, Geertruidenberg en Oosterhout",
    "decided_on": date(2022, 4, 12),
    "reason": (
        "De inkoopstrategie is een bevoegdheid van de colleges. De gemeenteraden zijn met een "
        "raadsinformatiebrief geïnformeerd; zienswijzen van de raden zijn niet gevraagd. De "
        "raden besluiten in november 2022 over het financiële kader."
    ),
}

ZHZ_CONSULTATIONS = [
    {
        "held_on": date(2021, 1, 19),
        "kind": ConsultationKind.MARKET,
        "title": "Marktconsultatie segment 1: samenwerkingsverband hoog specialistisch",
        "other_participants": "Cliëntenraad Jeugd ZHZ\nStichting Jeugdteams ZHZ",
        "themes": ["aanbieders", "kosten"],
        "minutes": (
            "Aanbieders herkennen de opgave om met één (of twee) samenwerkingsverbanden "
            "integraal verantwoordelijk te zijn. Zorgen over de afnemende lumpsum: aanbieders "
            "vragen inzicht in de kosten per cliënt per segment voordat zij een budget "
            "accepteren. Afgesproken: de regio deelt de cijfers 2019-2020 voor de volgende "
            "ontwikkeltafel."
        ),
    },
    {
        "held_on": date(2021, 2, 4),
        "kind": ConsultationKind.DEVELOPMENT_TABLE,
        "title": "Ontwikkeltafel segment 1: toegang en casusregie",
        "other_participants": (
            "Gemeente Dordrecht, beleidsmedewerker jeugd\nGemeente Gorinchem, contractmanager"
            "\nStichting Jeugdteams ZHZ"
        ),
        "themes": ["toegang", "lokaal"],
        "minutes": (
            "Uitgewerkt: gezamenlijke en gespecialiseerde toegang met casusregie en aansluiting "
            "op gemeentelijke diensten (schuldhulpverlening, wonen, welzijn en inkomen). De "
            "uitkomsten gaan naar de regionale bijeenkomst voor de raden in februari 2021."
        ),
    },
]


def wbo_adoption_decision(framework: Framework) -> None:
    """WBO's strategy was adopted by the colleges without council views: recorded as such,
    before the adoption (called by ``demo._load_wbo``)."""
    decision = {**WBO_DECISION, "decided_on": shift(WBO_DECISION["decided_on"])}
    kader.adoption_decision_record(framework=framework, **decision)


def _zhz_themes(region) -> dict[str, Theme]:
    return {
        key: kader.theme_create(region=region, name=name, description=description)
        for key, (name, description) in ZHZ_THEMES.items()
    }


def load_kader(region) -> dict:
    """The ZHZ themes on the views and the consultations on the segment-1 strategy (called by
    ``demo._load_zhz``; WBO's decision is recorded while its framework is adopted)."""
    if Theme.objects.filter(region=region).exists():
        return {}
    from .demo import ZHZ_FRAMEWORK, ZHZ_VIEWS

    themes = _zhz_themes(region)
    framework = Framework.objects.get(region=region, title=ZHZ_FRAMEWORK)
    for view in framework.views.select_related("municipality"):
        keys = ZHZ_VIEWS.get(view.municipality.name, (None, []))[1]
        services.municipal_view_update(municipal_view=view, themes=[themes[k] for k in keys])
    strategy = (
        Strategy.objects.filter(framework=framework, segment__code="1").first()
        or Strategy.objects.filter(framework=framework).order_by("segment__code").first()
    )
    made = 0
    if strategy is not None:
        in_scope = set(strategy.care_forms.values_list("pk", flat=True))
        providers = list(
            Provider.objects.filter(region=region, care_forms__in=in_scope)
            .exclude(kind=ProviderKind.CONSORTIUM)
            .distinct()
            .order_by("name")[:4]
        )
        for i, spec in enumerate(ZHZ_CONSULTATIONS):
            consultations.consultation_create(
                strategy=strategy,
                held_on=shift(spec["held_on"]),
                kind=spec["kind"],
                title=spec["title"],
                providers=providers if i == 0 else providers[:2],
                other_participants=spec["other_participants"],
                themes=[themes[k] for k in spec["themes"]],
                minutes=spec["minutes"],
            )
            made += 1
    return {"thema's": len(themes), "consultaties": made}
