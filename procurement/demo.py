"""Procurement demo data for the seed regions, built through procurement/services.py.

Sources: ZHZ from seeds 000 (council slides on the procurement strategy 2022: framework goals
and the procedure and funding per segment) and 001 (letter of 17-12-2020 on the adopted
framework: the points the councils raised and the responses); WBO from seed 002 (procurement
strategy from 2023: SAS with negotiation, at most 20 strategic partners delivering at least 10
of the 13 care forms, 5 + 1 + 1 years, task-based funding, planning June-October 2022).

Deterministic: fixed dates, a seeded random generator and providers chosen in a fixed order.
Repeatable: when a region's framework already exists, that region is skipped as a whole.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from core.demo_clock import demo_at, demo_date, shift
from providers.admissibility import ScreeningStatus
from providers.demo import FINANCIAL
from providers.models import ConsortiumMembership, Provider, ProviderKind, ProviderReach
from providers.services import consortium_set_members
from segments.demo.signatories import load_letter_signatory
from segments.models import Municipality, Region, Segment

from . import demo_kader, services
from .codes import (
    AdmissionMode,
    FrameworkStatus,
    FundingModel,
    MilestoneKind,
    ProcedureType,
    RequirementKind,
)
from .demo_negotiation import wbo_negotiation_outcome
from .demo_objections import load_zhz_objection, record_wbo_exceptions
from .models import Framework, Milestone, MunicipalView, Requirement, Strategy, Tender

AMS = ZoneInfo("Europe/Amsterdam")
M = MilestoneKind
F = FundingModel
P = ProcedureType


def _designed(y, mo, d, h=9, mi=0) -> datetime:
    """A moment as designed (``demo_at`` moves it to the anchor when it is used)."""
    return datetime(y, mo, d, h, mi, tzinfo=AMS)


def _at(y, mo, d, h=9, mi=0) -> datetime:
    """A designed moment, on the anchor's calendar."""
    return demo_at(_designed(y, mo, d, h, mi))


def _on(day: date, h=9, mi=0) -> datetime:
    """A time on a day that is already on the anchor's calendar."""
    return datetime(day.year, day.month, day.day, h, mi, tzinfo=AMS)


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:  # load_users() runs first in load_demo
        raise RuntimeError(f"Demo user '{username}' is missing; load the users first.") from exc


def _requirements(tender: Tender, rows) -> list[Requirement]:
    services.tender_setup_save(
        tender=tender,
        milestones=[],
        requirements=[
            {"order": i, "kind": kind, "text": text} for i, (kind, text) in enumerate(rows, start=1)
        ],
    )
    return list(tender.requirements.order_by("order", "pk"))


def _plan(tender: Tender, rows) -> None:
    """Planned milestones; a row may carry the actual date of a step no transition records."""
    for kind, planned, *actual in rows:
        Milestone.objects.create(
            tender=tender, kind=kind, planned_on=planned, actual_on=actual[0] if actual else None
        )


def _pass_all(sub, evidence: dict[int, str], failing: dict[int, str] | None = None):
    failing = failing or {}
    rows = {}
    for check in sub.checks.all():
        rid = check.requirement_id
        rows[rid] = (False, failing[rid]) if rid in failing else (True, evidence[rid])
    return services.submission_record_checks(submission=sub, rows=rows)


def _strategy(region, framework, segment, spec) -> Strategy:
    return services.strategy_create(
        region=region,
        care_forms=segment.care_forms.all(),
        framework=framework,
        segment=segment,
        title=spec["title"],
        procedure_type=spec["procedure_type"],
        funding_models=spec["funding_models"],
        contract_term_years=spec["term"],
        extension_options=spec.get("options", []),
        max_providers=spec.get("max_providers"),
        coverage_min_care_forms=spec.get("coverage"),
        development_assignments=spec.get("development", ""),
        tactical_goals=spec.get("tactical", ""),
        access_notes=spec.get("access", ""),
        supplier_management_notes=spec.get("suppliers", ""),
        previous_procedure_type=spec.get("previous_procedure", ""),
        previous_funding_models=spec.get("previous_funding", []),
        contract_start=shift(spec["start"]) if spec.get("start") else None,
        change_reason=spec.get("reason", ""),
    )


# ================================================================ Zuid-Holland Zuid

ZHZ_FRAMEWORK = "Inkoopkader jeugdhulp 2022 e.v."
ZHZ_ADOPTED_BY = "Algemeen Bestuur van de Dienst Gezondheid & Jeugd ZHZ"
# Seed 000, "De doelen inkoopkader"; "Kostenbeheersing" was added after the views (seed 001).
ZHZ_PRINCIPLES = [
    "Beter inzetten eigen kracht en netwerk gezin",
    "Normaliseren en de-medicaliseren",
    "Grip op het aantal aanbieders met behoud keuzevrijheid",
    "Lokaal waar het kan, regionaal waar nodig",
    "Jeugdhulp om de jeugdigen heen organiseren",
    "Integrale aanpak vanuit het kind en het gezin",
    "Versterken toegangstaak",
    "SMART afspraken met aanbieders",
    "Ruimte bieden voor innovatie",
    "Beperken administratieve lasten",
    "Meerjarige samenwerking met aanbieders van jeugdhulp",
    "Wet normering topinkomens",
    "Goed opdrachtgeverschap",
]
ZHZ_COST_CONTROL = "Kostenbeheersing"
ZHZ_SUMMARY = (
    "Op 24 september 2020 heeft het Algemeen Bestuur besloten het voorgenomen inkoopkader "
    "jeugdhulp 2022 e.v. voor zienswijze voor te leggen aan de tien gemeenteraden. Op 10 december "
    "2020 heeft het Algemeen Bestuur, na overweging van de zienswijzen, het inkoopkader "
    "vastgesteld.\n\n"
    "Gemeenten stemmen in met het inkoopkader. Zij geven aan voldoende betrokken te zijn geweest "
    "bij de totstandkoming en zien hun lokale inbreng voldoende terug in de uitgangspunten. Vier "
    "of meer gemeenten noemden als aandachtspunt: versterken toegangstaak en stevig "
    "contractmanagement; lokaal waar het kan, regionaal waar nodig; grip op het aantal aanbieders "
    "met behoud keuzevrijheid; kostenbeheersing; betrokkenheid bij het verdere proces rond de "
    "inkoop jeugdhulp 2022 e.v.\n\n"
    "Naar aanleiding van de zienswijzen is 'Kostenbeheersing' als extra uitgangspunt toegevoegd: "
    "'Het beheersen van de kosten is een belangrijk uitgangspunt voor het inkopen van jeugdhulp "
    "in 2022 en verder. Alleen gezamenlijk kunnen we de jeugdhulpkosten terugdringen en "
    "beheersen.' De SOJ koopt namens de tien gemeenten gezamenlijk de specialistische jeugdhulp "
    "(2e lijn) in; iedere gemeente bepaalt zelf welke collectieve en beschikkingsvrije "
    "voorzieningen zij inzet."
)

