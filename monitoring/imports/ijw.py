"""Reading iJw 3.2 messages (JW301, JW305, JW307, JW323, and JW325 answers) as import rows.

:class:`IjwRows` is the third source next to ``CsvRows`` and ``JsonRows``: it yields
``(row, values, problem)`` with ``values`` in the column order of the kind, so the checker,
the staging table, corrections, idempotency, pseudonymisation and the all-or-nothing write are
the ones every import uses. ``row`` is the number of the product line in the delivery (1, 2, …
across all files and messages); ``locate(row, column)`` turns it into "file · bericht id ·
element path" for the error report.

Mapping (see docs/import.md, "iJw-berichten"):

- JW301 ``ToegewezenProduct`` → an allocation; referentie = ``ToewijzingNummer``.
- JW305 ``StartProduct`` → a trajectory; referentie = ``ToewijzingNummer`` + ``Begindatum``.
- JW307 ``StopProduct`` → a correction of that trajectory (corrigeert = the start's
  referentie) with the end date and the end reason (JZ588 mapped to the CBS list).
- JW323 ``Prestatie`` → a declaration line; referentie = ``ProductReferentie/ReferentieNummer``;
  a credit line (``DebetCredit`` C, ``VorigReferentieNummer`` = the debit line's number) is a
  correction of the debit line with 0 units and € 0: a credit reverses its debit line whole
  (iJw IV091), the corrected delivery comes as a new debit line.
- JW325 answers: when the delivery holds them, only the JW323 lines they accept (every
  ``RetourCode`` of the line 0200, "geen opmerking") are imported; rejected lines and lines
  without an answer are left out and counted.

The contract is resolved from the provider's AGB code, the municipality, the product and the
date: exactly one running contract of that provider in the region covering the product.

Safety: lxml's pull parser with ``resolve_entities=False``, ``no_network=True`` and
``huge_tree=False``; every element is cleared once read, so a delivery of any size is read in
constant memory. A ``.zip`` is checked before anything is parsed (no absolute paths, no
``..``, no nested zips, at most ``IJW_ZIP_MAX_MEMBERS`` members, declared sizes within
``IMPORT_MAX_BYTES`` and a compression ratio below ``IJW_ZIP_MAX_RATIO``), and the bytes
actually decompressed are counted against the same limit.
"""

from __future__ import annotations

import re
import zipfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from core.ui.formatting import euro, format_date
from monitoring.imports.formats import (
    CONTROL,
    FileProblem,
    ascii_digits,
    clean_text,
    column_names,
    control_message,
)
from monitoring.imports.models import Allocation, DatasetKind, EndReason, IjwMessage, Trajectory

NAMESPACE_PREFIX = "http://www.istandaarden.nl/ijw/"
RELEASE = "3_2"

#: BerichtCode (COD002-VEKT) per message type
MESSAGE_CODES = {"jw301": "436", "jw305": "438", "jw307": "440", "jw323": "490", "jw325": "491"}
MESSAGE_KINDS = {
    "jw301": DatasetKind.ALLOCATIONS,
    "jw305": DatasetKind.TRAJECTORIES,
    "jw307": DatasetKind.TRAJECTORIES,
    "jw323": DatasetKind.DECLARATIONS,
}
#: starts before stops (a stop corrects its start), answers first (they filter declarations)
ORDER = {"jw325": 0, "jw301": 1, "jw305": 2, "jw307": 3, "jw323": 4}
#: the element that is one product line, per message type
LINE_ELEMENT = {
    "jw301": "ToegewezenProduct",
    "jw305": "StartProduct",
    "jw307": "StopProduct",
    "jw323": "Prestatie",
}
#: the element path of a line; {client} and {line} are 1-based positions
LINE_PATH = {
    "jw301": "/Bericht/Client/ToegewezenProducten/ToegewezenProduct[{line}]",
    "jw305": "/Bericht/Client/StartProducten/StartProduct[{line}]",
    "jw307": "/Bericht/Client/StopProducten/StopProduct[{line}]",
    "jw323": "/Bericht/Declaratie/Clienten/Client[{client}]/Prestaties/Prestatie[{line}]",
}
CLIENT_PATH = {
    "jw301": "/Bericht/Client",
    "jw305": "/Bericht/Client",
    "jw307": "/Bericht/Client",
    "jw323": "/Bericht/Declaratie/Clienten/Client[{client}]",
}
#: per message type: import column → element (relative to the line; "/…": absolute; "@…":
#: relative to the client)
COLUMN_ELEMENTS = {
    "jw301": {
        "referentie": "ToewijzingNummer",
        "contract": "/Bericht/Header/Ontvanger",
        "gemeente": "/Bericht/Header/Afzender",
        "bsn": "@Bsn",
        "product": "Product/Code",
        "ingang": "Ingangsdatum",
        "einde": "Einddatum",
        "reden_wijziging": "RedenWijziging",
        "toewijzingsdatum": "Toewijzingsdatum",
    },
    "jw305": {
        "referentie": "ToewijzingNummer",
        "contract": "/Bericht/Header/Afzender",
        "gemeente": "/Bericht/Header/Ontvanger",
        "bsn": "@Bsn",
        "product": "Product/Code",
        "start": "Begindatum",
        "status": "StatusAanlevering",
    },
    "jw307": {
        "referentie": "ToewijzingNummer",
        "corrigeert": "Begindatum",
        "contract": "/Bericht/Header/Afzender",
        "gemeente": "/Bericht/Header/Ontvanger",
        "bsn": "@Bsn",
        "product": "Product/Code",
        "start": "Begindatum",
        "einde": "Einddatum",
        "reden_einde": "RedenBeeindiging",
        "status": "StatusAanlevering",
    },
    "jw323": {
        "referentie": "ProductReferentie/ReferentieNummer",
        "corrigeert": "ProductReferentie/VorigReferentieNummer",
        "contract": "/Bericht/Header/Afzender",
        "gemeente": "/Bericht/Header/Ontvanger",
        "bsn": "@Bsn",
        "product": "ProductCode",
        "maand": "ProductPeriode/Begindatum",
        "aantal": "GeleverdVolume",
        "eenheid": "Eenheid",
        "bedrag": "IngediendBedrag/Bedrag",
    },
}

