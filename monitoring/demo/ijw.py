"""iJw 3.2 sample messages for the demo, made from a region's own providers, contracts,
products and municipalities (generated here, not copied from anywhere).

:func:`sample_deliveries` returns three deliveries (file name → zip bytes), one per kind of
data, because one import reads one kind:

- ``ijw-toewijzingen.zip``: a JW301 allocation message;
- ``ijw-trajecten.zip``: a JW305 start and the JW307 stop that closes it;
- ``ijw-declaraties.zip``: a JW323 declaration (three debit lines, a credit line that
  reverses one of them and the corrected debit line) and the JW325 answer accepting them all.

BSNs are generated numbers that pass the eleven-test (no real person's). ``load_demo`` writes
the zips to ``var/demo/<region>/`` (:func:`write_samples`); a user of ``make run`` imports
them on the import page.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings

from core.demo_clock import shift_months
from core.ui.formatting import add_months
from monitoring.imports.validate import Lookups
from segments.models import Product, Region

BASIS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
CODES = {"jw301": "436", "jw305": "438", "jw307": "440", "jw323": "490", "jw325": "491"}


def eleven_test_bsns(count: int, seed: int) -> list[str]:
    """Distinct nine-digit numbers that pass the eleven-test."""
    rng = random.Random(seed)
    found: list[str] = []
    while len(found) < count:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        number = "".join(map(str, digits)) + str(check)
        if check != 10 and any(digits) and number not in found:
            found.append(number)
    return found


def _pick(region: Region):
    """(AGB, provider name, product, municipality code, a month) with exactly one running
    contract of that provider covering the product on the first of that month; None if the
    region has none."""
    lookups = Lookups.for_region(region)
    products = {p.id: p for p in lookups.products.values()}
    for agb, (provider_id, _name) in sorted(lookups.agb_codes.items()):
        contracts = lookups.contracts_of(provider_id)
        for contract in sorted(contracts, key=lambda c: c.reference):
            if not contract.products or contract.municipalities is not None:
                continue
            month = max(contract.start.replace(day=1), shift_months(date(2026, 1, 1)))
            if contract.start > month:
                month = add_months(month, 1)
            last = add_months(month, 3)
            if contract.last is not None and contract.last < last:
                continue
            for product_id in sorted(contract.products):
                product = products.get(product_id)
                if product is None or len(product.code) > 5:
                    continue
                covering = [
                    c
                    for c in contracts
                    if c.start <= month
                    and (c.last is None or c.last >= last)
                    and (c.products is None or product_id in c.products)
                ]
                if len(covering) == 1:
                    return agb, product, month
    return None


def _open(message: str) -> str:
    ns = f"http://www.istandaarden.nl/ijw/3_2/{message}/schema"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Bericht xmlns="{ns}" xmlns:ijw="{BASIS}">'


def _header(message: str, sender: str, receiver: str, ident: str, dated: date) -> str:
    return (
        f"<Header><BerichtCode>{CODES[message]}</BerichtCode><BerichtVersie>3</BerichtVersie>"
        f"<BerichtSubversie>2</BerichtSubversie><Afzender>{sender}</Afzender>"
        f"<Ontvanger>{receiver}</Ontvanger><BerichtIdentificatie>"
        f"<ijw:Identificatie>{ident}</ijw:Identificatie>"
        f"<ijw:Dagtekening>{dated.isoformat()}</ijw:Dagtekening></BerichtIdentificatie>"
        "<XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>"
        "<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></XsdVersie></Header>"
    )


def _client(bsn: str, inner: str) -> str:
    return (
        f"<Client><Bsn>{bsn}</Bsn><Geboortedatum><ijw:Datum>2013-05-17</ijw:Datum>"
        "</Geboortedatum><Geslacht>0</Geslacht><Naam><ijw:Geslachtsnaam><ijw:Achternaam>"
        f"Voorbeeld</ijw:Achternaam></ijw:Geslachtsnaam></Naam>{inner}</Client>"
    )


def _product(category: str, code: str) -> str:
    return (
        f"<Product><ijw:Categorie>{category}</ijw:Categorie><ijw:Code>{code}</ijw:Code></Product>"
    )


def _last_day(month: date) -> date:
    return add_months(month.replace(day=1), 1) - timedelta(days=1)


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def sample_deliveries(region: Region, seed: int = 19) -> dict[str, bytes]:
    """The three sample deliveries of ``region`` (file name → zip bytes); {} when no provider
    of the region has an AGB code and a contract with products."""
    picked = _pick(region)
    if picked is None:
        return {}
    agb, info, month = picked
    product = Product.objects.get(pk=info.id)
    municipality = region.municipalities.order_by("cbs_code").first()
    gemeente = municipality.cbs_code.removeprefix("GM")
    bsns = eleven_test_bsns(3, seed)
    category, code, unit = product.category, product.code, product.unit
    number = f"{seed}{month:%Y%m}01"
    end = _last_day(add_months(month, 2))
    dated = add_months(month, 3)
    slug = region.slug.upper()[:12]
    allocation = (
        _open("jw301")
        + _header("jw301", gemeente, agb, f"DEMO-{slug}-301", month)
        + _client(
            bsns[0],
            "<ToegewezenProducten><ToegewezenProduct>"
            f"<ToewijzingNummer>{number}</ToewijzingNummer>{_product(category, code)}"
            f"<Toewijzingsdatum>{month.isoformat()}</Toewijzingsdatum>"
            f"<Toewijzingstijd>09:00:00</Toewijzingstijd><Ingangsdatum>{month.isoformat()}"
            f"</Ingangsdatum><Einddatum>{end.isoformat()}</Einddatum>"
            "</ToegewezenProduct></ToegewezenProducten>",
        )
        + "</Bericht>"
    )
    begin = month.replace(day=2)
    start = (
        _open("jw305")
        + _header("jw305", agb, gemeente, f"DEMO-{slug}-305", begin)
        + _client(
            bsns[0],
            f"<StartProducten><StartProduct><ToewijzingNummer>{number}</ToewijzingNummer>"
            f"{_product(category, code)}<ToewijzingIngangsdatum>{month.isoformat()}"
            f"</ToewijzingIngangsdatum><Begindatum>{begin.isoformat()}</Begindatum>"
            "<StatusAanlevering>1</StatusAanlevering></StartProduct></StartProducten>",
        )
        + "</Bericht>"
    )
    stop = (
        _open("jw307")
        + _header("jw307", agb, gemeente, f"DEMO-{slug}-307", dated)
        + _client(
            bsns[0],
            f"<StopProducten><StopProduct><ToewijzingNummer>{number}</ToewijzingNummer>"
            f"{_product(category, code)}<Begindatum>{begin.isoformat()}</Begindatum>"
            f"<RedenBeeindiging>31</RedenBeeindiging><Einddatum>{end.isoformat()}</Einddatum>"
            "<StatusAanlevering>1</StatusAanlevering></StopProduct></StopProducten>",
        )
        + "</Bericht>"
    )
    rng = random.Random(seed)
    tariff = 6000 + rng.randrange(0, 3000)
    lines = []  # (bsn index, reference, previous, month, volume, D/C)
    for i, bsn_index in enumerate((0, 1, 2)):
        lines.append((bsn_index, f"DEMO{seed}{i + 1}", "", month, 4 + 2 * i, "D"))
    lines.append((1, f"DEMO{seed}2C", f"DEMO{seed}2", month, 6, "C"))
    lines.append((1, f"DEMO{seed}2N", "", month, 5, "D"))
    clients: dict[int, list[str]] = {}
    total = 0
    for bsn_index, reference, previous, when, volume, sign in lines:
        cents = volume * tariff
        total += -cents if sign == "C" else cents
        previous_xml = (
            f"<ijw:VorigReferentieNummer>{previous}</ijw:VorigReferentieNummer>" if previous else ""
        )
        clients.setdefault(bsn_index, []).append(
            "<Prestatie><ProductReferentie>"
            f"<ijw:ReferentieNummer>{reference}</ijw:ReferentieNummer>{previous_xml}"
            f"</ProductReferentie><ToewijzingNummer>{number}</ToewijzingNummer>"
            f"<ProductCategorie>{category}</ProductCategorie><ProductCode>{code}</ProductCode>"
            f"<ProductPeriode><ijw:Begindatum>{when.isoformat()}</ijw:Begindatum>"
            f"<ijw:Einddatum>{_last_day(when).isoformat()}</ijw:Einddatum></ProductPeriode>"
            f"<GeleverdVolume>{volume}</GeleverdVolume><Eenheid>{unit}</Eenheid>"
            f"<ProductTarief>{tariff}</ProductTarief><IngediendBedrag><ijw:Bedrag>{cents}"
            f"</ijw:Bedrag><ijw:DebetCredit>{sign}</ijw:DebetCredit></IngediendBedrag>"
            "</Prestatie>"
        )
    body = "".join(
        f"<Client><Bsn>{bsns[i]}</Bsn><Prestaties>{''.join(items)}</Prestaties></Client>"
        for i, items in sorted(clients.items())
    )
    declaration = (
        _open("jw323")
        + _header("jw323", agb, gemeente, f"DEMO-{slug}-323", dated)
        + f"<Declaratie><DeclaratieNummer>DEMO{seed}</DeclaratieNummer><DeclaratiePeriode>"
        f"<ijw:Begindatum>{month.isoformat()}</ijw:Begindatum><ijw:Einddatum>"
        f"{_last_day(month).isoformat()}</ijw:Einddatum></DeclaratiePeriode>"
        f"<DeclaratieDagtekening>{dated.isoformat()}</DeclaratieDagtekening>"
        f"<TotaalIngediendBedrag><ijw:Bedrag>{abs(total)}</ijw:Bedrag><ijw:DebetCredit>"
        f"{'C' if total < 0 else 'D'}</ijw:DebetCredit></TotaalIngediendBedrag>"
        f"<Clienten>{body}</Clienten></Declaratie></Bericht>"
    )
    answers = "".join(
        "<Prestatie><ProductReferentie>"
        f"<ijw:ReferentieNummer>{reference}</ijw:ReferentieNummer></ProductReferentie>"
        "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></Prestatie>"
        for _b, reference, *_rest in lines
    )
    answer = (
        _open("jw325")
        + _header("jw325", gemeente, agb, f"DEMO-{slug}-325", dated)
        + f"<DeclaratieAntwoord><DeclaratieNummer>DEMO{seed}</DeclaratieNummer>"
        f"<Clienten><Client><Bsn>{bsns[0]}</Bsn><Prestaties>{answers}</Prestaties>"
        "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></Client></Clienten>"
        "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></DeclaratieAntwoord>"
        "</Bericht>"
    )
    return {
        "ijw-toewijzingen.zip": _zip({"jw301-toewijzing.xml": allocation}),
        "ijw-trajecten.zip": _zip({"jw305-start.xml": start, "jw307-stop.xml": stop}),
        "ijw-declaraties.zip": _zip(
            {"jw323-declaratie.xml": declaration, "jw325-antwoord.xml": answer}
        ),
    }


def write_samples(region: Region, directory: Path | None = None) -> list[Path]:
    """Write the region's sample deliveries to ``var/demo/<region slug>/``; the paths."""
    directory = directory or Path(settings.BASE_DIR) / "var" / "demo" / region.slug
    deliveries = sample_deliveries(region)
    if not deliveries:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in deliveries.items():
        path = directory / name
        path.write_bytes(content)
        paths.append(path)
    return paths
