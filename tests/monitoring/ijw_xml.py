"""A small test-side builder of iJw 3.2 messages (independent of the demo generator), shaped
after the XSDs: message elements in the message's namespace, the sub-elements of the common
types (BerichtIdentificatie, ProductReferentie, periods, amounts, Product) in the basisschema
namespace with the prefix ``ijw``."""

from __future__ import annotations

import io
import zipfile

BASIS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
CODES = {"jw301": "436", "jw305": "438", "jw307": "440", "jw323": "490", "jw325": "491"}


def _open(message: str, release: str = "3_2") -> str:
    ns = f"http://www.istandaarden.nl/ijw/{release}/{message}/schema"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<Bericht xmlns="{ns}" xmlns:ijw="{BASIS}">'


def header(message, sender, receiver, ident, dated="2026-05-02", code=None, version=("3", "2")):
    return (
        "<Header>"
        f"<BerichtCode>{code or CODES[message]}</BerichtCode>"
        f"<BerichtVersie>{version[0]}</BerichtVersie>"
        f"<BerichtSubversie>{version[1]}</BerichtSubversie>"
        f"<Afzender>{sender}</Afzender><Ontvanger>{receiver}</Ontvanger>"
        "<BerichtIdentificatie>"
        f"<ijw:Identificatie>{ident}</ijw:Identificatie><ijw:Dagtekening>{dated}</ijw:Dagtekening>"
        "</BerichtIdentificatie>"
        "<XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>"
        "<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></XsdVersie>"
        "</Header>"
    )


def prestatie(
    ref,
    product,
    cents,
    *,
    begin="2026-04-01",
    end="2026-04-30",
    volume=10,
    unit="04",
    dc="D",
    previous="",
    allocation="900001",
    category="45",
):
    previous_xml = (
        f"<ijw:VorigReferentieNummer>{previous}</ijw:VorigReferentieNummer>" if previous else ""
    )
    return (
        "<Prestatie>"
        f"<ProductReferentie><ijw:ReferentieNummer>{ref}</ijw:ReferentieNummer>{previous_xml}"
        "</ProductReferentie>"
        f"<ToewijzingNummer>{allocation}</ToewijzingNummer>"
        f"<ProductCategorie>{category}</ProductCategorie><ProductCode>{product}</ProductCode>"
        f"<ProductPeriode><ijw:Begindatum>{begin}</ijw:Begindatum>"
        f"<ijw:Einddatum>{end}</ijw:Einddatum></ProductPeriode>"
        f"<GeleverdVolume>{volume}</GeleverdVolume><Eenheid>{unit}</Eenheid>"
        f"<IngediendBedrag><ijw:Bedrag>{cents}</ijw:Bedrag><ijw:DebetCredit>{dc}"
        "</ijw:DebetCredit></IngediendBedrag>"
        "</Prestatie>"
    )


def jw323(agb, gemeente, ident, clients, *, total=None, release="3_2", code=None, **kw):
    """``clients``: [(bsn, [prestatie xml, ...]), ...]; ``total`` in signed cents (default:
    the sum the lines give, which the caller passes when it wants a mismatch)."""
    body = "".join(
        f"<Client><Bsn>{bsn}</Bsn><Prestaties>{''.join(lines)}</Prestaties></Client>"
        for bsn, lines in clients
    )
    if total is None:
        total = 0
        for _bsn, lines in clients:
            for line in lines:
                cents = int(line.split("<ijw:Bedrag>")[1].split("<")[0])
                total += -cents if "<ijw:DebetCredit>C" in line else cents
    sign = "C" if total < 0 else "D"
    return (
        _open("jw323", release)
        + header("jw323", agb, gemeente, ident, code=code, **kw)
        + "<Declaratie><DeclaratieNummer>DEC"
        + ident.replace("-", "")
        + "</DeclaratieNummer>"
        "<DeclaratiePeriode><ijw:Begindatum>2026-04-01</ijw:Begindatum>"
        "<ijw:Einddatum>2026-04-30</ijw:Einddatum></DeclaratiePeriode>"
        "<DeclaratieDagtekening>2026-05-02</DeclaratieDagtekening>"
        f"<TotaalIngediendBedrag><ijw:Bedrag>{abs(total)}</ijw:Bedrag>"
        f"<ijw:DebetCredit>{sign}</ijw:DebetCredit></TotaalIngediendBedrag>"
        f"<Clienten>{body}</Clienten></Declaratie></Bericht>"
    )