# The five points raised by four or more municipalities (seed 001): label, the council's view
# in general wording, and the region's response from the letter.
ZHZ_POINTS = {
    "toegang": (
        "Versterken toegangstaak en stevig contractmanagement",
        "De raad vraagt de toegangstaak te versterken en stevig contractmanagement in te richten, "
        "zodat de afspraken met aanbieders ook worden gevolgd.",
        "De uitvoering van de toegangstaak ligt maar in beperkte mate bij de jeugdhulpaanbieders "
        "en is vooral een verantwoordelijkheid van de gemeenten zelf. De overheveling van de "
        "contractering van de Stichting Jeugdteams naar de gemeenten (advies AEF) en de integrale "
        "benadering van de toegang bieden hier mogelijkheden. Met aanbieders maken we "
        "SMART-afspraken met KPI's over afschaling, duur en intensiteit van zorgtrajecten, "
        "recidive en het benutten van eigen kracht en netwerk. Die monitoren we via "
        "contractmanagement, in combinatie met stevige casusregie door de wijk- en jeugdteams.",
    ),
    "lokaal": (
        "Lokaal waar het kan, regionaal waar nodig",
        "De raad kan zich vinden in het uitgangspunt en vraagt aandacht voor de afbakening van de "
        "jeugdhulp en voor demedicaliseren.",
        "Het inkoopkader betreft alle jeugdhulp die de SOJ voor de gemeenten inkoopt. Iedere "
        "gemeente bepaalt zelf welke collectieve en beschikkingsvrije voorzieningen (0e en 1e "
        "lijn) zij ontwikkelt, inkoopt en inzet; vanaf 1-1-2022 geldt dat ook voor de "
        "contractering van de Stichting Jeugdteams. De SOJ koopt namens de tien gemeenten "
        "gezamenlijk de specialistische jeugdhulp (2e lijn) in; elke gemeente bepaalt wat zij "
        "daarvan inzet, afhankelijk van lokaal beleid en lokale behoefte.",
    ),
    "aanbieders": (
        "Grip op het aantal aanbieders met behoud keuzevrijheid",
        "De raad onderschrijft dat er meer grip moet komen op het aantal aanbieders, met voldoende "
        "ruimte voor identiteitsgebonden zorg, continuïteit van zorg en zo nodig maatwerk.",
        "Met zo'n 145 regionale, 30 landelijke en 80 maatwerkaanbieders is de markt "
        "onoverzichtelijk geworden. Bij de inkoop dragen wij zorg voor het waarborgen van de "
        "kwaliteit, de continuïteit, inclusiviteit (tegemoetkomen aan zoveel als mogelijk "
        "denominaties) en, indien nodig, maatwerk.",
    ),
    "kosten": (
        "Kostenbeheersing",
        "De raad wijst op het financiële aspect van de inkoop en vraagt kostenbeheersing "
        "nadrukkelijk mee te nemen.",
        "'Kostenbeheersing' is als extra uitgangspunt aan het inkoopkader toegevoegd. "
        "Kostenbeheersing vindt aan de voorkant plaats (preventie, voorliggende voorzieningen, "
        "toeleiding en casusregie door de gemeenten) en aan de achterkant (normenkader, monitoring "
        "en contractbeheer). Ook eigen kracht, normaliseren, versterken toegangstaak en "
        "SMART-afspraken dragen eraan bij.",
    ),
    "betrokkenheid": (
        "Betrokkenheid bij verdere proces rond inkoop jeugdhulp 2022 e.v.",
        "De raad wil tijdig worden meegenomen in de uitwerking van de inkoopstrategie, met ruimte "
        "om lokale wensen kenbaar te maken en het debat voor te bereiden.",
        "Per segment worden een inkoopmethode en een financieringssystematiek uitgewerkt via de "
        "ontwikkeltafels. De tien gemeenten worden ambtelijk en bestuurlijk betrokken; in februari "
        "2021 volgt een regionale bijeenkomst voor de raden over de uitkomsten van de "
        "ontwikkeltafels en de uitwerking van de inkoopstrategie.",
    ),
}
# The municipality's own words where the letter quotes it.
ZHZ_QUOTES = {
    ("Dordrecht", "lokaal"): (
        "Dordrecht verwacht dat gemeenten in toenemende mate zelf bepalen hoe zij de jeugdhulp "
        "inrichten: 'Gemeenten kunnen en zullen onder druk van de financiën keuzes gaan maken over "
        "wat wel en niet onder de jeugdhulp valt. Dit betekent dat niet alle gemeenten na 2022 "
        "eenzelfde behoefte kunnen hebben (…)'."
    ),
    ("Dordrecht", "aanbieders"): (
        "Dordrecht verwacht dat voorop staan: a. kwaliteit die gewaarborgd wordt; b. continuïteit "
        "die gegarandeerd wordt; c. inclusiviteit: instellingen komen tegemoet aan zoveel als "
        "mogelijk denominaties."
    ),
    ("Hardinxveld-Giessendam", "lokaal"): (
        "Hardinxveld-Giessendam verwacht dat het inkoopkader en de verdere invulling zorgen voor "
        "flexibiliteit voor gemeenten om zorg lokaal te organiseren en te monitoren, zonder tegen "
        "juridische onmogelijkheden aan te lopen."
    ),
    ("Gorinchem", "kosten"): (
        "'Het inkoopkader moet bijdragen aan passende en effectieve ondersteuning en hulp, meer "
        "lokale regie/lokaal maatwerk en een betere beheersing van de kosten. Het is daarom vreemd "
        "dat kostenbeheersing niet is opgenomen als uitgangspunt. Wij vragen u dat toe te voegen.'"
    ),
    ("Gorinchem", "betrokkenheid"): (
        "Gorinchem wijst erop dat de keuzes voor de inkoopmethodiek gevolgen hebben voor het "
        "welslagen van de ambities en uitgangspunten, en wil daarbij betrokken zijn."
    ),
    ("Hoeksche Waard", "betrokkenheid"): (
        "Hoeksche Waard ziet de inkoop als een belangrijke kans om de trend van de stijgende "
        "kosten te doorbreken en wil meegenomen worden in de uitwerking van de inkoopstrategie."
    ),
}
# Which points each council raised (each point by at least four; cost control by nearly all).
ZHZ_VIEWS = {
    "Alblasserdam": (date(2020, 11, 10), ["toegang", "kosten", "betrokkenheid"]),
    "Dordrecht": (date(2020, 11, 17), ["lokaal", "aanbieders", "kosten", "betrokkenheid"]),
    "Gorinchem": (date(2020, 11, 12), ["toegang", "aanbieders", "kosten", "betrokkenheid"]),
    "Hardinxveld-Giessendam": (date(2020, 11, 3), ["lokaal", "aanbieders", "kosten"]),
    "Hendrik-Ido-Ambacht": (date(2020, 11, 5), ["toegang", "lokaal", "kosten"]),
    "Hoeksche Waard": (date(2020, 11, 10), ["toegang", "lokaal", "kosten", "betrokkenheid"]),
    "Molenlanden": (date(2020, 11, 9), ["lokaal", "aanbieders", "betrokkenheid"]),
    "Papendrecht": (date(2020, 11, 12), ["toegang", "aanbieders", "kosten"]),
    "Sliedrecht": (date(2020, 11, 16), ["toegang", "lokaal", "aanbieders", "kosten"]),
    "Zwijndrecht": (date(2020, 11, 17), ["lokaal", "kosten", "betrokkenheid"]),
}
ZHZ_RESPONDED_ON = date(2020, 12, 17)  # the letter with the nota van reactie

