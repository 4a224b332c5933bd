"""The malformed-file corpus of the import door (issue 20): ``python
tests/monitoring/corpus/make_corpus.py`` writes every file of :data:`CASES` next to this script.

Each case is a small production file that must be refused, whole, with a reason at a row and
column (``test_corpus.py`` imports each one through ``import_offer`` and checks). Files hold
placeholders the test fills in with the test world's own values before importing (so that the
rest of a line is right and the one fault is what is reported): ``@CONTRACT@``, ``@GM@``
(``GM0505``), ``@GM4@`` (``0505``, iJw) and ``@PRODUCT@``. Files in UTF-16 keep them unfilled:
they are refused before any value is read.

The BSNs are obvious test numbers that pass the eleven-test (:data:`BSNS`); the test scans the
database, the error download and the API's answer for them in every digit script.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __name__ == "__main__":  # run as a script: the repository's root on the path
    sys.path.insert(0, str(HERE.parents[2]))

from tests.monitoring import ijw_xml as x  # noqa: E402

#: obvious test numbers that pass the eleven-test
BSNS = ("123456782", "111222333", "999999990", "100000009")
B0, B1, B2, B3 = BSNS
AGB = "12345678"  # the provider's AGB code in the iJw cases (test_corpus sets it)

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

DECLARATIONS = "referentie;corrigeert;contract;gemeente;bsn;product;maand;aantal;eenheid;bedrag"
TRAJECTORIES = "referentie;corrigeert;contract;gemeente;bsn;product;start;einde;reden_einde"
OCCUPANCY = "referentie;corrigeert;contract;voorziening;maand;plaatsen;bezette_dagen"
OUTCOMES = (
    "referentie;corrigeert;contract;gemeente;bsn;moment;datum;doelrealisatie;clientervaring;"
    "meting;waarde"
)


@dataclass(frozen=True)
class Case:
    name: str  # file name in this folder
    kind: str
    content: bytes
    row: int  # the row of the expected error
    column: str  # its column ("" for the file as a whole)
    phrase: str  # a phrase of its message


def declaration(ref="R1", **values) -> dict:
    base = {
        "referentie": ref,
        "corrigeert": "",
        "contract": "@CONTRACT@",
        "gemeente": "@GM@",
        "bsn": B0,
        "product": "@PRODUCT@",
        "maand": "2026-04",
        "aantal": "10",
        "eenheid": "04",
        "bedrag": "721,00",
    }
    return {**base, **values}


def csv_text(header: str, rows: list[dict]) -> str:
    names = header.split(";")
    return "\n".join([header, *(";".join(r[n] for n in names) for r in rows)]) + "\n"


def declarations_csv(bad: dict, header: str = DECLARATIONS) -> bytes:
    """A good line (row 2), the bad one (row 3), a good one (row 4)."""
    return csv_text(
        header, [declaration("R1", bsn=B1), declaration("R2", **bad), declaration("R3", bsn=B2)]
    ).encode()


def declarations_json(bad: dict, **top) -> bytes:
    rows = [declaration("R1", bsn=B1), declaration("R2", **bad)]
    return json.dumps({"soort": "declaraties", **top, "regels": rows}).encode()


def ijw(lines) -> bytes:
    return x.jw323(AGB, "@GM4@", "2026-000777", lines).encode()


def csv_case(name, bad, column, phrase, row=3, header=DECLARATIONS):
    return Case(f"{name}.csv", "declaraties", declarations_csv(bad, header), row, column, phrase)


def json_case(name, bad, column, phrase, row=2):
    return Case(f"{name}.json", "declaraties", declarations_json(bad), row, column, phrase)


def _cases() -> list[Case]:
    good = csv_text(DECLARATIONS, [declaration("R1"), declaration("R2", bsn=B1)])
    no_header = "\n".join(good.splitlines()[1:]) + "\n"
    trajectory = "R{n};;@CONTRACT@;@GM@;{bsn};@PRODUCT@;{start};;"
    cases = [
        # -- control characters in CSV: header, quoted and plain values ---------------------
        Case(
            "csv-nul-in-header.csv",
            "declaraties",
            (DECLARATIONS.replace("bsn", "b\x00sn") + "\n" + good.split("\n", 1)[1]).encode(),
            1,
            "",
            "Kolom 5 van de kopregel: Het bestand bevat hier een onzichtbaar stuurteken (U+0000)",
        ),
        csv_case("csv-nul-in-quoted-reference", {"referentie": '"R\x002"'}, "referentie", "U+0000"),
        csv_case("csv-nul-in-bsn", {"bsn": "12345\x006782"}, "bsn", "stuurteken (U+0000)"),
        csv_case("csv-nul-in-amount", {"bedrag": "721\x00,00"}, "bedrag", "(U+0000)"),
        csv_case("csv-newline-in-reference", {"referentie": '"R\n2"'}, "referentie", "regeleinde"),
        csv_case("csv-cr-in-reference", {"referentie": '"R\r2"'}, "referentie", "(U+000D)"),
        csv_case("csv-tab-in-reference", {"referentie": "R\t2"}, "referentie", "(U+0009)"),
        csv_case("csv-vertical-tab-in-product", {"product": "@PRODUCT@\x0b"}, "product", "U+000B"),
        csv_case("csv-escape-in-municipality", {"gemeente": "@GM@\x1b"}, "gemeente", "U+001B"),
        csv_case("csv-del-in-contract", {"contract": "@CONTRACT@\x7f"}, "contract", "U+007F"),
        csv_case("csv-c1-next-line-in-unit", {"eenheid": "0\x854"}, "eenheid", "(U+0085)"),
        csv_case(
            "csv-line-separator-in-corrects", {"corrigeert": "R\u20281"}, "corrigeert", "2028"
        ),
        csv_case("csv-zero-width-space-in-month", {"maand": "2026-\u200b04"}, "maand", "U+200B"),
        csv_case(
            "csv-bidi-override-in-reference", {"referentie": "\u202e2R"}, "referentie", "202E"
        ),
        csv_case("csv-bom-inside-quantity", {"aantal": "1\ufeff0"}, "aantal", "(U+FEFF)"),
        csv_case("csv-nul-in-bsn-with-row-below", {"bsn": "\x00" + B3}, "bsn", "U+0000"),
        # -- encodings ---------------------------------------------------------------------
        Case("csv-utf16le-no-bom.csv", "declaraties", good.encode("utf-16-le"), 1, "", "UTF-16"),
        Case("csv-utf16be-no-bom.csv", "declaraties", good.encode("utf-16-be"), 1, "", "UTF-16"),
        Case("csv-utf16-with-bom.csv", "declaraties", good.encode("utf-16"), 1, "", "UTF-16"),
        Case(
            "csv-utf16le-no-bom-no-header.csv",
            "declaraties",
            no_header.encode("utf-16-le"),
            1,
            "",
            "UTF-16",
        ),
        # -- a BSN where it does not belong ------------------------------------------------
        Case("csv-no-header.csv", "declaraties", no_header.encode(), 1, "", "onbekende kolom(men)"),
        Case(
            "csv-no-header-commas.csv",
            "declaraties",
            no_header.replace(";", ",").encode(),
            1,
            "",
            "onbekende kolom(men)",
        ),
        csv_case(
            "csv-swapped-bsn-and-reference", {"referentie": B3, "bsn": "R2"}, "bsn", "9 cijfers"
        ),
        csv_case("csv-bsn-as-reference", {"referentie": B3, "bsn": B3}, "referentie", "het BSN"),
        csv_case(
            "csv-bsn-with-dots-as-reference",
            {"referentie": "123.456.782", "bsn": B0},
            "referentie",
            "het BSN van deze regel",
        ),
        csv_case(
            "csv-bsn-in-contract", {"contract": B3}, "contract", "Onbekend contract '****0009'"
        ),
        csv_case(
            "csv-bsn-with-dots-in-contract",
            {"contract": "999.999.990"},
            "contract",
            "'****9990'",
        ),
        csv_case("csv-bsn-in-product", {"product": B2}, "product", "Onbekende productcode '****"),
        csv_case("csv-bsn-in-municipality", {"gemeente": B1}, "gemeente", "Onbekende gemeentecode"),
        csv_case(
            "csv-bsn-failing-eleven-test-in-contract",
            {"contract": "123456789"},
            "contract",
            "'****6789'",
        ),
        Case(
            "csv-bsn-in-facility.csv",
            "bezetting",
            (OCCUPANCY + f"\nB1;;@CONTRACT@;{B3};2026-04;4;30\n").encode(),
            2,
            "voorziening",
            "'****0009'",
        ),
        Case(
            "csv-bsn-in-measurement-code.csv",
            "uitkomsten",
            (OUTCOMES + f"\nU1;;@CONTRACT@;@GM@;{B0};start;2026-04-01;;;{B2};5\n").encode(),
            2,
            "meting",
            "Meting ****9990 is geen soort meting",
        ),
        # -- only the digits 0-9 -----------------------------------------------------------
        csv_case("csv-fullwidth-bsn", {"bsn": B3.translate(FULLWIDTH)}, "bsn", "cijfers 0-9"),
        csv_case("csv-arabic-indic-bsn", {"bsn": B0.translate(ARABIC_INDIC)}, "bsn", "cijfers 0-9"),
        csv_case(
            "csv-fullwidth-bsn-eight-digits",
            {"bsn": B3[1:].translate(FULLWIDTH)},
            "bsn",
            "cijfers 0-9",
        ),
        csv_case("csv-fullwidth-amount", {"bedrag": "７２１,００"}, "bedrag", "is geen getal"),
        csv_case("csv-superscript-quantity", {"aantal": "1²"}, "aantal", "is geen getal"),
        csv_case(
            "csv-arabic-indic-month",
            {"maand": "2026-04".translate(ARABIC_INDIC)},
            "maand",
            "geen geldige maand",
        ),
        csv_case("csv-fullwidth-unit", {"eenheid": "０４"}, "eenheid", "Onbekende waarde"),
        csv_case("csv-fullwidth-unit-one-digit", {"eenheid": "４"}, "eenheid", "Onbekende waarde"),
        csv_case(
            "csv-fullwidth-municipality",
            {"gemeente": "GM０５０５"},
            "gemeente",
            "Onbekende gemeentecode",
        ),
        Case(
            "csv-week-date.csv",
            "trajecten",
            (
                TRAJECTORIES + "\n" + trajectory.format(n=1, bsn=B0, start="2026-W10-1") + "\n"
            ).encode(),
            2,
            "start",
            "geen geldige datum",
        ),
        Case(
            "csv-fullwidth-date.csv",
            "trajecten",
            (
                TRAJECTORIES
                + "\n"
                + trajectory.format(n=1, bsn=B1, start="2026-02-01".translate(FULLWIDTH))
                + "\n"
            ).encode(),
            2,
            "start",
            "geen geldige datum",
        ),
        # -- JSON --------------------------------------------------------------------------
        json_case("json-nul-in-reference", {"referentie": "R\x002"}, "referentie", "(U+0000)"),
        json_case("json-nul-in-bsn", {"bsn": B2 + "\x00"}, "bsn", "U+0000"),
        json_case("json-newline-in-reference", {"referentie": "R\n2"}, "referentie", "regeleinde"),
        json_case(
            "json-lone-surrogate-in-reference", {"referentie": "R\ud8002"}, "referentie", "U+D800"
        ),
        json_case("json-fullwidth-bsn", {"bsn": B1.translate(FULLWIDTH)}, "bsn", "cijfers 0-9"),
        json_case(
            "json-arabic-indic-amount",
            {"bedrag": "721".translate(ARABIC_INDIC)},
            "bedrag",
            "geen getal",
        ),
        json_case("json-bsn-in-contract", {"contract": B3}, "contract", "'****0009'"),
        Case(
            "json-nul-in-key.json",
            "declaraties",
            declarations_json({}).replace(b'"aantal"', b'"aan\\u0000tal"', 2),
            1,
            "aan[U+0000]tal",
            "U+0000",
        ),
        Case(
            "json-bsn-as-key.json",
            "declaraties",
            json.dumps([{**declaration("R1"), B2: "x"}]).encode(),
            1,
            "",
            "kolom(men): ****9990",
        ),
        Case(
            "json-raw-control-character.json",
            "declaraties",
            declarations_json({"referentie": "R@2"}).replace(b"R@2", b"R\x012"),
            0,
            "",
            "geen geldige JSON",
        ),
        Case(
            "json-nested-100k-deep.json",
            "declaraties",
            b"[" * 100_000 + b"]" * 100_000,
            0,
            "",
            "te diep genest",
        ),
        Case(
            "json-objects-nested-deep.json",
            "declaraties",
            b'{"regels":' * 50_000 + b"[]" + b"}" * 50_000,
            0,
            "",
            "te diep genest",
        ),
        Case(
            "json-utf16le-no-bom.json",
            "declaraties",
            declarations_json({}).decode().encode("utf-16-le"),
            0,
            "",
            "UTF-16",
        ),
        Case(
            "json-nul-in-soort.json",
            "declaraties",
            declarations_json({}).replace(b'"declaraties"', b'"declaraties\\u0000"', 1),
            0,
            "",
            "Onbekende soort 'declaraties[U+0000]'",
        ),
        # -- iJw ---------------------------------------------------------------------------
        Case(
            "ijw-nul-byte.xml",
            "declaraties",
            ijw([(B0, [x.prestatie("R1", "@PRODUCT@", 72100)])]).replace(b"R1", b"R\x001"),
            0,
            "ijw-nul-byte.xml",
            "geen goedgevormde XML",
        ),
        Case(
            "ijw-newline-in-reference.xml",
            "declaraties",
            ijw([(B0, [x.prestatie("R&#10;1", "@PRODUCT@", 72100)])]),
            1,
            "ProductReferentie/ReferentieNummer",
            "regeleinde (U+000A)",
        ),
        Case(
            "ijw-tab-in-product.xml",
            "declaraties",
            ijw([(B1, [x.prestatie("R1", "@PRODUCT@&#9;X", 72100)])]),
            1,
            "ProductCode",
            "(U+0009)",
        ),
        Case(
            "ijw-fullwidth-bsn.xml",
            "declaraties",
            ijw([(B2.translate(FULLWIDTH), [x.prestatie("R1", "@PRODUCT@", 72100)])]),
            1,
            "Bsn",
            "cijfers 0-9",
        ),
    ]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "a file name twice"
    return cases


CASES = _cases()


def write_all(directory: Path = HERE) -> list[Path]:
    paths = []
    for case in CASES:
        path = directory / case.name
        path.write_bytes(case.content)
        paths.append(path)
    return paths


if __name__ == "__main__":
    written = write_all()
    print(f"{len(written)} files in {HERE}")
