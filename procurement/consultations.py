"""Market consultations and development tables (marktconsultaties, ontwikkeltafels; seed 000)
of a strategy: when, which kind, who took part (providers of the register and others), the
themes discussed (the region's list) and the minutes, with an optional document kept in
private storage."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.files import check_upload
from providers.models import Provider

from . import kader
from .models import MarketConsultation, Strategy, Theme


def _errors(
    *, strategy: Strategy, providers: list[Provider], themes: list[Theme], other: str, minutes_file
) -> dict:
    errors = {}
    foreign = [p for p in providers if p.region_id != strategy.region_id]
    if foreign:
        errors["providers"] = ngettext(
            "De aanbieder %(names)s hoort bij een andere regio.",
            "De aanbieders %(names)s horen bij een andere regio.",
            len(foreign),
        ) % {"names": ", ".join(sorted(str(p) for p in foreign))}
    try:
        kader.themes_check(region_id=strategy.region_id, themes=themes)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not providers and not (other or "").strip():
        errors["other_participants"] = _(
            "Noem minstens één deelnemer: een aanbieder uit het register of een andere deelnemer."
        )
    if minutes_file:
        try:
            check_upload(minutes_file)
        except ValidationError as exc:
            errors["minutes_file"] = exc.messages
    return errors


def _write(
    consultation: MarketConsultation,
    *,
    providers: Iterable[Provider],
    themes: Iterable[Theme],
    minutes_file,
    clear_file: bool,
    **fields,
) -> MarketConsultation:
    providers, themes = list(providers or []), list(themes or [])
    errors = _errors(
        strategy=consultation.strategy,
        providers=providers,
        themes=themes,
        other=fields.get("other_participants", consultation.other_participants),
        minutes_file=minutes_file,
    )
    for name, value in fields.items():
        setattr(consultation, name, value)
    try:
        consultation.full_clean(exclude=["minutes_file"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    if minutes_file:
        consultation.minutes_file.save(minutes_file.name, minutes_file, save=False)
    elif clear_file and consultation.minutes_file:
        consultation.minutes_file.delete(save=False)
        consultation.minutes_file = ""
    consultation.save()
    consultation.providers.set(providers)
    consultation.themes.set(themes)
    return consultation


@transaction.atomic
def consultation_create(
    *,
    strategy: Strategy,
    held_on: date,
    kind: str,
    title: str = "",
    providers: Iterable[Provider] = (),
    other_participants: str = "",
    themes: Iterable[Theme] = (),
    minutes: str = "",
    minutes_file=None,
) -> MarketConsultation:
    """Record a market consultation or development table held for ``strategy``."""
    return _write(
        MarketConsultation(strategy=strategy),
        providers=providers,
        themes=themes,
        minutes_file=minutes_file,
        clear_file=False,
        held_on=held_on,
        kind=kind,
        title=title,
        other_participants=other_participants,
        minutes=minutes,
    )


@transaction.atomic
def consultation_update(
    *,
    consultation: MarketConsultation,
    providers: Iterable[Provider] = (),
    themes: Iterable[Theme] = (),
    minutes_file=None,
    clear_file: bool = False,
    **fields,
) -> MarketConsultation:
    """Change a consultation (``fields``: held_on, kind, title, other_participants, minutes);
    a new ``minutes_file`` replaces the document, ``clear_file`` removes it."""
    return _write(
        consultation,
        providers=providers,
        themes=themes,
        minutes_file=minutes_file,
        clear_file=clear_file,
        **fields,
    )


@transaction.atomic
def consultation_delete(*, consultation: MarketConsultation) -> None:
    if consultation.minutes_file:
        name, storage = consultation.minutes_file.name, consultation.minutes_file.storage
        transaction.on_commit(lambda: storage.delete(name))
    consultation.delete()