# Seed 000, one strategy per (sub-)segment: procedure, funding and development assignment.
# Contract terms other than segment 1 (4-6 years) are not in the seed: 3 + 1 + 1 is assumed.
#
# Was → wordt. The slides set the choice as "Inkoopmethodiek: beheersen versus keuzevrijheid —
# open house → SAS" and "Bekostigingsmodellen: inspanningsgericht (p*q) → taakgericht", and the
# letter (seed 001) describes the market the current procurement left: some 145 regional, 30
# national and 80 custom providers, "onoverzichtelijk", hence "grip op het aantal aanbieders".
# The seeds do not name the previous procedure per segment; open house with PxQ is what those
# passages describe for the whole, so the demo records it for each segment except 6, whose
# previous contracting of the certified institutions the seeds do not describe (left unknown).
# The new contracts start with "inkoop jeugdhulp 2022 e.v." on 1 January 2022.
ZHZ_PREVIOUS = {"previous_procedure": P.OPEN_HOUSE, "previous_funding": [F.PXQ]}
ZHZ_START = date(2022, 1, 1)
ZHZ_REASONS = {
    "1": "Grip op het aantal aanbieders en integrale verantwoordelijkheid: één (of twee) "
    "samenwerkingsverbanden nemen eigenaarschap over de problematiek van een jeugdige, met "
    "monitoring op het verlagen van de gemiddelde kosten per cliënt (afnemende lumpsum).",
    "2": "Uithuisplaatsingen voorkomen en in één keer goed plaatsen vraagt een beperkt aantal "
    "strategische partners (4 à 5) uit de bestaande aanbieders; taakgericht waar beschikbaarheid "
    "nodig is.",
    "3a": "Een beperkt aantal partijen selecteren via een SAS-procedure, in samenhang met 3b en "
    "7/3c; PxQ met reële (dag)tarieven blijft.",
    "3b": "Van individuele interventies naar groepsinterventies binnen de reguliere "
    "kinderopvang: taakgerichte financiering van een beperkt aantal partijen.",
    "4a": "Jeugdhulp lokaal wordt een algemene voorziening dichtbij het gezin, gefinancierd met "
    "een begrotingssubsidie (taakgericht) in plaats van per product.",
    "4b": "Grip op het aantal aanbieders (opdracht vanuit het inkoopkader): SAS-procedure; de "
    "bekostiging blijft PxQ.",
    "5": "Crisishulp blijft open voor elke aanbieder die aan de eisen voldoet, nu op vaste "
    "toelatingsmomenten; hybride bekostiging: deels beschikbaarheid (crisisdienst), deels "
    "gebruik.",
    "6": "Strategische samenwerking van GI's, gemeenten en jeugdhulpaanbieders via een "
    "SAS-procedure, met ruimte om een extra GI toe te laten via een toelatingsprocedure met "
    "voorwaarden; start met een pilot in 1 à 2 gemeenten.",
    "7": "Jeugdhulp zo dicht mogelijk bij en samen met het (passend) onderwijs, in samenhang met "
    "3a en 3b: taakgerichte financiering.",
}
# The conditions under which the extra GI of segment 6 is admitted ("ruimte voor toelaten extra
# GI", seed 000); the seed does not word them, these follow the demo procedure's description.
ZHZ_GI_CONDITIONS = [
    (
        "AANBOD",
        "Te weinig gecertificeerde instellingen: de gecontracteerde GI's kunnen niet in alle "
        "gemeenten van de regio maatregelen uitvoeren met vaste contactpersonen per sociaal team.",
    ),
    (
        "WACHTTIJD",
        "Oplopende wachttijden: de wachttijd tussen de uitspraak van de kinderrechter en de start "
        "van de uitvoering van een maatregel ligt twee kwartalen achter elkaar boven de "
        "afgesproken norm, en de gecontracteerde GI's kunnen de instroom niet binnen de norm "
        "opvangen.",
    ),
    (
        "STOPT",
        "Een gecontracteerde gecertificeerde instelling stopt, of zegt de overeenkomst op.",
    ),
]
ZHZ_STRATEGIES = {
    "1": {
        "title": "Segment 1 Hoog specialistisch: bestuurlijk partnerschap",
        "procedure_type": P.PARTNERSHIP,
        "funding_models": [F.PXQ, F.TASK],
        "term": 4,
        "options": [1, 1],
        "max_providers": 2,
        "development": (
            "Een samenwerking creëren tussen een beperkt aantal aanbieders die eigenaarschap nemen "
            "over de problematiek van een jeugdige. Aanbieders zijn integraal verantwoordelijk; de "
            "jeugdhulp wordt aangeboden door één (of twee) samenwerkingsverbanden."
        ),
        "tactical": (
            "Monitoring op het verlagen van de gemiddelde kosten per cliënt.\n"
            "Bekostiging op basis van inspanning (PxQ) en waar nodig taakgericht, met het budget "
            "en de af te spreken daling van de kosten als uitgangspunt (afnemende lumpsum)."
        ),
        "access": (
            "Gezamenlijke en gespecialiseerde toegang met casusregie en aansluiting op "
            "gemeentelijke diensten (schuldhulpverlening, wonen, welzijn en inkomen)."
        ),
        "suppliers": (
            "Bestuurlijke samenwerking op basis van partnerschap met één (of twee) "
            "samenwerkingsverbanden, waarin de belangrijkste aanbieders samenwerken vanuit "
            "diagnostiek en integrale jeugdhulpverlening. Langdurig contract (4 tot 6 jaar)."
        ),
    },
    "2": {
        "title": "Segment 2 Wonen: SAS-procedure",
        "procedure_type": P.SAS,
        "funding_models": [F.PXQ, F.TASK],
        "term": 3,
        "options": [1, 1],
        "development": (
            "Uithuisplaatsingen voorkomen, in één keer een goede plaatsing, meer deeltijd logeren, "
            "minder voltijd en een uitbreiding van gedifferentieerd aanbod. De hulp sluit beter "
            "aan bij de leefwereld van de jeugdige en bij de ouders, ook bij een uithuisplaatsing."
        ),
        "tactical": (
            "Inspanningsgerichte bekostiging (PxQ) met reële (dag)tarieven en waar nodig "
            "taakgerichte bekostiging voor beschikbaarheid."
        ),
        "suppliers": (
            "SAS-procedure voor de bestaande aanbieders. Een aantal gecontracteerde aanbieders "
            "(4 à 5) wordt geselecteerd als strategisch partner."
        ),
    },
    "3a": {
        "title": "Segment 3a MKD en KDC: SAS-procedure met onderhandeling",
        "procedure_type": P.SAS,
        "funding_models": [F.PXQ],
        "term": 3,
        "options": [1, 1],
        "development": (
            "MKD: normaliseren en demedicaliseren; opvang (BSO+) met observatie, diagnostiek en "
            "behandeling; triage bij instroom, bij de overgang naar onderwijs of KDC en naar de "
            "Wlz. KDC: observatie, diagnostiek en behandeling; perspectiefplan, 1 gezin 1 plan; "
            "urennorm onderwijs; samenwerking met kinderopvang en BSO+."
        ),
        "tactical": "Inspanningsgerichte bekostiging (PxQ) met reële (dag)tarieven.",
        "suppliers": (
            "Via een SAS-procedure (met onderhandeling) een beperkt aantal partijen selecteren. "
            "De contractering hangt samen met segmenten 3b en 7/3c."
        ),
    },
    "3b": {
        "title": "Segment 3b BSO+: SAS-procedure met onderhandeling",
        "procedure_type": P.SAS,
        "funding_models": [F.TASK],
        "term": 3,
        "options": [1, 1],
        "development": (
            "Van individuele interventies naar groepsinterventies, en van opvang bij aanbieders "
            "naar opvang binnen de reguliere kinderopvang met inzet van aanbieders."
        ),
        "tactical": "Taakgerichte financiering.",
        "suppliers": (
            "Via een SAS-procedure (met onderhandeling) een beperkt aantal partijen selecteren. "
            "De contractering hangt samen met segmenten 3a en 7/3c."
        ),
    },
    "4a": {
        "title": "Segment 4a Jeugdhulp lokaal: begrotingssubsidie",
        "procedure_type": P.BUDGET_GRANT,
        "funding_models": [F.TASK],
        "term": 1,
        "development": (
            "Jeugdhulp lokaal als algemene voorziening: normaliseren, demedicaliseren en herstel "
            "van de balans in de opvoedsituatie, dichtbij het gezin."
        ),
        "tactical": (
            "Beheersmaatregelen goed inrichten: KPI's en monitoring, afspraken met huisartsen en "
            "toegang over doorverwijzen."
        ),
        "suppliers": (
            "Beleidsmatige risico's: de algemene voorziening moet echt een algemene voorziening "
            "zijn en mag niet lijken op de diensten die in 4b zijn gecontracteerd; nieuw aanbod "
            "kan nieuwe vraag creëren. Juridisch risico: jurisprudentie in ontwikkeling."
        ),
    },
    "4b": {
        "title": "Segment 4b Jeugdhulp regionaal: SAS-procedure",
        "procedure_type": P.SAS,
        "funding_models": [F.PXQ],
        "term": 3,
        "options": [1, 1],
        "development": (
            "Lokale samenwerking tussen toegang, gemeenten, aanbieders en huisartsen; expertise "
            "naar voren; perspectiefbenadering; 1 gezin 1 plan, ook voor aanbieders; opschalen "
            "naar segment 1 voorkomen; ervaringsdeskundige ouders inzetten voor elkaar."
        ),
        "tactical": "Inspanningsgerichte bekostiging (PxQ).",
        "suppliers": (
            "SAS-procedure met beheersing van het aantal aanbieders (opdracht vanuit het "
            "inkoopkader)."
        ),
    },
    "5": {
        "title": "Segment 5 Crisisinterventies: open house met toelatingsmomenten",
        "procedure_type": P.OPEN_HOUSE,
        "funding_models": [F.HYBRID],
        "term": 3,
        "options": [1, 1],
        "development": (
            "Aanbieders zijn gezamenlijk verantwoordelijk voor crisishulp, inclusief informatie "
            "over preventie en het voorkomen van crisis, en voor de inzet van (ambulante) "
            "crisishulp. Jongeren stromen zo snel mogelijk door naar passend zorgaanbod."
        ),
        "tactical": (
            "Hybride bekostiging: deels beschikbaarheid (crisisdienst), deels gebruik "
            "(inspanningsgericht)."
        ),
        "suppliers": (
            "Elke aanbieder die aan de eisen voldoet en de vastgestelde tarieven aanvaardt, wordt "
            "toegelaten op een van de vaste toelatingsmomenten (januari, april, juli, oktober)."
        ),
    },
    "6": {
        "title": "Segment 6 Gecertificeerde instellingen: SAS-procedure",
        "procedure_type": P.SAS,
        "funding_models": [F.PXQ, F.TASK],
        "term": 3,
        "options": [1, 1],
        "development": (
            "Strategische samenwerking van GI's, gemeenten en een aantal jeugdhulpaanbieders voor "
            "de veiligheid van het kind; jeugdbescherming en jeugdreclassering lokaal organiseren "
            "met vaste contactpersonen; minder en kortere gedwongen maatregelen en minder "
            "uithuisplaatsingen. Start met een pilot in 1 à 2 gemeenten."
        ),
        "tactical": (
            "Inspanningsgerichte bekostiging (PxQ) voor jeugdbescherming en jeugdreclassering en "
            "waar nodig taakgerichte financiering voor instandhouding."
        ),
        "suppliers": (
            "SAS-procedure, met ruimte voor het toelaten van een extra GI via een "
            "toelatingsprocedure met voorwaarden."
        ),
    },
    "7": {
        "title": "Segment 7 Jeugdhulp onderwijs: SAS-procedure",
        "procedure_type": P.SAS,
        "funding_models": [F.TASK],
        "term": 3,
        "options": [1, 1],
        "development": (
            "Schooluitval voorkomen, hulp zo nodig tijdelijk inzetten en altijd werken aan "
            "terugkeer naar regulier of passend onderwijs, zo dicht mogelijk bij en samen met het "
            "(passend) onderwijs."
        ),
        "tactical": "Taakgerichte financiering.",
        "suppliers": "De contractering van segment 7 hangt samen met segmenten 3a en 3b.",
    },
}