def _client(bsn, inner):
    return (
        f"<Client><Bsn>{bsn}</Bsn><Geboortedatum><ijw:Datum>2012-03-04</ijw:Datum>"
        "</Geboortedatum><Geslacht>0</Geslacht><Naam><ijw:Geslachtsnaam>"
        "<ijw:Achternaam>Test</ijw:Achternaam></ijw:Geslachtsnaam></Naam>"
        f"{inner}</Client>"
    )


def toegewezen(
    number,
    product,
    start="2026-02-01",
    end="",
    category="45",
    *,
    decided="2026-01-20",
    at="10:00:00",
    reason="",
):
    """``reason``: RedenWijziging of a change to an earlier allocation (``decided``/``at``
    then say when the change was decided)."""
    end_xml = f"<Einddatum>{end}</Einddatum>" if end else ""
    reason_xml = f"<RedenWijziging>{reason}</RedenWijziging>" if reason else ""
    return (
        "<ToegewezenProduct>"
        f"<ToewijzingNummer>{number}</ToewijzingNummer>"
        f"<Product><ijw:Categorie>{category}</ijw:Categorie><ijw:Code>{product}</ijw:Code>"
        "</Product>"
        f"<Toewijzingsdatum>{decided}</Toewijzingsdatum><Toewijzingstijd>{at}"
        f"</Toewijzingstijd><Ingangsdatum>{start}</Ingangsdatum>{end_xml}{reason_xml}"
        "</ToegewezenProduct>"
    )


def jw301(gemeente, agb, ident, bsn, products, **kw):
    return (
        _open("jw301")
        + header("jw301", gemeente, agb, ident, **kw)
        + _client(bsn, f"<ToegewezenProducten>{''.join(products)}</ToegewezenProducten>")
        + "</Bericht>"
    )


def start_product(number, product, begin="2026-02-03", status="1", category="45"):
    return (
        "<StartProduct>"
        f"<ToewijzingNummer>{number}</ToewijzingNummer>"
        f"<Product><ijw:Categorie>{category}</ijw:Categorie><ijw:Code>{product}</ijw:Code>"
        f"</Product><Begindatum>{begin}</Begindatum>"
        f"<StatusAanlevering>{status}</StatusAanlevering></StartProduct>"
    )


def stop_product(number, product, begin="2026-02-03", end="2026-04-30", reason="31", status="1"):
    return (
        "<StopProduct>"
        f"<ToewijzingNummer>{number}</ToewijzingNummer>"
        f"<Product><ijw:Categorie>45</ijw:Categorie><ijw:Code>{product}</ijw:Code></Product>"
        f"<Begindatum>{begin}</Begindatum><RedenBeeindiging>{reason}</RedenBeeindiging>"
        f"<Einddatum>{end}</Einddatum><StatusAanlevering>{status}</StatusAanlevering>"
        "</StopProduct>"
    )


def jw305(agb, gemeente, ident, bsn, products, **kw):
    return (
        _open("jw305")
        + header("jw305", agb, gemeente, ident, **kw)
        + _client(bsn, f"<StartProducten>{''.join(products)}</StartProducten>")
        + "</Bericht>"
    )


def jw307(agb, gemeente, ident, bsn, products, **kw):
    return (
        _open("jw307")
        + header("jw307", agb, gemeente, ident, **kw)
        + _client(bsn, f"<StopProducten>{''.join(products)}</StopProducten>")
        + "</Bericht>"
    )


def jw325(gemeente, agb, ident, answers, bsn="000000000"):
    """``answers``: [(ReferentieNummer, [RetourCode, ...]), ...]."""
    lines = "".join(
        "<Prestatie>"
        f"<ProductReferentie><ijw:ReferentieNummer>{ref}</ijw:ReferentieNummer>"
        "</ProductReferentie>"
        f"<RetourCodes>{''.join(f'<RetourCode>{c}</RetourCode>' for c in codes)}</RetourCodes>"
        "</Prestatie>"
        for ref, codes in answers
    )
    return (
        _open("jw325")
        + header("jw325", gemeente, agb, ident)
        + "<DeclaratieAntwoord><DeclaratieNummer>DEC1</DeclaratieNummer>"
        f"<Clienten><Client><Bsn>{bsn}</Bsn><Prestaties>{lines}</Prestaties>"
        "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></Client></Clienten>"
        "<RetourCodes><RetourCode>0200</RetourCode></RetourCodes></DeclaratieAntwoord>"
        "</Bericht>"
    )


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
