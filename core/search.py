"""Search from the header (``docs/notifications.md``, "Zoeken"): providers, contracts,
procedures, municipalities and segments, each through ``visible_to(user)`` like its list page.

core is the lowest layer: the models are looked up by name, never imported. Matching is
case-insensitive and accent-insensitive (``Zorg`` finds ``zorg``, ``Gemeente Sudwest`` finds
``Súdwest``): the query becomes a regular expression in which every letter with Dutch accents
stands for all its forms (``iregex``, on PostgreSQL and on SQLite alike)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: the most hits shown per kind (the count says how many there are)
LIMIT = 20
MIN_LENGTH = 2
MAX_LENGTH = 100

_FORMS = {
    "a": "aàáâäã",
    "e": "eèéêë",
    "i": "iìíîï",
    "o": "oòóôöõ",
    "u": "uùúûü",
    "y": "yÿý",
    "c": "cç",
    "n": "nñ",
}


def fold(text: str) -> str:
    """``text`` without accents, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def pattern(query: str) -> str:
    """A regular expression that finds ``query`` whatever its accents."""
    out = []
    for char in fold(query):
        forms = _FORMS.get(char)
        out.append(f"[{forms}{forms.upper()}]" if forms else re.escape(char))
    return "".join(out)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: str  # app_label.Model
    fields: tuple[str, ...]  # searched
    related: tuple[str, ...]  # select_related for the hit's URL and description
    order: tuple[str, ...]

    def describe(self, obj) -> str:
        return _DESCRIBE[self.key](obj)


_DESCRIBE = {
    "providers": lambda o: " · ".join(x for x in (o.city, o.region.name) if x),
    "contracts": lambda o: f"{o.provider.name} · {o.segment.name} · {o.region.name}",
    "tenders": lambda o: f"{o.reference} · {o.get_state_display()} · {o.region.name}",
    "municipalities": lambda o: f"{o.cbs_code} · {o.region.name}",
    "segments": lambda o: f"{o.code} · {o.region.name}",
}

KINDS = (
    Kind(
        "providers",
        _("Aanbieders"),
        "providers.Provider",
        ("name", "kvk_number", "agb_code", "city"),
        ("region",),
        ("name", "pk"),
    ),
    Kind(
        "contracts",
        _("Contracten"),
        "contracts.Contract",
        ("reference", "provider__name", "segment__name"),
        ("region", "provider", "segment"),
        ("reference", "pk"),
    ),
    Kind(
        "tenders",
        _("Aanbestedingen"),
        "procurement.Tender",
        ("title", "reference", "tenderned_reference"),
        ("region",),
        ("-pk",),
    ),
    Kind(
        "municipalities",
        _("Gemeenten"),
        "segments.Municipality",
        ("name", "cbs_code"),
        ("region",),
        ("name", "pk"),
    ),
    Kind(
        "segments",
        _("Segmenten"),
        "segments.Segment",
        ("name", "code"),
        ("region",),
        ("region__name", "code", "pk"),
    ),
)


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_LENGTH]


def matches(kind: Kind, user, query: str):
    """The records of ``kind`` the user may see that match ``query``."""
    model = apps.get_model(kind.model)
    regex = pattern(query)
    condition = Q()
    for name in kind.fields:
        condition |= Q(**{f"{name}__iregex": regex})
    return (
        model.objects.visible_to(user)
        .filter(condition)
        .select_related(*kind.related)
        .order_by(*kind.order)
        .distinct()
    )


@dataclass(frozen=True)
class Hit:
    title: str
    description: str
    url: str


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list[Hit]


def search(user, query: str, *, limit: int = LIMIT) -> list[Group]:
    """Per kind: how many records match and the first ``limit`` of them (two queries a kind)."""
    query = clean_query(query)
    if len(query) < MIN_LENGTH:
        return []
    groups = []
    for kind in KINDS:
        found = matches(kind, user, query)
        rows = list(found[:limit])
        count = len(rows) if len(rows) < limit else found.count()
        hits = [Hit(str(o), kind.describe(o), o.get_absolute_url()) for o in rows]
        groups.append(Group(kind=kind, count=count, hits=hits))
    return groups