def _zhz_framework(region) -> tuple[Framework, int]:
    framework = Framework.objects.create(
        region=region,
        title=ZHZ_FRAMEWORK,
        period="2022 e.v.",
        principles="\n".join(ZHZ_PRINCIPLES),
    )
    services.framework_advance(
        framework=framework, status=FrameworkStatus.CONSULTATION, on=demo_date(2020, 9, 24)
    )
    by_name = {m.name: m for m in Municipality.objects.filter(region=region)}
    views = 0
    for name, (received_on, points) in ZHZ_VIEWS.items():
        municipality = by_name.get(name)
        if municipality is None:
            continue
        lines = [
            f"De gemeenteraad van {name} stemt in met het voorgenomen inkoopkader jeugdhulp 2022 "
            "e.v. De gemeente is voldoende betrokken geweest en ziet de lokale inbreng terug in de "
            "uitgangspunten.",
            "",
            "Aandachtspunten:",
        ]
        answers = []
        for key in points:
            label, general, response = ZHZ_POINTS[key]
            lines.append(f"- {label}: {ZHZ_QUOTES.get((name, key), general)}")
            answers.append(f"- {label}: {response}")
        view = MunicipalView(
            framework=framework,
            municipality=municipality,
            received_on=shift(received_on),
            view="\n".join(lines),
            response="Reactie op de aandachtspunten:\n" + "\n".join(answers),
            responded_on=shift(ZHZ_RESPONDED_ON),
        )
        view.full_clean()
        view.save()
        views += 1
    # Added after the views, before adoption (seed 001).
    framework.principles = "\n".join([*ZHZ_PRINCIPLES[:10], ZHZ_COST_CONTROL, *ZHZ_PRINCIPLES[10:]])
    framework.summary = ZHZ_SUMMARY
    framework.adopted_by = ZHZ_ADOPTED_BY
    framework.save()
    services.framework_advance(
        framework=framework, status=FrameworkStatus.ADOPTED, on=demo_date(2020, 12, 10)
    )
    return framework, views


OPEN_HOUSE_REQUIREMENTS = [
    (
        RequirementKind.TECHNICAL,
        "Aanmeldformulier volledig ingevuld en ondertekend, met uittreksel KvK en "
        "ingevulde vragenlijst crisisdienst.",
    ),
    (
        RequirementKind.SUITABILITY,
        "De aanbieder aanvaardt de vastgestelde tarieven en de voorwaarden van de "
        "overeenkomst jeugdhulp segment 5.",
    ),
    (
        RequirementKind.SUITABILITY,
        "De aanbieder is 24 uur per dag, 7 dagen per week bereikbaar en zet ambulante "
        "crisishulp binnen 2 uur na aanmelding in.",
    ),
    (
        RequirementKind.SUITABILITY,
        "De screening van de aanbieder is op orde: integriteit (Bibob), VOG, kwaliteit en "
        "financiële gezondheid.",
    ),
    (
        RequirementKind.EXCLUSION,
        "Op de aanbieder zijn geen uitsluitingsgronden van toepassing (Eigen verklaring).",
    ),
]
OPEN_HOUSE_EVIDENCE = [
    "Formulier en stukken compleet ontvangen.",
    "Verklaring van aanvaarding ondertekend.",
    "Rooster crisisdienst en bereikbaarheidsprotocol aangeleverd.",
    "Alle vier screenings voldoen en zijn geldig.",
    "Eigen verklaring zonder voorbehoud.",
]
# (window opening, days after opening it arrives, decision date)
OPEN_HOUSE_ROUNDS = [
    (date(2025, 4, 1), 6, date(2025, 5, 12)),
    (date(2025, 4, 1), 20, date(2025, 5, 12)),
    (date(2025, 7, 1), 3, date(2025, 8, 11)),
    (date(2025, 7, 1), 14, date(2025, 8, 11)),
    (date(2025, 10, 1), 9, date(2025, 11, 10)),
    (date(2026, 1, 1), 7, date(2026, 2, 9)),
    (date(2026, 1, 1), 22, date(2026, 2, 9)),
    (date(2026, 4, 1), 13, date(2026, 5, 11)),
    (date(2026, 7, 1), 8, date(2026, 8, 10)),
    (date(2026, 10, 1), 5, date(2026, 11, 9)),
]
REFUSE_SCREENING_ROUND = 3  # index in OPEN_HOUSE_ROUNDS
REFUSE_CRISIS_ROUND = 6


def _organisations_with(region, code: str) -> list[Provider]:
    return list(
        Provider.objects.filter(region=region, kind=ProviderKind.INSTITUTION, care_forms__code=code)
        .distinct()
        .order_by("kvk_number")
        .prefetch_related("screenings__kind")
    )


def _screened_before(provider: Provider, day: date) -> bool:
    return all(s.date < day for s in provider.screenings.all())


def _failed_financial(provider: Provider) -> bool:
    return any(
        s.kind.code == FINANCIAL and s.status == ScreeningStatus.FAILED
        for s in provider.screenings.all()
    )


def _zhz_open_house(region, strategy: Strategy, officer) -> tuple[Tender, int, int]:
    tender = services.tender_create_from_strategy(
        strategy=strategy,
        reference="SOJ-2025-OH-S5",
        title="Open house segment 5 Crisisinterventies 2025 e.v.",
    )
    tender.description = (
        "Open house voor (ambulante) crisishulp in de tien gemeenten van Zuid-Holland Zuid. Elke "
        "aanbieder die aan de eisen voldoet en de vastgestelde tarieven aanvaardt, krijgt een "
        "overeenkomst; er wordt niet gerangschikt. Aanmelden kan op de toelatingsmomenten van 1 "
        "januari, 1 april, 1 juli en 1 oktober (30 dagen); de beoordeling duurt ongeveer zes "
        "weken. Een afgewezen aanbieder kan zich na 12 maanden opnieuw aanmelden."
    )
    tender.admission_mode = AdmissionMode.MOMENTS
    tender.admission_months = [1, 4, 7, 10]
    tender.admission_window_days = 30
    tender.reapply_bar_months = 12
    tender.contract_start = demo_date(2025, 4, 1)
    tender.full_clean()
    tender.save()
    requirements = _requirements(tender, OPEN_HOUSE_REQUIREMENTS)
    evidence = {r.pk: e for r, e in zip(requirements, OPEN_HOUSE_EVIDENCE, strict=True)}
    crisis_req, screening_req = requirements[2].pk, requirements[3].pk
    _plan(
        tender,
        [
            (M.PUBLICATION, demo_date(2025, 2, 3)),
            (M.CONTRACT_START, demo_date(2025, 4, 1), demo_date(2025, 4, 1)),
        ],
    )
    tender = services.tender_transition(
        tender=tender,
        name="publish",
        user=officer,
        reason="Besluit inkoopstrategie segment 5.",
        now=_at(2025, 2, 3, 10),
    )
    lot = tender.lots.get()
    crisis = lot.scope_care_forms().values_list("pk", flat=True)
    candidates = _organisations_with(region, "CRIS")
    used: set[int] = set()
    admitted = refused = 0
    for index, (opens, after, decided) in enumerate(OPEN_HOUSE_ROUNDS):
        opens, decided = shift(opens), shift(decided)
        arrives = opens + timedelta(days=after)
        if index == REFUSE_SCREENING_ROUND:
            pick = next((p for p in candidates if p.pk not in used and _failed_financial(p)), None)
        else:
            pick = next(
                (
                    p
                    for p in candidates
                    if p.pk not in used
                    and not _failed_financial(p)
                    and _screened_before(p, arrives)
                    and p.admissibility(decided, segment=lot.segment_id).admissible
                ),
                None,
            )
        if pick is None:
            continue
        used.add(pick.pk)
        forms = set(crisis) & set(pick.care_forms.values_list("pk", flat=True))
        sub = services.submission_create(
            lot=lot,
            provider=pick,
            care_form_ids=forms,
            at=_on(arrives, 11),
        )
        if index == REFUSE_SCREENING_ROUND:
            why = (
                "; ".join(pick.admissibility(decided, segment=lot.segment_id).reasons)
                or "screening niet op orde"
            )
            _pass_all(sub, evidence, {screening_req: f"Screening niet op orde: {why}."})
            services.submission_decide_admission(
                submission=sub,
                admit=False,
                reason="Afgewezen: de financiële screening voldoet niet (negatief eigen vermogen). "
                "Opnieuw aanmelden kan na 12 maanden.",
                today=decided,
            )
            refused += 1
        elif index == REFUSE_CRISIS_ROUND:
            _pass_all(
                sub,
                evidence,
                {
                    crisis_req: "Geen bereikbaarheid buiten kantoortijden; het rooster dekt "
                    "alleen werkdagen van 8.00 tot 22.00 uur."
                },
            )
            services.submission_decide_admission(
                submission=sub,
                admit=False,
                reason=(
                    "Afgewezen: de 24-uurs bereikbaarheid en inzet binnen 2 uur zijn niet "
                    "aangetoond. Opnieuw aanmelden kan na 12 maanden."
                ),
                today=decided,
            )
            refused += 1
        else:
            _pass_all(sub, evidence)
            services.submission_decide_admission(
                submission=sub,
                admit=True,
                reason=(
                    "Toegelaten: voldoet aan alle eisen, aanvaardt de tarieven en de screening "
                    "is op orde."
                ),
                today=decided,
            )
            admitted += 1
    return tender, admitted, refused


