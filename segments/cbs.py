"""The CBS municipality code list the product ships (``segments/data/cbs_gemeenten.csv``).

Pure: no database. The list holds every current municipality (code ``GM`` + four digits and its
name) and the municipalities merged away since 2018, flagged historic, with the municipality or
municipalities they went into and the last day their code was valid. ``lookup`` answers for one
code, ``parse_codes`` splits what a person typed into codes. The file is read once per process.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "cbs_gemeenten.csv"
CURRENT = "current"
HISTORIC = "historic"
CODE_PATTERN = re.compile(r"^GM[0-9]{4}$")
#: what separates codes in a pasted list: newlines, commas, semicolons, spaces and tabs
SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class CbsMunicipality:
    code: str
    name: str
    status: str
    successor_codes: tuple[str, ...] = ()
    valid_until: date | None = None

    @property
    def is_current(self) -> bool:
        return self.status == CURRENT

    @property
    def dissolved_on(self) -> date | None:
        """The first day the code no longer held (the day of the merger)."""
        return self.valid_until + timedelta(days=1) if self.valid_until else None

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@cache
def municipalities() -> dict[str, CbsMunicipality]:
    """Every code of the list, current and historic, by code."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        found = {}
        for row in csv.DictReader(lines):
            until = row["geldig_tot"].strip()
            found[row["code"]] = CbsMunicipality(
                code=row["code"],
                name=row["naam"],
                status=row["status"],
                successor_codes=tuple(row["opvolger"].split()),
                valid_until=date.fromisoformat(until) if until else None,
            )
    return found


def current() -> list[CbsMunicipality]:
    return [m for m in municipalities().values() if m.is_current]


def normalise(code: str) -> str:
    """``gm0505``, `` 0505 ``, ``505`` → ``GM0505`` (the bare number as spreadsheets write it);
    anything else comes back upper-cased, to be refused by its format."""
    code = code.strip().upper()
    if code.isdigit() and 1 <= len(code) <= 4:
        return f"GM{int(code):04d}"
    return code


def is_well_formed(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


def lookup(code: str) -> CbsMunicipality | None:
    """The list's entry for ``code`` (normalised first), or ``None``."""
    return municipalities().get(normalise(code))


def successors(entry: CbsMunicipality) -> list[CbsMunicipality]:
    known = municipalities()
    return [known[c] for c in entry.successor_codes if c in known]


def parse_codes(text: str) -> list[str]:
    """The codes in ``text``, in order, as typed (separated by newlines, commas, semicolons or
    spaces); empty parts are dropped."""
    return [part for part in SEPARATORS.split(text or "") if part]