#: per message type: element (relative to the line) → import column
ELEMENT_COLUMNS = {
    mtype: {e: c for c, e in columns.items() if not e.startswith(("/", "@"))}
    for mtype, columns in COLUMN_ELEMENTS.items()
}

#: iJw JZ588 (reden beëindiging) → CBS reason for ending (the KPIs read the CBS list; the
#: iJw code itself is not kept)
END_REASONS = {
    "02": EndReason.EXTERNAL,  # overlijden
    "20": EndReason.EXTERNAL,  # levering tijdelijk beëindigd
    "31": EndReason.AS_PLANNED,
    "32": EndReason.BY_CLIENT,
    "33": EndReason.BY_PROVIDER,
    "34": EndReason.EARLY_AGREED,
    "35": EndReason.EXTERNAL,
    "36": EndReason.EXTERNAL,  # geïnitieerd door de gemeente
    "37": EndReason.EARLY_AGREED,  # in verband met wijzigingsverzoek
    "38": EndReason.EARLY_AGREED,  # overstap naar andere aanbieder
    "39": EndReason.EXTERNAL,  # uitstroom naar ander domein
}
#: WJ001 return codes that accept a declaration line
ACCEPTED = frozenset({"0200", "8001"})

CHUNK = 1 << 16
PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
}


def zip_max_members() -> int:
    return getattr(settings, "IJW_ZIP_MAX_MEMBERS", 10_000)


def zip_max_ratio() -> int:
    return getattr(settings, "IJW_ZIP_MAX_RATIO", 200)


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag) -> str:
    """``{namespace}Name`` → ``Name`` (memoised: a delivery has a few dozen distinct tags);
    "" for a comment or processing instruction."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[tag] = name
    return name


def _flat(element) -> dict[str, str]:
    """Texts of the children and grandchildren by local name (``"A"``, ``"A/B"``): the
    common types (``CDT_…``) put their own elements in the basisschema namespace."""
    out: dict[str, str] = {}
    local = _LOCAL_NAMES.get
    for child in element:
        name = local(child.tag) or _local(child.tag)
        if not name:
            continue
        if len(child):
            for sub in child:
                sub_name = local(sub.tag) or _local(sub.tag)
                if sub_name:
                    text = sub.text
                    out[f"{name}/{sub_name}"] = text.strip() if text else ""
        else:
            text = child.text
            out[name] = text.strip() if text else ""
    return out


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _cents(text: str) -> int | None:
    text = text.strip()
    if ascii_digits(text):
        return int(text)
    return None


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _day(text: str) -> date | None:
    text = text.strip()[:10]
    if not _ISO_DAY.fullmatch(text):
        return None  # fromisoformat also reads week dates (2026-W10-1)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Budget:
    """Decompressed bytes read so far, against the limit for the whole delivery."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0


class _Counted:
    """A member of a zip, read through a counter: more bytes than the limit → refused."""

    def __init__(self, raw, budget: _Budget, name: str):
        self.raw = raw
        self.budget = budget
        self.name = name

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.budget.used += len(data)
        if self.budget.used > self.budget.limit:
            raise FileProblem(
                _(
                    "%(name)s: de zip pakt uit tot meer dan %(max)s bytes; het maximum voor "
                    "een levering is bereikt. Splits de levering op."
                )
                % {"name": self.name, "max": self.budget.limit},
                column=self.name,
            )
        return data

    def close(self):
        self.raw.close()


@dataclass
class Member:
    """One XML file of the delivery (the upload itself, or a member of its zip)."""

    name: str
    opener: Callable[[], object]
    message: str = ""


@dataclass
class _Message:
    file: str
    message_type: str
    first_row: int
    identification: str = "?"
    clients: array = field(default_factory=lambda: array("q"))
    #: read before by a successful import of this region (a repeat of the message)
    known: bool = False