CONDITIONAL_REQUIREMENTS = [
    (
        RequirementKind.TECHNICAL,
        "Aanmelding volledig, met ondertekende verklaring en uittreksel KvK.",
    ),
    (
        RequirementKind.SUITABILITY,
        "De aanbieder is een gecertificeerde instelling (certificaat van het Keurmerkinstituut "
        "op grond van het Normenkader jeugdbescherming en jeugdreclassering).",
    ),
    (
        RequirementKind.SUITABILITY,
        "De aanbieder kan binnen 4 weken na toelating maatregelen uitvoeren in de gemeenten van "
        "Zuid-Holland Zuid, met vaste contactpersonen per sociaal team.",
    ),
    (
        RequirementKind.EXCLUSION,
        "Op de aanbieder zijn geen uitsluitingsgronden van toepassing (Eigen verklaring).",
    ),
]
CONDITIONAL_EVIDENCE = [
    "Aanmelding compleet.",
    "Geldig certificaat overgelegd.",
    "Capaciteitsplan met vaste contactpersonen aangeleverd.",
    "Eigen verklaring zonder voorbehoud.",
]
CONDITIONAL_DECISION = (
    "Besluit van het Dagelijks Bestuur van 2 maart 2026: de toelating voor een extra "
    "gecertificeerde instelling wordt geopend. De vooraf afgesproken voorwaarde 'oplopende "
    "wachttijden' doet zich voor: de wachttijd tussen de uitspraak van de kinderrechter en de "
    "start van de uitvoering van een ondertoezichtstelling ligt sinds het derde kwartaal van "
    "2025 structureel boven de afgesproken norm, en de gecontracteerde GI's kunnen de instroom "
    "niet binnen de norm opvangen. Het venster staat open tot uiterlijk 30 april 2026."
)


def _zhz_conditional(region, strategy: Strategy, officer) -> tuple[Tender, int, int]:
    segment = strategy.segment
    tender = Tender(
        region=region,
        strategy=strategy,
        reference="SOJ-2022-TV-S6",
        title="Toelating extra gecertificeerde instelling (segment 6)",
        procedure_type=P.CONDITIONAL_ADMISSION,
        contract_start=demo_date(2022, 1, 1),
        description=(
            "Toelatingsprocedure met voorwaarden naast de SAS-procedure voor segment 6: de "
            "toelating is gesloten en gaat alleen open bij een vastgelegd besluit wanneer een "
            "vooraf afgesproken voorwaarde zich voordoet (te weinig aanbieders, oplopende "
            "wachttijden of een GI die stopt). Screening vooraf."
        ),
    )
    tender.full_clean()
    tender.save()
    services.tender_setup_save(
        tender=tender, milestones=[], lots=[{"number": 1, "segment": segment, "title": ""}]
    )
    requirements = _requirements(tender, CONDITIONAL_REQUIREMENTS)
    evidence = {r.pk: e for r, e in zip(requirements, CONDITIONAL_EVIDENCE, strict=True)}
    _plan(
        tender,
        [
            (M.PUBLICATION, demo_date(2021, 12, 6)),
            (M.CONTRACT_START, demo_date(2022, 1, 1), demo_date(2022, 1, 1)),
        ],
    )
    tender = services.tender_transition(
        tender=tender, name="publish", user=officer, now=_at(2021, 12, 6, 10)
    )
    services.window_open(
        tender=tender,
        condition=strategy.conditions.get(code="WACHTTIJD"),
        decision=CONDITIONAL_DECISION,
        on=demo_date(2026, 3, 2),
        user=officer,
    )
    lot = tender.lots.get()
    in_scope = set(lot.scope_care_forms().values_list("pk", flat=True))
    decided = demo_date(2026, 4, 20)
    institutions = Provider.objects.filter(region=region).order_by("kvk_number")
    certified = next(
        (
            p
            for p in institutions.filter(kind=ProviderKind.CERTIFIED_INSTITUTION)
            if in_scope & set(p.care_forms.values_list("pk", flat=True))
            and p.admissibility(decided, segment=lot.segment_id).admissible
        ),
        None,
    )
    other = next(
        (
            p
            for p in institutions.filter(kind=ProviderKind.INSTITUTION)
            if in_scope & set(p.care_forms.values_list("pk", flat=True))
        ),
        None,
    )
    admitted = refused = 0
    if certified is not None:
        forms = in_scope & set(certified.care_forms.values_list("pk", flat=True))
        sub = services.submission_create(
            lot=lot, provider=certified, care_form_ids=forms, at=_at(2026, 3, 16, 14)
        )
        _pass_all(sub, evidence)
        services.submission_decide_admission(
            submission=sub,
            admit=True,
            reason="Toegelaten als extra gecertificeerde instelling: voldoet aan alle eisen en de "
            "screening is op orde.",
            today=decided,
        )
        admitted += 1
    if other is not None:
        forms = in_scope & set(other.care_forms.values_list("pk", flat=True))
        sub = services.submission_create(
            lot=lot, provider=other, care_form_ids=forms, at=_at(2026, 3, 25, 10)
        )
        _pass_all(
            sub,
            evidence,
            {
                requirements[1].pk: "Geen certificaat van het Keurmerkinstituut; de aanbieder "
                "levert jeugdhulp maar mag geen maatregelen uitvoeren."
            },
        )
        services.submission_decide_admission(
            submission=sub,
            admit=False,
            reason="Afgewezen: alleen een gecertificeerde instelling kan jeugdbeschermings- en "
            "jeugdreclasseringsmaatregelen uitvoeren.",
            today=decided,
        )
        refused += 1
    services.window_close(
        tender=tender,
        on=demo_date(2026, 4, 30),
        note=f"Venster gesloten na de besluiten van 20 april 2026 ({admitted} toegelaten, "
        f"{refused} afgewezen); de wachttijd wordt per kwartaal gevolgd.",
    )
    return tender, admitted, refused


def _load_zhz(region) -> dict:
    officer = _user("inkoper")
    framework, views = _zhz_framework(region)
    segments = {s.code: s for s in Segment.objects.filter(region=region)}
    strategies = {
        code: _strategy(
            region,
            framework,
            segments[code],
            {
                **spec,
                **(ZHZ_PREVIOUS if code != "6" else {}),
                "start": ZHZ_START,
                "reason": ZHZ_REASONS[code],
            },
        )
        for code, spec in ZHZ_STRATEGIES.items()
        if code in segments
    }
    if "6" in strategies:
        for code, text in ZHZ_GI_CONDITIONS:
            services.admission_condition_create(strategy=strategies["6"], code=code, text=text)
    counts = {"inkoopkaders": 1, "zienswijzen": views, "strategieën": len(strategies)}
    tenders = admitted = refused = 0
    if "5" in strategies:
        _t, a, r = _zhz_open_house(region, strategies["5"], officer)
        tenders, admitted, refused = tenders + 1, admitted + a, refused + r
    if "6" in strategies:
        _t, a, r = _zhz_conditional(region, strategies["6"], officer)
        tenders, admitted, refused = tenders + 1, admitted + a, refused + r
    counts.update({"procedures": tenders, "toegelaten": admitted, "afgewezen": refused})
    counts.update(demo_kader.load_kader(region))  # themes and consultations (issue 21)
    counts.update(load_zhz_objection(region, strategies, officer))
    return counts


# ================================================================ West-Brabant Oost

WBO_FRAMEWORK = "Inkoopstrategie jeugdhulp Regio WBO 2023 e.v."
# Seed 002, "Inkoop: wat vinden we belangrijk?"
WBO_PRINCIPLES = [
    "Jeugdige centraal",
    "Zorggeld = zorggeld",
    "Doelmatig kwalitatief goede jeugdhulp binnen het beschikbare budget",
    "Samen ontwikkelen: ontwikkelopgaven",
    "Samenwerken: duurzaam, innovatief en met vertrouwen",
    "Een voor iedereen begrijpbaar jeugdlandschap",
    "Goede poortwachtersfunctie richting jeugdhulplandschap",
    "Meer werkruimte voor de jeugdprofessional (verlagen regeldruk)",
    "Kwaliteit dichtbij",
    "Wet normering topinkomens: jeugdhulpgeld is voor de jeugdige",
]
WBO_SUMMARY = (
    "De Inkoopstrategie vertaalt de Regiovisie van Altena, Breda, Drimmelen, Geertruidenberg en "
    "Oosterhout naar een inkoopopdracht voor de niet vrij toegankelijke jeugdhulp vanaf 2023. "
    "Drie kernelementen: (1) contracteren van een beperkt aantal strategische partners; (2) "
    "faciliteren van hulp op maat en vergemakkelijken van op- of afschaling (ontschotten); (3) "
    "flexibele overeenkomsten met de focus op ontwikkelopgaven in plaats van uitvoering en "
    "detail. Het huidige open house-model met meer dan 240 aanbieders wordt vervangen door "
    "strategisch partnerschap met maximaal 20 partners."
)
WBO_STRATEGY = {
    "title": "Strategisch partnerschap integrale jeugdhulp vanaf 2023",
    "procedure_type": P.SAS,
    "funding_models": [F.TASK],
    "term": 5,
    "options": [1, 1],
    "max_providers": 20,
    "coverage": 10,
    # Seed 002, "Inkoop tot nu toe" and "Visie op bekostiging".
    "previous_procedure": P.OPEN_HOUSE,
    "previous_funding": [F.PXQ],
    "start": date(2023, 1, 1),
    "reason": (
        "Het open house-model met meer dan 240 aanbieders heeft niet geleid tot het snel inzetten "
        "van de juiste jeugdhulp: op- en afschalen gaat langzaam door schotten en bureaucratie, "
        "veel organisaties en producten en een gedetailleerde manier van verwijzen. Een groot deel "
        "van de contracten loopt af; de regio kiest voor strategisch partnerschap met maximaal 20 "
        "partners. De PxQ-systematiek sluit onvoldoende aan bij flexibele hulp op maat en minder "
        "administratieve lasten: de beweging is naar taakgerichte bekostiging per partner."
    ),
    "development": (
        "De zes ontwikkelopgaven uit de Regiovisie:\n"
        "1. Zo thuis mogelijk\n"
        "2. Innovatiekracht\n"
        "3. Participatie jeugdigen\n"
        "4. Ervaringsdeskundigheid als expertise\n"
        "5. Onderwijs en jeugd in verbinding\n"
        "6. Samenwerking, triage en verwijzen\n"
        "Daarnaast: een betere en inzichtelijkere bedrijfsvoering, en de doorontwikkeling naar "
        "zuiver taakgerichte bekostiging los van het huidige product- en tariefmodel."
    ),
    "tactical": (
        "Continuïteit en kwaliteit: elke jeugdige met een hulpvraag krijgt passende jeugdhulp; "
        "eigenaarschap en acceptatieplicht voor elke toegewezen jeugdige.\n"
        "Financieel en administratief houdbaar stelsel: binnen het beschikbare budget blijven; "
        "minder administratieve lasten en regeldruk (minder segmentatie in de contractering).\n"
        "Partnerschap en rekenschap: sturen op kortere behandel- en verblijfsduur en minder "
        "doorverwijzingen en beschikkingen; samen een dekkend jeugdhulplandschap in alle vijf "
        "gemeenten."
    ),
    "access": (
        "De regio bepaalt of een jeugdige toegang krijgt tot niet vrij toegankelijke jeugdhulp "
        "(het 'dat'); de strategisch partner bepaalt wat de hulp is en hoe (het 'wat en hoe'). De "
        "gemeentelijke toegang is verantwoordelijk voor circa 40% van de verwijzingen; daarnaast "
        "verwijzen huisartsen, jeugdartsen, medisch specialisten, GI's en rechters."
    ),
    "suppliers": (
        "Maximaal 20 strategische partners, alleen of als samenwerkingsverband, die elk zonder "
        "inzet van andere aanbieders minimaal 10 van de 13 jeugdhulpvormen leveren (75%). "
        "Taakgerichte bekostiging: een taak en een jaarlijks vastgesteld budget per partner, "
        "afgesproken in de onderhandelingsfase en periodiek herijkt. Kwaliteitskader WBO, WNT en "
        "transparantie over gelieerde partijen; winst boven 15% leidt tot een gesprek met "
        "contractmanagement."
    ),
}
WBO_REQUIREMENTS = [
    (
        RequirementKind.TECHNICAL,
        "Inschrijving tijdig via TenderNed ingediend met het ondertekende inschrijvingsformulier, "
        "de Eigen verklaring en het plan van aanpak.",
    ),
    (
        RequirementKind.SUITABILITY,
        "De inschrijver kan, alleen of als samenwerkingsverband en zonder inzet van andere "
        "aanbieders, minimaal 10 van de 13 jeugdhulpvormen (75%) leveren.",
    ),
    (
        RequirementKind.SUITABILITY,
        "De inschrijver voldoet aan de kwaliteitseisen uit de wetten die op de organisatie van "
        "toepassing zijn en het Kwaliteitskader Jeugd, en conformeert zich aan de eisen van de "
        "geldende beroeps- en branchevereniging.",
    ),
    (
        RequirementKind.SUITABILITY,
        "Ervaringseis: de inschrijver (of de hoofdaannemer) heeft de afgelopen drie jaar niet "
        "vrij toegankelijke jeugdhulp geleverd, aangetoond met een referentie.",
    ),
    (
        RequirementKind.SUITABILITY,
        "Transparantie: inzicht in de onderlinge verhoudingen binnen de groep, de natuurlijke "
        "personen die belanghebbende zijn, relaties rond vastgoed en diensten van gelieerde "
        "ondernemingen, en naleving van de WNT.",
    ),
    (
        RequirementKind.EXCLUSION,
        "Op de inschrijver en op elk lid van een samenwerkingsverband zijn geen "
        "uitsluitingsgronden van toepassing (Aanbestedingswet 2012, art. 2.86 en 2.87).",
    ),
]
WBO_EVIDENCE = [
    "Tijdig ontvangen; formulier, Eigen verklaring en plan van aanpak compleet.",
    "Opgave jeugdhulpvormen per lid gecontroleerd.",
    "Verklaring kwaliteitseisen en lidmaatschap brancheorganisatie ontvangen.",
    "Referentie van een gemeente of regio overgelegd.",
    "Organogram, opgave belanghebbenden en WNT-verantwoording ontvangen.",
    "Eigen verklaring zonder voorbehoud, voor elk lid.",
]
# Two submissions fail a requirement (index into WBO_REQUIREMENTS, evidence).
WBO_FAILURES = {
    8: (
        4,
        "Geen inzicht gegeven in de relaties rond vastgoed en de beheersvergoeding aan een "
        "gelieerde holding; ook na het herstelverzoek van 4 augustus 2022 niet aangevuld.",
    ),
    21: (
        3,
        "De referentie van de hoofdaannemer betreft vrij toegankelijke, preventieve jeugdhulp "
        "en toont geen levering van niet vrij toegankelijke jeugdhulp aan.",
    ),
}