def check_zip_name(name: str) -> str | None:
    """Why a member name is refused, or None."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return _("%(name)s: een absoluut pad in de zip wordt niet aanvaard.") % {"name": name}
    if ".." in PurePosixPath(text).parts:
        return _("%(name)s: een pad buiten de map van de zip ('..') wordt niet aanvaard.") % {
            "name": name
        }
    if text.lower().endswith(".zip"):
        return _("%(name)s: een zip in een zip wordt niet aanvaard; pak die eerst uit.") % {
            "name": name
        }
    if not text.lower().endswith(".xml"):
        return _("%(name)s: alleen iJw-berichten (.xml) horen in de zip.") % {"name": name}
    return None


def is_zip(path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


class IjwRows:
    """The product lines of a delivery of iJw messages, as rows of one kind of data."""

    def __init__(self, path, lookups, *, file_name: str = "", limit: int | None = None):
        self.path = Path(path)
        self.lookups = lookups
        self.limit = settings.IMPORT_MAX_BYTES if limit is None else limit
        self.file_name = Path(file_name).name or self.path.name
        self._zip = None
        self._budget: _Budget | None = None
        self.report = None  # errors.add, set by bind()
        self.messages: list[tuple[str, str, str, date]] = []  # (type, sender, id, dated)
        self.left_out_rejected = 0
        self.left_out_unanswered = 0
        self._index: list[_Message] = []
        self._firsts = array("q")
        self._contract_cache: dict[tuple, tuple] = {}
        self.members = self._members()
        types = set()
        for member in self.members:
            member.message = self._peek(member)
            types.add(member.message)
        kinds = {MESSAGE_KINDS[t] for t in types if t in MESSAGE_KINDS}
        if not kinds:
            raise FileProblem(
                _(
                    "De levering bevat geen berichten die wij inlezen (JW301, JW305, JW307 of "
                    "JW323); alleen antwoordberichten (JW325) zijn niet genoeg."
                )
            )
        if len(kinds) > 1:
            by_kind = sorted(f"{t.upper()}" for t in types if t in MESSAGE_KINDS)
            raise FileProblem(
                _(
                    "De levering bevat berichten van verschillende soorten gegevens "
                    "(%(types)s). Lever toewijzingen (JW301), trajecten (JW305/JW307) en "
                    "declaraties (JW323) elk in een eigen import aan."
                )
                % {"types": ", ".join(by_kind)}
            )
        self.kind = kinds.pop()
        self.has_answers = "jw325" in types
        if self.has_answers and self.kind != DatasetKind.DECLARATIONS:
            raise FileProblem(
                _("Antwoordberichten (JW325) horen bij declaraties (JW323), niet bij %(kind)s.")
                % {"kind": str(DatasetKind(self.kind).label).lower()}
            )
        #: changes to earlier messages: the rows stored per chain (an allocation number, a
        #: trajectory's number + begin date), the newest line of this delivery per chain, the
        #: JW301 lines read (an unchanged allocation is repeated in every later JW301, OP087)
        self._stored_chains: dict[tuple, dict[str, tuple[str, bool]]] = {}
        self._newest: dict[tuple, str] = {}
        self._read_allocations: dict[tuple, tuple] = {}
        self.left_out_superseded = 0
        self.left_out_repeated = 0
        if self.kind == DatasetKind.DECLARATIONS:
            self.members.sort(key=lambda m: (ORDER[m.message], m.name))
        else:
            keys = {id(m): self._order_key(m) for m in self.members}
            self.members.sort(key=lambda m: (ORDER[m.message], keys[id(m)], m.name))
        self.accepted: set[tuple[str, str]] = set()
        self.rejected: set[tuple[str, str]] = set()

    # -- the files -------------------------------------------------------------------------------

    def _members(self) -> list[Member]:
        if not is_zip(self.path):
            return [Member(self.file_name, lambda: open(self.path, "rb"))]  # noqa: SIM115
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError):
            raise FileProblem(
                _("%(name)s is geen geldig zip-bestand.") % {"name": self.file_name},
                column=self.file_name,
            ) from None
        self._zip = archive
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if not infos:
            raise FileProblem(_("De zip is leeg."), column=self.file_name)
        if len(infos) > zip_max_members():
            raise FileProblem(
                _("De zip bevat %(count)s bestanden; hoogstens %(max)s per levering.")
                % {"count": len(infos), "max": zip_max_members()},
                column=self.file_name,
            )
        declared = 0
        for info in infos:
            problem = check_zip_name(info.filename)
            if problem:
                raise FileProblem(problem, column=f"{self.file_name} · {info.filename}")
            if info.flag_bits & 0x1:
                raise FileProblem(
                    _("%(name)s is versleuteld; lever de berichten zonder wachtwoord aan.")
                    % {"name": info.filename},
                    column=info.filename,
                )
            declared += info.file_size
            if info.file_size > (1 << 20) and info.file_size > zip_max_ratio() * max(
                info.compress_size, 1
            ):
                raise FileProblem(
                    _(
                        "%(name)s pakt uit tot meer dan %(ratio)s keer zijn gecomprimeerde "
                        "grootte; zo'n zip (een 'zip-bom') wordt niet uitgepakt."
                    )
                    % {"name": info.filename, "ratio": zip_max_ratio()},
                    column=info.filename,
                )
        if declared > self.limit:
            raise FileProblem(
                _(
                    "De berichten in de zip zijn samen %(size)s bytes; het maximum is %(max)s. "
                    "Splits de levering op."
                )
                % {"size": declared, "max": self.limit},
                column=self.file_name,
            )
        budget = self._budget = _Budget(self.limit)
        return [
            Member(
                info.filename,
                lambda info=info: _Counted(archive.open(info), budget, info.filename),
            )
            for info in infos
        ]

    def close(self):
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def _parse(self, member: Member, events=("end",), names=()):
        """The parse events of a file (of the elements with these local ``names``, or of
        all), read in chunks through lxml's pull parser; on a syntax error the events before
        it come first (so the message id is known), then the error."""
        tags = tuple(f"{{*}}{name}" for name in names) or None
        parser = etree.XMLPullParser(events=events, tag=tags, **PARSER_OPTIONS)
        source = member.opener()
        try:
            while chunk := source.read(CHUNK):
                try:
                    parser.feed(chunk)
                except etree.XMLSyntaxError:
                    yield from parser.read_events()
                    raise
                yield from parser.read_events()
            try:
                parser.close()
            except etree.XMLSyntaxError:
                yield from parser.read_events()
                raise
            yield from parser.read_events()
        finally:
            source.close()

    def _syntax(self, member: Member, exc, message_id: str = "") -> FileProblem:
        line = getattr(exc, "lineno", None) or (exc.position[0] if exc.position else 0)
        where = f"{member.name} · " + (_("bericht %(id)s · ") % {"id": message_id}) * bool(
            message_id
        )
        return FileProblem(
            _("%(name)s is geen goedgevormde XML (regel %(line)s): %(error)s")
            % {"name": member.name, "line": line, "error": exc.msg},
            column=f"{where}{_('regel %(line)s') % {'line': line}}",
        )

    def _peek(self, member: Member) -> str:
        """The message type of a file, from its root element's namespace."""
        events = self._parse(member, events=("start",))
        try:
            for _event, element in events:
                return self._message_type(member, element.tag)
        except etree.XMLSyntaxError as exc:
            raise self._syntax(member, exc) from None
        finally:
            events.close()
        raise FileProblem(_("%(name)s is leeg.") % {"name": member.name}, column=member.name)

    def _order_key(self, member: Member) -> tuple[str, str]:
        """Where a message of changes goes in the reading: JW301 by its newest
        ``Toewijzingsdatum``/``Toewijzingstijd``, then ``Dagtekening``; JW305/JW307 by
        ``Dagtekening`` (a removal before the new start it makes room for). A file that cannot
        be read sorts first; the reading reports why."""
        if member.message == "jw301":
            names = ("Header", "Toewijzingsdatum", "Toewijzingstijd")
        else:
            names = ("Header",)
        dated = newest = day = ""
        # this look ahead is bounded by the zip's limit too, but not counted against the reading
        used = self._budget.used if self._budget is not None else 0
        events = self._parse(member, names=names)
        try:
            for _event, element in events:
                name = _local(element.tag)
                if name == "Header":
                    dated = _flat(element).get("BerichtIdentificatie/Dagtekening", "")
                    if member.message != "jw301":
                        break
                elif name == "Toewijzingsdatum":
                    day = (element.text or "").strip()
                elif name == "Toewijzingstijd":
                    newest = max(newest, f"{day}T{(element.text or '').strip()}")
                element.clear()
        except (etree.XMLSyntaxError, FileProblem):
            return ("", "")
        finally:
            events.close()
            if self._budget is not None:
                self._budget.used = used
        return (newest, dated) if member.message == "jw301" else (dated, "")

    def _message_type(self, member: Member, tag: str) -> str:
        namespace, _sep, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        where = f"{member.name} · /{name}"
        if not namespace.startswith(NAMESPACE_PREFIX):
            raise FileProblem(
                _(
                    "%(name)s is geen iJw-bericht: het element %(root)s staat in namespace "
                    "'%(ns)s', verwacht %(prefix)s3_2/<bericht>/schema."
                )
                % {
                    "name": member.name,
                    "root": name,
                    "ns": namespace or _("(geen)"),
                    "prefix": NAMESPACE_PREFIX,
                },
                column=where,
            )
        parts = namespace[len(NAMESPACE_PREFIX) :].split("/")
        release = parts[0] if parts else ""
        code = parts[1] if len(parts) > 1 else ""
        if release != RELEASE:
            raise FileProblem(
                _(
                    "%(name)s is een bericht van iJw-release %(release)s; wij lezen release 3.2 "
                    "(namespace %(prefix)s3_2/…)."
                )
                % {
                    "name": member.name,
                    "release": release.replace("_", "."),
                    "prefix": NAMESPACE_PREFIX,
                },
                column=where,
            )
        if code not in MESSAGE_CODES:
            raise FileProblem(
                _(
                    "%(name)s is een %(type)s-bericht; wij lezen JW301, JW305, JW307, JW323 en "
                    "JW325."
                )
                % {"name": member.name, "type": code.upper() or "?"},
                column=where,
            )
        if name != "Bericht":
            raise FileProblem(
                _("%(name)s: het hoofdelement heet %(root)s, verwacht Bericht.")
                % {"name": member.name, "root": name},
                column=where,
            )
        return code

    # -- errors ----------------------------------------------------------------------------------

    def bind(self, errors) -> None:
        """Report to ``errors`` and let it locate rows."""
        self.report = errors.add
        errors.locate = self.locate

    def _problem(self, where: str, message: str) -> None:
        if self.report is not None:
            self.report(0, where, message)

    def locate(self, row: int, column: str) -> str:
        if " · " in column:
            return column
        i = bisect_right(self._firsts, row) - 1
        if i < 0:
            return column
        message = self._index[i]
        clients = message.clients
        c = max(bisect_right(clients, row) - 1, 0)
        line = row - clients[c] + 1 if len(clients) else 1
        mtype = message.message_type
        element = COLUMN_ELEMENTS[mtype].get(column, "")
        if element.startswith("/"):
            path = element
        elif element.startswith("@"):
            path = CLIENT_PATH[mtype].format(client=c + 1) + "/" + element[1:]
        else:
            path = LINE_PATH[mtype].format(client=c + 1, line=line)
            if element:
                path += "/" + element
        return (
            f"{message.file} · "
            + _("bericht %(id)s") % {"id": message.identification}
            + f" · {path}"
        )

    def _where(self, message: _Message, path: str) -> str:
        return (
            f"{message.file} · "
            + _("bericht %(id)s") % {"id": message.identification}
            + f" · {path}"
        )

    # -- reading ---------------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list[str] | None, object]]:
        row = 0
        for member in self.members:
            if member.message == "jw325":
                self._answers(member)
                continue
            row = yield from self._lines(member, row)

    def _answers(self, member: Member) -> None:
        sender = ""
        try:
            for _event, element in self._parse(member, names=("Header", "Prestatie")):
                name = _local(element.tag)
                if name == "Header":
                    sender = _flat(element).get("Ontvanger", "")
                    element.clear()
                elif name == "Prestatie":
                    reference = ""
                    codes = []
                    for child in element:
                        local = _local(child.tag)
                        if local == "ProductReferentie":
                            reference = (
                                _flat(child).get("ReferentieNummer", "")
                                or (child.text or "").strip()
                            )
                        elif local == "RetourCodes":
                            codes = [(c.text or "").strip() for c in child if _local(c.tag)]
                    key = (sender, reference)
                    if codes and set(codes) <= ACCEPTED:
                        self.accepted.add(key)
                    else:
                        self.rejected.add(key)
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except etree.XMLSyntaxError as exc:
            raise self._syntax(member, exc) from None

    def _lines(self, member: Member, row: int):
        mtype = member.message
        line_name = LINE_ELEMENT[mtype]
        message = _Message(member.name, mtype, row + 1)
        self._index.append(message)
        self._firsts.append(row + 1)
        header: dict[str, str] | None = None
        context = None
        bsn = ""
        total = 0
        declared = None
        names = (line_name, "Bsn", "Header", "TotaalIngediendBedrag", "Client")
        try:
            for _event, element in self._parse(member, names=names):
                name = _local(element.tag)
                if name == line_name:
                    row += 1
                    flat = _flat(element) if context is not None else None
                    bad = flat and next(
                        ((k, m) for k, t in flat.items() if (m := CONTROL.search(t))), None
                    )
                    if bad:
                        # a character reference (``&#10;``, ``&#9;``) in an element of the line
                        key, found = bad
                        column = ELEMENT_COLUMNS[mtype].get(key, "")
                        why = control_message(found.group(0), "xml")
                        yield row, None, (column, why if column else f"{key}: {why}")
                    elif context is not None:
                        values, problem, signed = self._line(mtype, flat, context, bsn, message)
                        total += signed
                        if values is not None and CONTROL.search(";".join(values)):
                            # a character reference (``&#10;``) in a value: like CSV and JSON
                            at = next(i for i, v in enumerate(values) if CONTROL.search(v))
                            char = CONTROL.search(values[at]).group(0)
                            column = column_names(self.kind)[at]
                            values, problem = None, (column, control_message(char, "xml"))
                        if values is not None or problem:
                            yield row, values, problem
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                elif name == "Bsn":
                    bsn = (element.text or "").strip()
                    message.clients.append(row + 1)
                elif name == "Header":
                    header = _flat(element)
                    identification = header.get("BerichtIdentificatie/Identificatie") or "?"
                    message.identification = clean_text(identification)
                    if identification != message.identification:
                        self._problem(
                            self._where(message, "/Bericht/Header/BerichtIdentificatie"),
                            control_message(CONTROL.search(identification).group(0), "xml"),
                        )
                    context = self._header(member, mtype, header, message)
                    element.clear()
                elif name == "TotaalIngediendBedrag" and mtype == "jw323":
                    values = _flat(element)
                    cents = _cents(values.get("Bedrag", ""))
                    if cents is not None:
                        declared = -cents if values.get("DebetCredit") == "C" else cents
                elif name == "Client":
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
        except etree.XMLSyntaxError as exc:
            raise self._syntax(member, exc, message.identification) from None
        if header is None:
            raise FileProblem(
                _("%(name)s heeft geen Header.") % {"name": member.name},
                column=f"{member.name} · /Bericht/Header",
            )
        if mtype == "jw323" and context is not None and declared is not None and total != declared:
            self._problem(
                self._where(message, "/Bericht/Declaratie/TotaalIngediendBedrag"),
                _(
                    "De prestaties tellen op tot %(sum)s, maar TotaalIngediendBedrag is "
                    "%(total)s (debet positief, credit negatief)."
                )
                % {"sum": euro(_signed_euros(total)), "total": euro(_signed_euros(declared))},
            )
        return row

    def _header(self, member: Member, mtype: str, header: dict, message: _Message):
        """The message's context (provider, municipality) or None after reporting why not."""
        ok = True
        code = header.get("BerichtCode", "")
        if code != MESSAGE_CODES[mtype]:
            self._problem(
                self._where(message, "/Bericht/Header/BerichtCode"),
                _(
                    "BerichtCode %(code)s hoort niet bij een %(type)s-bericht "
                    "(verwacht %(expected)s)."
                )
                % {
                    "code": code or _("(leeg)"),
                    "type": mtype.upper(),
                    "expected": MESSAGE_CODES[mtype],
                },
            )
            ok = False
        version = (header.get("BerichtVersie", ""), header.get("BerichtSubversie", ""))
        if version != ("3", "2"):
            self._problem(
                self._where(message, "/Bericht/Header/BerichtVersie"),
                _("BerichtVersie %(version)s.%(sub)s; wij lezen iJw-release 3.2.")
                % {"version": version[0] or "?", "sub": version[1] or "?"},
            )
            ok = False
        identification = header.get("BerichtIdentificatie/Identificatie", "")
        dated = _day(header.get("BerichtIdentificatie/Dagtekening", ""))
        if not identification or dated is None:
            self._problem(
                self._where(message, "/Bericht/Header/BerichtIdentificatie"),
                _("BerichtIdentificatie mist Identificatie of een geldige Dagtekening."),
            )
            ok = False
        if mtype == "jw301":
            agb, municipality = header.get("Ontvanger", ""), header.get("Afzender", "")
            agb_path, municipality_path = "Ontvanger", "Afzender"
        else:
            agb, municipality = header.get("Afzender", ""), header.get("Ontvanger", "")
            agb_path, municipality_path = "Afzender", "Ontvanger"
        provider = self.lookups.agb_codes.get(agb)
        if provider is None:
            if self.lookups.provider_name:
                text = _(
                    "AGB-code %(agb)s is niet die van %(provider)s; lever alleen uw eigen "
                    "berichten aan."
                ) % {"agb": agb or _("(leeg)"), "provider": self.lookups.provider_name}
            else:
                text = _(
                    "Onbekende AGB-code %(agb)s: geen aanbieder met een contract in %(region)s."
                ) % {"agb": agb or _("(leeg)"), "region": self.lookups.region_name}
            self._problem(self._where(message, f"/Bericht/Header/{agb_path}"), text)
            ok = False
        gm = "GM" + municipality.zfill(4) if ascii_digits(municipality) else municipality
        if gm not in self.lookups.municipalities:
            self._problem(
                self._where(message, f"/Bericht/Header/{municipality_path}"),
                _("Gemeente %(code)s hoort niet bij %(region)s.")
                % {"code": municipality or _("(leeg)"), "region": self.lookups.region_name},
            )
            ok = False
        if not ok:
            return None
        sender = agb if mtype != "jw301" else municipality
        self.messages.append((mtype, sender, identification, dated))
        if mtype in ("jw305", "jw307"):
            message.known = IjwMessage.objects.filter(
                region_id=self.lookups.region_id,
                message_type=mtype,
                sender=sender,
                identification=identification[:64],
                dated=dated,
            ).exists()
        return {"agb": agb, "provider": provider, "gm": gm}

    def _contract(self, context, code: str, day: date) -> tuple[str, str]:
        """(contract reference, "") or ("", why not)."""
        provider_id, provider_name = context["provider"]
        key = (provider_id, code, day, context["gm"])
        hit = self._contract_cache.get(key)
        if hit is not None:
            return hit
        product = self.lookups.products.get(code)
        if product is None:
            hit = (
                "",
                _("Onbekende productcode '%(code)s': geen product van %(region)s.")
                % {"code": code, "region": self.lookups.region_name},
            )
        else:
            found = [
                c
                for c in self.lookups.contracts_of(provider_id)
                if c.start <= day
                and (c.last is None or day <= c.last)
                and (c.products is None or product.id in c.products)
            ]
            # a contract for some municipalities only counts in those; when that leaves none,
            # the one contract found stays, and the line's check names its municipalities
            municipality_id = self.lookups.municipalities.get(context["gm"])
            local = [c for c in found if c.applies_in(municipality_id)]
            if local or len(found) > 1:
                found = local
            if len(found) == 1:
                hit = (found[0].reference, "")
            elif not found:
                hit = (
                    "",
                    _(
                        "%(provider)s (AGB %(agb)s) heeft in %(region)s geen lopend contract dat "
                        "product %(code)s dekt op %(day)s."
                    )
                    % {
                        "provider": provider_name,
                        "agb": context["agb"],
                        "region": self.lookups.region_name,
                        "code": code,
                        "day": format_date(day),
                    },
                )
            else:
                hit = (
                    "",
                    _(
                        "%(provider)s heeft op %(day)s meer dan één lopend contract dat product "
                        "%(code)s dekt (%(contracts)s); het contract is niet eenduidig te bepalen."
                    )
                    % {
                        "provider": provider_name,
                        "day": format_date(day),
                        "code": code,
                        "contracts": ", ".join(sorted(c.reference for c in found)),
                    },
                )
        if len(self._contract_cache) > 100_000:
            self._contract_cache.clear()
        self._contract_cache[key] = hit
        return hit

    def _line(self, mtype: str, v: dict, context, bsn: str, message: _Message):
        """(values, problem, signed cents); (None, "", 0) for a line left out."""
        if mtype == "jw323":
            return self._declaration(v, context, bsn)
        number = v.get("ToewijzingNummer", "")
        code = v.get("Product/Code", "")
        if mtype == "jw301":
            start = v.get("Ingangsdatum", "")
            values = [number, "", "", context["gm"], bsn, code, start, v.get("Einddatum", "")]
            when = _day(start)
            date_column = "ingang"
        else:
            begin = v.get("Begindatum", "")
            when = _day(begin)
            date_column = "start"
            status = v.get("StatusAanlevering", "1")
            if status not in ("1", "2", "3"):
                return None, ("status", _("StatusAanlevering moet 1, 2 of 3 zijn.")), 0
            if status == "3" and mtype == "jw305":
                return None, ("status", _removed_start()), 0
            if not number:
                return (
                    None,
                    (
                        "referentie",
                        _("ToewijzingNummer ontbreekt; dat is nodig om het traject te herkennen."),
                    ),
                    0,
                )
            start_reference = f"{number}-{begin}"
            if mtype == "jw305" or status == "3":
                values = [start_reference, "", "", context["gm"], bsn, code, begin, "", ""]
            else:
                reason = v.get("RedenBeeindiging", "")
                mapped = END_REASONS.get(reason)
                if mapped is None:
                    return (
                        None,
                        (
                            "reden_einde",
                            _("Onbekende RedenBeeindiging '%(code)s' (iJw-lijst JZ588).")
                            % {"code": reason},
                        ),
                        0,
                    )
                values = [
                    f"{start_reference}-stop",
                    start_reference,
                    "",
                    context["gm"],
                    bsn,
                    code,
                    begin,
                    v.get("Einddatum", ""),
                    str(mapped),
                ]
        if not code:
            return (
                None,
                (
                    "product",
                    _("Product/Code ontbreekt; zonder product is het contract niet te bepalen."),
                ),
                0,
            )
        if when is None:
            return None, (date_column, _bad_date(values[6])), 0
        contract, why = self._contract(context, code, when)
        if why:
            return None, ("product", why), 0
        values[2] = contract
        contract_id = self.lookups.contracts[contract].id
        if mtype == "jw301":
            problem = self._allocation_change(v, values, contract_id)
        elif status == "1" and mtype == "jw305":
            self._newest[(contract_id, values[0])] = values[0]
            problem = ""
        else:
            problem = self._trajectory_change(mtype, status, values, contract_id, message)
        if problem is None:
            return None, "", 0
        if problem:
            return None, problem, 0
        return values, "", 0

    # -- changes to earlier messages ---------------------------------------------------------------

    def _stored(self, model, contract_id: int, key: str, separators: str):
        """{reference: (corrects, active)} of the rows of one chain already imported: the
        reference ``key`` itself and those that continue it with one of ``separators``."""
        cache_key = (model.__name__, contract_id, key)
        hit = self._stored_chains.get(cache_key)
        if hit is None:
            if len(self._stored_chains) > 100_000:
                self._stored_chains.clear()
            size = len(key)
            hit = {
                reference: (corrects, active)
                for reference, corrects, active in model.objects.filter(
                    contract_id=contract_id, reference__startswith=key
                ).values_list("reference", "corrects", "active")
                if len(reference) == size or reference[size] in separators
            }
            self._stored_chains[cache_key] = hit
        return hit

    def _head(self, chain: tuple, stored: dict) -> str:
        """The reference a change corrects: the newest line of the chain in this delivery
        when that one is new, else the chain's line that holds now ("" when none)."""
        newest = self._newest.get(chain)
        if newest and newest not in stored:
            return newest
        active = sorted(reference for reference, (_c, on) in stored.items() if on)
        if active:
            return active[-1]
        return newest or ""

    def _allocation_change(self, v: dict, values: list, contract_id: int):
        """Fill ``corrigeert`` of a JW301 line; "" when fine, None to leave the line out, or
        (column, message). A changed allocation (``RedenWijziging``) is a correction of the
        allocation's line that holds, under its own reference ``<nummer>~<datum>T<tijd>``."""
        number = values[0]
        chain = (contract_id, number)
        reason = v.get("RedenWijziging", "")
        if reason:
            stamp = _stamp(v.get("Toewijzingsdatum", ""), v.get("Toewijzingstijd", ""))
            if not stamp:
                return (
                    "toewijzingsdatum",
                    _(
                        "Een gewijzigde toewijzing (RedenWijziging %(reason)s) heeft een geldige "
                        "Toewijzingsdatum en Toewijzingstijd nodig: de nieuwste geldt."
                    )
                    % {"reason": reason},
                )
            values[0] = f"{number}~{stamp}"
        read = (contract_id, values[0])
        content = tuple(values[2:])
        earlier = self._read_allocations.get(read)
        if earlier is not None:
            if earlier == content:
                self.left_out_repeated += 1  # the same allocation in a later message (OP087)
                return None
            return ""  # the staging table names the reference twice with other content
        self._read_allocations[read] = content
        if not reason:
            self._newest.setdefault(chain, number)
            return ""
        stored = self._stored(Allocation, contract_id, number, "~")
        if values[0] in stored:
            values[1] = stored[values[0]][0]  # read before: the same correction again
            return ""
        head = self._head(chain, stored)
        if not head:
            return (
                "referentie",
                _(
                    "Toewijzing %(number)s wordt gewijzigd (RedenWijziging %(reason)s), maar is "
                    "niet eerder ingelezen bij contract %(contract)s (niet in een eerdere import "
                    "en niet eerder in deze levering). Lees eerst de oorspronkelijke toewijzing "
                    "in."
                )
                % {"number": number, "reason": reason, "contract": values[2]},
            )
        if values[0].partition("~")[2] < head.partition("~")[2]:
            self.left_out_superseded += 1  # a newer version holds already (OP033x1)
            return None
        values[1] = head
        self._newest[chain] = values[0]
        return ""

    def _trajectory_change(self, mtype, status, values, contract_id, message: _Message):
        """Reference and ``corrigeert`` of a JW307 line or a JW305/JW307 correction or removal
        (StatusAanlevering 2, 3); "" when fine, or (column, message)."""
        key = values[0] if mtype == "jw305" else values[0].removesuffix("-stop")
        start_reference = key
        chain = (contract_id, key)
        stored = self._stored(Trajectory, contract_id, key, "-~")
        mark = re.sub(r"[^0-9A-Za-z]", "", message.identification)[-20:] or "x"
        if mtype == "jw305":
            candidates = [f"{key}~{mark}"]
        elif status == "3":
            candidates = [f"{key}-open~{mark}"]
        elif status == "2":
            candidates = [f"{key}-stop~{mark}"]
        elif message.known:
            candidates = [f"{key}-stop~{mark}", f"{key}-stop"]
        else:
            first = f"{key}-stop"
            seen = first in stored or self._newest.get(chain, "") == first
            candidates = [f"{key}-stop~{mark}" if seen else first]
        for reference in candidates:
            if reference in stored:  # read before: the same line again
                values[0], values[1] = reference, stored[reference][0]
                self._newest[chain] = reference
                return ""
        values[0] = candidates[0]
        head = self._head(chain, stored)
        stopped = "-stop" in head
        if mtype == "jw305" and not head:
            return "status", _("Er is geen start %(ref)s om te corrigeren.") % {"ref": key}
        if mtype == "jw305" and stopped:
            return (
                "status",
                _(
                    "Traject %(ref)s is al beëindigd (JW307); de start kan dan niet meer "
                    "gecorrigeerd worden (iJw OP033). Verwijder eerst de stop (JW307 met "
                    "StatusAanlevering 3)."
                )
                % {"ref": key},
            )
        if status == "3" and not stopped:
            return (
                "status",
                _("Traject %(ref)s heeft geen stop (JW307) om te verwijderen.") % {"ref": key},
            )
        values[1] = head or start_reference
        self._newest[chain] = values[0]
        return ""

    def _declaration(self, v: dict, context, bsn: str):
        reference = v.get("ProductReferentie/ReferentieNummer", "")
        previous = v.get("ProductReferentie/VorigReferentieNummer", "")
        sign = v.get("IngediendBedrag/DebetCredit", "D")
        cents = _cents(v.get("IngediendBedrag/Bedrag", ""))
        if cents is None:
            return (
                None,
                (
                    "bedrag",
                    _("'%(value)s' is geen bedrag in eurocenten (een geheel getal).")
                    % {"value": v.get("IngediendBedrag/Bedrag", "")},
                ),
                0,
            )
        if sign not in ("D", "C"):
            return (
                None,
                ("bedrag", _("DebetCredit moet D of C zijn, niet '%(value)s'.") % {"value": sign}),
                0,
            )
        signed = -cents if sign == "C" else cents
        if self.has_answers:
            key = (context["agb"], reference)
            if key not in self.accepted:
                if key in self.rejected:
                    self.left_out_rejected += 1
                else:
                    self.left_out_unanswered += 1
                return None, "", signed
        code = v.get("ProductCode", "")
        begin = v.get("ProductPeriode/Begindatum", "")
        when = _day(begin)
        month = begin[:7] if when else begin
        if sign == "C":
            if not previous:
                return (
                    None,
                    (
                        "corrigeert",
                        _(
                            "Een creditprestatie noemt in VorigReferentieNummer de "
                            "debetprestatie die zij crediteert."
                        ),
                    ),
                    signed,
                )
            values = [
                reference,
                previous,
                "",
                context["gm"],
                bsn,
                code,
                month,
                "0",
                v.get("Eenheid", ""),
                "0.00",
            ]
        else:
            values = [
                reference,
                "",
                "",
                context["gm"],
                bsn,
                code,
                month,
                v.get("GeleverdVolume", ""),
                v.get("Eenheid", ""),
                _euros(cents),
            ]
        if not code:
            return None, ("product", _("ProductCode ontbreekt.")), signed
        if when is None:
            return None, ("maand", _bad_date(begin)), signed
        contract, why = self._contract(context, code, when)
        if why:
            return None, ("product", why), signed
        values[2] = contract
        return values, "", signed

    # -- the outcome -----------------------------------------------------------------------------

    def summary(self, repeated: int) -> str:
        parts = []
        if repeated:
            parts.append(
                _("%(count)s van de %(total)s berichten waren al eerder ingelezen.")
                % {"count": repeated, "total": len(self.messages)}
            )
        if self.left_out_repeated:
            parts.append(
                ngettext(
                    "%(count)s toewijzingsregel stond ongewijzigd in een later bericht en is "
                    "één keer ingelezen.",
                    "%(count)s toewijzingsregels stonden ongewijzigd in een later bericht en zijn "
                    "één keer ingelezen.",
                    self.left_out_repeated,
                )
                % {"count": self.left_out_repeated}
            )
        if self.left_out_superseded:
            parts.append(
                ngettext(
                    "%(count)s gewijzigde toewijzing niet ingelezen: er geldt al een nieuwere "
                    "versie (latere Toewijzingsdatum/-tijd).",
                    "%(count)s gewijzigde toewijzingen niet ingelezen: er geldt al een nieuwere "
                    "versie (latere Toewijzingsdatum/-tijd).",
                    self.left_out_superseded,
                )
                % {"count": self.left_out_superseded}
            )
        left_out = self.left_out_rejected + self.left_out_unanswered
        if self.has_answers and left_out:
            parts.append(
                _(
                    "%(count)s declaratieregels niet ingelezen: %(rejected)s afgewezen in het "
                    "antwoordbericht (JW325), %(unanswered)s zonder antwoord."
                )
                % {
                    "count": left_out,
                    "rejected": self.left_out_rejected,
                    "unanswered": self.left_out_unanswered,
                }
            )
        return " ".join(parts)


def _stamp(day: str, time: str) -> str:
    """``2026-03-01`` + ``10:15:00`` → ``20260301T101500`` ("" when either is no date/time)."""
    day, time = day.strip(), time.strip()
    if _day(day) is None or not re.fullmatch(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?", time[:8]):
        return ""
    return day[:10].replace("-", "") + "T" + time[:8].replace(":", "").ljust(6, "0")


def _removed_start() -> str:
    return _(
        "StatusAanlevering 3 (verwijdering) van een start (JW305) lezen wij niet in: een "
        "import kan een traject niet ongedaan maken. Meld de verwijdering aan de regio, die haar "
        "buiten de import afhandelt; lever deze levering daarna opnieuw aan zonder die regel."
    )


def _bad_date(text: str) -> str:
    return _("'%(value)s' is geen geldige datum; iJw schrijft JJJJ-MM-DD.") % {"value": text}


def _signed_euros(cents: int):
    from decimal import Decimal

    return Decimal(cents) / 100