WBO_CRITERIA = [
    {
        "name": "Bijdrage aan de ontwikkelopgaven",
        "weight": Decimal(30),
        "description": (
            "Hoe de inschrijver bijdraagt aan de zes ontwikkelopgaven uit de Regiovisie (zo thuis "
            "mogelijk, innovatiekracht, participatie jeugdigen, ervaringsdeskundigheid, onderwijs "
            "en jeugd, samenwerking, triage en verwijzen) en hoe hij gezamenlijk wil innoveren en "
            "transformeren."
        ),
        "phrases": {
            "excellent": "Concreet plan voor alle zes ontwikkelopgaven met meetbare doelen per "
            "jaar; 'zo thuis mogelijk' uitgewerkt met ambulante alternatieven voor verblijf.",
            "good": "Overtuigende aanpak voor de meeste ontwikkelopgaven; bij innovatiekracht "
            "nog weinig concreet over wat er na het eerste jaar gebeurt.",
            "fair": "Onderschrijft de ontwikkelopgaven, maar de uitwerking blijft algemeen, met "
            "weinig eigen voorstellen.",
            "poor": "Ontwikkelopgaven nauwelijks uitgewerkt; het plan beschrijft vooral het "
            "huidige aanbod.",
        },
    },
    {
        "name": "Samenwerking en ontschotting in de keten",
        "weight": Decimal(25),
        "description": (
            "Op- en afschalen zonder nieuwe beschikking, samenwerking binnen het verband en met "
            "toegang, onderwijs en Wmo (één gezin, één plan, één regisseur)."
        ),
        "phrases": {
            "excellent": "Sluitende afspraken binnen het verband over op- en afschalen zonder "
            "nieuwe beschikking; één regisseur per gezin en heldere aansluiting op toegang, "
            "onderwijs en Wmo.",
            "good": "Goede samenwerking binnen het verband; de aansluiting op de gemeentelijke "
            "toegang en de Wmo is nog in ontwikkeling.",
            "fair": "Samenwerking vooral op papier; hoe op- en afschalen tussen de leden "
            "verloopt, blijft onduidelijk.",
            "poor": "Geen uitgewerkte werkwijze voor op- en afschalen; de leden werken naast "
            "elkaar.",
        },
    },
    {
        "name": "Kwaliteit dichtbij en lokaal aanbod",
        "weight": Decimal(20),
        "description": (
            "Jeugdhulp zoveel mogelijk thuis of in de directe leefomgeving, in alle vijf "
            "gemeenten, en het betrekken van kleine lokale aanbieders."
        ),
        "phrases": {
            "excellent": "Hulp in alle vijf gemeenten dichtbij georganiseerd, met concrete "
            "afspraken om kleine lokale aanbieders te betrekken.",
            "good": "Dekkend in de grotere kernen; in Altena en Drimmelen afhankelijk van inzet "
            "vanuit Breda en Oosterhout.",
            "fair": "Aanbod sterk geconcentreerd in Breda; het betrekken van lokaal aanbod is "
            "alleen een intentie.",
            "poor": "Geen zicht op aanbod buiten de eigen vestigingen; lokaal aanbod niet "
            "betrokken.",
        },
    },
    {
        "name": "Participatie van jeugdigen en ouders",
        "weight": Decimal(15),
        "description": (
            "Hoe de stem van jeugdigen en ouders wordt georganiseerd, ervaringsdeskundigheid "
            "wordt ingezet en cliëntervaring wordt gemeten en gebruikt."
        ),
        "phrases": {
            "excellent": "Ervaringsdeskundigen structureel in de teams en in de governance van "
            "het verband; cliëntervaring wordt gemeten en gebruikt.",
            "good": "Cliëntenraad en jongerenpanel aanwezig; ervaringsdeskundigheid nog niet in "
            "alle teams.",
            "fair": "Participatie beperkt tot een tevredenheidsonderzoek achteraf.",
            "poor": "Participatie van jeugdigen en ouders niet uitgewerkt.",
        },
    },
    {
        "name": "Doelmatigheid en transparante bedrijfsvoering",
        "weight": Decimal(10),
        "description": (
            "Sobere, op efficiency gerichte bedrijfsvoering, transparantie over groepsstructuur "
            "en gelieerde partijen, en het verlagen van administratieve lasten."
        ),
        "phrases": {
            "excellent": "Open over groepsstructuur, WNT en gelieerde partijen; concreet plan "
            "om administratieve lasten te verlagen.",
            "good": "Transparant over de bedrijfsvoering; het plan voor minder regeldruk is "
            "globaal.",
            "fair": "Basisinformatie over de bedrijfsvoering aanwezig; doelmatigheid weinig "
            "onderbouwd.",
            "poor": "Onvoldoende inzicht in de bedrijfsvoering en de gelieerde partijen.",
        },
    },
]
# (asked on, by a submitting party (index) or None for the officer, reference, question, answer)
WBO_QUESTIONS = [
    (
        _designed(2022, 6, 20, 10, 12),
        0,
        "Inkoopleidraad §4.1",
        "Mag een aanbieder in meer dan één samenwerkingsverband inschrijven, of naast een "
        "samenwerkingsverband ook zelfstandig?",
        "Nee. Een aanbieder schrijft één keer in: zelfstandig of als lid van één "
        "samenwerkingsverband. Een tweede inschrijving waarin dezelfde aanbieder voorkomt, wordt "
        "niet in behandeling genomen.",
    ),
    (
        _designed(2022, 6, 22, 15, 40),
        3,
        "Inkoopleidraad §4.2",
        "Telt een jeugdhulpvorm mee voor de dekkingseis als alleen een onderaannemer binnen het "
        "samenwerkingsverband die levert?",
        "Ja. Voor een samenwerkingsverband telt wat de leden samen leveren. Het verband moet "
        "minimaal 10 van de 13 jeugdhulpvormen kunnen bieden zonder inzet van aanbieders buiten "
        "het verband.",
    ),
    (
        _designed(2022, 6, 27, 9, 5),
        7,
        "Inkoopleidraad §5 (gunning)",
        "Worden tarieven of het gevraagde budget meegewogen in de beoordeling?",
        "Nee. Alle inschrijvingen worden beoordeeld op kwaliteit (EMVI op kwaliteit); het tarief "
        "wordt door de regio vastgesteld. De taak en het budget per strategisch partner worden "
        "in de onderhandelingsfase afgesproken.",
    ),
    (
        _designed(2022, 6, 29, 13, 30),
        12,
        "Conceptovereenkomst art. 3",
        "Wat is de looptijd van de overeenkomst en hoe vaak kan die worden verlengd?",
        "Vijf jaar vanaf 1 januari 2023, met tweemaal een optie tot verlenging van een jaar; de "
        "totale looptijd is maximaal zeven jaar.",
    ),
    (
        _designed(2022, 7, 1, 11, 0),
        18,
        "Inkoopstrategie hoofdstuk 5, Reikwijdte",
        "Vallen gezinshuizen en Jeugdzorgplus onder deze opdracht?",
        "Nee. Gezinshuiszorg wordt per 1-1-2023 via een open house-model ingekocht; "
        "Jeugdzorgplus en de gecertificeerde instellingen hebben lopende contracten sinds "
        "1-1-2020; landelijke functies vallen onder het Landelijk Transitiearrangement.",
    ),
    (
        _designed(2022, 7, 4, 16, 0),
        None,
        "Inkoopleidraad §5.3",
        "Hoe wordt beslist bij een gelijke totaalscore?",
        "Bij een gelijk totaal wint de hoogste consensusscore op het zwaarst wegende criterium, "
        "dan op het volgende; daarna beslist het moment van ontvangst en ten slotte het "
        "ontvangstnummer.",
    ),
]

WBO_CONSORTIA_WANTED = 30  # submissions in the SAS procedure


def _forms(provider: Provider) -> set[int]:
    return set(provider.effective_care_forms().values_list("pk", flat=True))


def _wbo_parties(region, scope: set[int]) -> list[Provider]:
    """Existing consortia that meet the coverage rule, topped up with new combinations of
    organisations (the strategy asks providers to team up; seed 002 ch. 4)."""
    consortia = list(
        Provider.objects.filter(region=region, kind=ProviderKind.CONSORTIUM).order_by("name")
    )
    parties, seen = [], set()
    for consortium in consortia:
        members = set(consortium.members.values_list("member_id", flat=True))
        # One submission per provider: skip a consortium sharing a member with one chosen.
        if len(_forms(consortium) & scope) >= 10 and not members & seen:
            parties.append(consortium)
            seen |= members
    taken = set(
        ConsortiumMembership.objects.filter(consortium__region=region).values_list(
            "member_id", flat=True
        )
    )
    pool = [
        (p, set(p.care_forms.values_list("pk", flat=True)) & scope)
        for p in Provider.objects.filter(region=region, kind=ProviderKind.INSTITUTION)
        .exclude(pk__in=taken)
        .order_by("kvk_number")
    ]
    pool.sort(key=lambda row: -len(row[1]))  # stable: kvk order within equal size
    index = 0
    while len(parties) < WBO_CONSORTIA_WANTED and pool:
        # Mostly a broad organisation as lead; every third combination a mid-sized one that
        # needs more partners to reach 12 forms. Others aim at 10 or 11 of the 13.
        lead_at = 0 if index % 3 else next((i for i, r in enumerate(pool) if len(r[1]) <= 6), 0)
        lead, covered = pool.pop(lead_at)
        covered = set(covered)
        target = (12, 10, 11)[index % 3]
        members = []
        while len(covered) < target:
            best = _partner(pool, covered, target - len(covered))
            if best is None:
                break
            member, forms = pool.pop(best)
            members.append(member)
            covered |= forms
        index += 1
        if len(covered) < 10:
            continue
        consortium = Provider.objects.create(
            region=region,
            name=f"Combinatie {lead.name}",
            kind=ProviderKind.CONSORTIUM,
            reach=ProviderReach.REGIONAL,
            city=lead.city,
        )
        consortium.municipalities_served.set(
            {m for p in [lead, *members] for m in p.municipalities_served.all()}
        )
        consortium_set_members(consortium=consortium, lead=lead, members=members)
        parties.append(consortium)
    return parties


def _partner(pool, covered: set[int], need: int) -> int | None:
    """Index in ``pool`` of the partner that completes ``covered`` with the least overshoot
    (or else adds the most), preferring specialised organisations (at most 5 forms)."""
    for limit in (5, 13):
        best, best_key = None, None
        for i, (_provider, forms) in enumerate(pool):
            new = len(forms - covered)
            if not new or len(forms) > limit:
                continue
            key = (0, new - need, len(forms), i) if new >= need else (1, -new, len(forms), i)
            if best_key is None or key < best_key:
                best, best_key = i, key
        if best is not None:
            return best
    return None


def _half(value: float, low=Decimal("2.0"), high=Decimal("10.0")) -> Decimal:
    d = (Decimal(str(value)) * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
    return min(max(d, low), high)


def _level(value: Decimal) -> str:
    if value >= Decimal("8.5"):
        return "excellent"
    if value >= 7:
        return "good"
    if value >= Decimal("5.5"):
        return "fair"
    return "poor"


def _nl(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def _wbo_score(tender, subs, assessors, rng) -> None:
    criteria = list(tender.criteria.all())
    specs = {c["name"]: c for c in WBO_CRITERIA}
    for sub in subs:
        base = rng.uniform(4.5, 8.2)
        first, second, agreed = {}, {}, {}
        for c in criteria:
            phrases = specs[c.name]["phrases"]
            a = _half(base + rng.uniform(-1.0, 1.0))
            b = _half(float(a) + rng.choice([-1, -0.5, 0, 0, 0.5, 1]))
            consensus = _half(float((a + b) / 2))
            first[c.pk] = (a, phrases[_level(a)])
            second[c.pk] = (b, "Vanuit contractmanagement: " + phrases[_level(b)])
            agreed[c.pk] = (
                consensus,
                f"Consensus na bespreking (beoordelaars {_nl(a)} en {_nl(b)}): "
                + phrases[_level(consensus)],
            )
        services.submission_record_scores(submission=sub, assessor=assessors[0], rows=first)
        services.submission_record_scores(submission=sub, assessor=assessors[1], rows=second)
        services.submission_record_consensus(submission=sub, rows=agreed)


def _negotiation_note(sub, scope_names: dict[int, str]) -> str:
    offered = set(sub.care_forms.values_list("pk", flat=True))
    missing = sorted(scope_names[i] for i in set(scope_names) - offered)
    gap = (
        f"Het verband levert {len(offered)} van de 13 jeugdhulpvormen; niet: {', '.join(missing)}. "
        "Afgesproken dat het verband voor deze vormen samenwerkt met een andere strategisch "
        "partner, zodat de keten sluitend is."
        if missing
        else "Het verband levert alle 13 jeugdhulpvormen."
    )
    return (
        f"Onderhandelingsgesprek september 2022 (rang {sub.rank}). {gap} Besproken: de taak en "
        "het budget voor 2023 op basis van het aantal jeugdigen in zorg in 2021, de invulling van "
        "de acceptatieplicht en de prioritering bij wachttijden, en de bijdrage aan de "
        "ontwikkelopgave 'zo thuis mogelijk'. Het verband levert voor 15 september een "
        "capaciteitsopgave per gemeente aan."
    )


def _wbo_tender(region, strategy: Strategy, officer, assessors) -> tuple[Tender, dict]:
    scope = set(strategy.care_forms.values_list("pk", flat=True))
    scope_names = dict(strategy.care_forms.values_list("pk", "name"))
    parties = _wbo_parties(region, scope)
    tender = services.tender_create_from_strategy(
        strategy=strategy,
        reference="WBO-2022-SAS-01",
        title="Strategisch partnerschap jeugdhulp Regio WBO 2023 (SAS met onderhandeling)",
    )
    tender.description = (
        "Europese aankondiging op basis van het verlichte regime voor sociale en andere "
        "specifieke diensten (SAS-procedure) met onderhandelingsfase. Iedere geïnteresseerde die "
        "voldoet aan de minimum geschiktheidseisen en op wie geen uitsluitingsgronden van "
        "toepassing zijn, wordt beoordeeld op de kwalitatieve gunningscriteria; het tarief wordt "
        "door de regio vastgesteld. De 20 best scorende gegadigden gaan door naar de "
        "onderhandelingsfase over taak en budget."
    )
    tender.submission_deadline = _at(2022, 7, 29, 12)
    tender.contract_start = demo_date(2023, 1, 1)
    tender.full_clean()
    tender.save()
    requirements = _requirements(tender, WBO_REQUIREMENTS)
    evidence = {r.pk: e for r, e in zip(requirements, WBO_EVIDENCE, strict=True)}
    services.criteria_replace(
        tender=tender,
        rows=[{k: c[k] for k in ("name", "weight", "description")} for c in WBO_CRITERIA],
    )
    _plan(
        tender,
        [
            (M.PUBLICATION, demo_date(2022, 6, 15)),
            (M.QNA_DEADLINE, demo_date(2022, 7, 4), demo_date(2022, 7, 4)),
            (M.SUBMISSION_DEADLINE, demo_date(2022, 7, 29)),
            (M.ELIGIBILITY, demo_date(2022, 8, 1)),
            (M.SCORING, demo_date(2022, 8, 8)),
            (M.PRESELECTION, demo_date(2022, 8, 26)),
            (M.NEGOTIATION, demo_date(2022, 9, 1)),
            (M.PROVISIONAL_AWARD, demo_date(2022, 9, 23)),
            (M.DEFINITIVE_AWARD, demo_date(2022, 10, 14)),
            # no transition records these two: done on the planned days (the contracts started)
            (M.IMPLEMENTATION, demo_date(2022, 10, 17), demo_date(2022, 10, 17)),
            (M.CONTRACT_START, demo_date(2023, 1, 1), demo_date(2023, 1, 1)),
        ],
    )
    tender = services.tender_transition(
        tender=tender, name="publish", user=officer, now=_at(2022, 6, 15, 9)
    )
    tender = services.tender_transition(
        tender=tender, name="open_qna", user=officer, now=_at(2022, 6, 15, 9, 5)
    )
    for at, asker, reference, text, reply in WBO_QUESTIONS:
        provider = parties[asker] if asker is not None and asker < len(parties) else None
        question = services.question_ask(
            tender=tender, text=text, provider=provider, reference=reference, at=demo_at(at)
        )
        services.question_answer(question=question, text=reply, at=_at(2022, 7, 6, 14))
    services.answers_publish(tender=tender, on=demo_date(2022, 7, 8))

    lot = tender.lots.get()
    subs = []
    # the working days as designed (11 to 29 July 2022), so the order of receipt is the same on
    # any day the demo is loaded; _at moves them
    workdays = [date(2022, 7, 11) + timedelta(days=d) for d in range(19)]
    workdays = [d for d in workdays if d.weekday() < 5]
    arrivals = []
    for i, party in enumerate(parties):
        day = workdays[min((i * 7) % len(workdays) + i // 10, len(workdays) - 1)]
        hour, minute = 8 + (i * 5) % 9, (i * 17) % 60
        if day == workdays[-1]:  # the deadline is 12:00 on the last day
            hour = 8 + (i * 5) % 4
        arrivals.append((_at(day.year, day.month, day.day, hour, minute), i, party))
    for at, _i, party in sorted(arrivals):  # receipt numbers follow the time of receipt
        subs.append(
            services.submission_create(
                lot=lot, provider=party, care_form_ids=_forms(party) & scope, at=at
            )
        )
    tender = services.tender_transition(
        tender=tender, name="close_submissions", user=officer, now=_at(2022, 7, 29, 12)
    )
    tender = services.tender_transition(
        tender=tender, name="start_eligibility", user=officer, now=_at(2022, 8, 1, 9)
    )
    for i, sub in enumerate(subs):
        failing = {}
        if i in WBO_FAILURES:
            req_index, why = WBO_FAILURES[i]
            failing = {requirements[req_index].pk: why}
        _pass_all(sub, evidence, failing)
    tender = services.tender_transition(
        tender=tender,
        name="start_scoring",
        user=officer,
        reason="Toets afgerond.",
        now=_at(2022, 8, 8, 9),
    )
    for sub in subs:
        sub.refresh_from_db()
    eligible = [s for s in subs if s.eligible]
    _wbo_score(tender, eligible, assessors, random.Random("jeugdinkoop-wbo-sas-2022"))
    tender = services.tender_transition(
        tender=tender, name="preselect", user=officer, now=_at(2022, 8, 26, 15)
    )
    tender = services.tender_transition(
        tender=tender, name="start_negotiation", user=officer, now=_at(2022, 9, 1, 9)
    )
    preselected = list(tender.submissions.filter(preselected=True).order_by("rank"))
    for sub in preselected[::4]:
        services.submission_record_negotiation(
            submission=sub, notes=_negotiation_note(sub, scope_names)
        )
    wbo_negotiation_outcome(tender, officer)  # the structured outcome (demo_negotiation)
    record_wbo_exceptions(tender, officer)
    return tender, {
        "inschrijvingen": len(subs),
        "uitgesloten": len(subs) - len(eligible),
        "gepreselecteerd": len(preselected),
        "vragen": tender.questions.count(),
    }


def _load_wbo(region) -> dict:
    officer = _user("inkoper")
    assessors = (officer, _user("contractmanager"))
    framework = Framework.objects.create(
        region=region,
        title=WBO_FRAMEWORK,
        period="2023 e.v.",
        principles="\n".join(WBO_PRINCIPLES),
        summary=WBO_SUMMARY,
        adopted_by="Colleges van B&W van Altena, Breda, Drimmelen, Geertruidenberg en Oosterhout",
    )
    services.framework_advance(
        framework=framework, status=FrameworkStatus.CONSULTATION, on=demo_date(2022, 3, 1)
    )
    demo_kader.wbo_adoption_decision(framework)  # adopted without council views (issue 21)
    services.framework_advance(
        framework=framework, status=FrameworkStatus.ADOPTED, on=demo_date(2022, 4, 12)
    )
    # The strategic-partnership segment: the one holding the 13 care forms.
    segment = max(
        Segment.objects.filter(region=region).order_by("code"),
        key=lambda s: s.care_forms.count(),
    )
    strategy = _strategy(region, framework, segment, WBO_STRATEGY)
    _tender, counts = _wbo_tender(region, strategy, officer, assessors)
    return {"inkoopkaders": 1, "strategieën": 1, "procedures": 1, **counts}


LOADERS = {"zhz": (ZHZ_FRAMEWORK, _load_zhz), "wbo": (WBO_FRAMEWORK, _load_wbo)}


def load_procurement(region: Region) -> dict:
    """The region's procurement demo; an empty dict when it has none or it already exists."""
    load_letter_signatory(region)  # before any decision letter goes out (docs/letters.md)
    if region.slug not in LOADERS:
        return {}
    title, loader = LOADERS[region.slug]
    if Framework.objects.filter(region=region, title=title).exists():
        return {}
    with transaction.atomic():
        return loader(region)
