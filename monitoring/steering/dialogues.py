"""Performance dialogues (prestatiedialogen): the only way to plan, record and follow them up.

A dialogue is planned with a drafted agenda: the opening, the follow-up of every action still
open from earlier dialogues with the provider, one item per open (or already scheduled) signal
of the provider (latest month first, red before amber), the finance signals under "Financiën"
and the closing "Rondvraag". Signals put on the agenda become "geagendeerd".

Rules (refusals are ``ValidationError`` with a Dutch message, keyed by field, and leave nothing
half-saved):

- recording a dialogue needs notes; it marks the dialogue held. The notes of a held dialogue
  can still be amended: the earlier text stays in the audit trail (django-auditlog);
- the agenda of a held dialogue is fixed;
- an action needs a description and an owner, and its due date is not before the dialogue;
- an action is done or dropped only with a follow-up text, and gets the date it was closed;
  it can be reopened (the follow-up text stays, the closing date goes);
- a signal is handled (closed) with a note on how; the note is kept in the audit trail;
- the provider posts progress on an action (text, optionally a file, checked by
  ``core.files.check_upload`` and stored privately) only while the action is open and only for
  an action of a dialogue with a provider it acts for; a post is never edited.
"""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contracts.codes import Kpi
from core.files import check_upload
from core.scoping import scope_for
from core.states import apply_transition, transition_rows
from core.ui.formatting import format_date
from monitoring.kpis.definitions import format_figure
from monitoring.steering import alerts
from monitoring.steering.models import (
    ActionStatus,
    AgendaItem,
    DialogueAction,
    DialogueActionProgress,
    DialogueStatus,
    Level,
    PerformanceDialogue,
    Signal,
    SignalSource,
    SignalStatus,
)

FINANCE_MARGIN = alerts.FINANCE_MARGIN
FINANCE_WNT = alerts.FINANCE_WNT
#: lazy labels (for choices made at import time); the same texts as ``alerts.topic_label``
FINANCE_TOPICS = {
    FINANCE_MARGIN: gettext_lazy("Marge (jaarrekening)"),
    FINANCE_WNT: gettext_lazy("Bezoldiging topfunctionaris (WNT)"),
}
#: every topic a signal or a risk weight can be about, in display order
TOPICS = [*Kpi.choices, *FINANCE_TOPICS.items()]
LEVEL_RANK = {Level.RED: 0, Level.AMBER: 1, Level.GREEN: 2}
ACTIVE_SIGNAL = (SignalStatus.OPEN, SignalStatus.ON_AGENDA)
TITLE_MAX = AgendaItem._meta.get_field("title").max_length


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def topic_label(topic: str) -> str:
    """The name of a signal topic: a KPI or one of the finance checks."""
    return alerts.topic_label(topic)


def signal_title(signal: Signal) -> str:
    """An agenda title that says what is wrong: level, KPI, contract, month, value vs norm."""
    level = Level(signal.level).label
    value = format_figure(signal.topic, signal.value)
    if signal.source == SignalSource.FINANCE:
        if signal.norm is not None:
            text = _("%(level)s: %(topic)s %(year)s: %(value)s (grens %(norm)s)")
        else:
            text = _("%(level)s: %(topic)s %(year)s: %(value)s")
        return _clip(
            text
            % {
                "level": level,
                "topic": topic_label(signal.topic),
                "year": signal.period.year,
                "value": value,
                "norm": format_figure(signal.topic, signal.norm),
            },
            TITLE_MAX,
        )
    where = (
        _("contract %(ref)s") % {"ref": signal.contract.reference}
        if signal.contract_id
        else _("alle contracten")
    )
    text = (
        _("%(level)s: %(topic)s, %(where)s, %(month)s: %(value)s (norm %(norm)s)")
        if signal.norm is not None
        else _("%(level)s: %(topic)s, %(where)s, %(month)s: %(value)s")
    )
    return _clip(
        text
        % {
            "level": level,
            "topic": topic_label(signal.topic),
            "where": where,
            "month": formats.date_format(signal.period, "F Y"),
            "value": value,
            "norm": format_figure(signal.topic, signal.norm),
        },
        TITLE_MAX,
    )


def follow_up_title(action: DialogueAction) -> str:
    """ "Opvolging: <action> (<owner>, uiterlijk <date>)", the action shortened to fit."""
    tail = _(" (%(owner)s, uiterlijk %(due)s)") % {
        "owner": _clip(action.owner, 80),
        "due": format_date(action.due_on),
    }
    head = _("Opvolging: ")
    room = TITLE_MAX - len(head) - len(tail)
    return f"{head}{_clip(action.description, room)}{tail}"


def signal_order(signal: Signal):
    """Latest month first, red before amber, then contract and topic."""
    contract = signal.contract.reference if signal.contract_id else ""
    return (-signal.period.toordinal(), LEVEL_RANK.get(signal.level, 9), contract, signal.topic)


def is_overdue(action: DialogueAction, today: date | None = None) -> bool:
    """An open action whose due date has passed."""
    today = today or timezone.localdate()
    return action.status == ActionStatus.OPEN and action.due_on < today


def active_signals(provider) -> list[Signal]:
    """The provider's open and scheduled signals, in agenda order."""
    signals = Signal.objects.filter(provider=provider, status__in=ACTIVE_SIGNAL).select_related(
        "contract"
    )
    return sorted(signals, key=signal_order)


def open_actions(provider, exclude_dialogue=None) -> list[DialogueAction]:
    """Actions still open from the provider's dialogues, soonest due first."""
    actions = DialogueAction.objects.filter(
        dialogue__provider=provider, status=ActionStatus.OPEN
    ).select_related("dialogue")
    if exclude_dialogue is not None:
        actions = actions.exclude(dialogue=exclude_dialogue)
    return list(actions.order_by("due_on", "pk"))


def draft_agenda(provider) -> list[dict]:
    """The agenda a new dialogue with this provider gets: [{title, note, signal}], in order."""
    signals = active_signals(provider)
    kpi_signals = [s for s in signals if s.source != SignalSource.FINANCE]
    finance = [s for s in signals if s.source == SignalSource.FINANCE]
    items = [{"title": _("Opening"), "note": "", "signal": None}]
    for action in open_actions(provider):
        items.append(
            {
                "title": follow_up_title(action),
                "note": _("Afgesproken in het gesprek van %(day)s.")
                % {"day": format_date(action.dialogue.scheduled_on)},
                "signal": None,
            }
        )
    for signal in kpi_signals:
        items.append({"title": signal_title(signal), "note": signal.message, "signal": signal})
    if finance:
        items.append(
            {
                "title": _("Financiën"),
                "note": _("Signalen uit de jaarrekening; zie de punten hieronder."),
                "signal": None,
            }
        )
        for signal in finance:
            items.append({"title": signal_title(signal), "note": signal.message, "signal": signal})
    items.append({"title": _("Rondvraag"), "note": "", "signal": None})
    return items


def group_agenda(items) -> list[dict]:
    """The agenda as it is read: one entry per item, except that two or more items about
    signals of the same KPI (or finance check) become one entry, at the place of the first,
    that counts them and lists them inside (ten "Wachttijd" signals are one point to discuss).

    ``items``: agenda items or draft dicts (``title``, ``note``, ``signal``). Each entry:
    ``{"title", "item", "items", "grouped", "count", "signal", "level"}`` where ``signal`` and
    ``level`` are the group's most urgent (red before amber, then the latest month)."""

    def signal_of(item):
        return item.get("signal") if isinstance(item, dict) else item.signal

    members: dict[tuple, list] = {}
    for item in items:
        signal = signal_of(item)
        if signal is not None:
            members.setdefault((signal.source, signal.topic), []).append(item)
    entries, done = [], set()
    for item in items:
        signal = signal_of(item)
        key = (signal.source, signal.topic) if signal is not None else None
        group = members.get(key, [item]) if key else [item]
        if len(group) < 2:
            title = item.get("title") if isinstance(item, dict) else item.title
            entries.append(
                {
                    "title": title,
                    "item": item,
                    "items": [item],
                    "grouped": False,
                    "count": 1,
                    "signal": signal,
                    "level": signal.level if signal is not None else "",
                }
            )
            continue
        if key in done:
            continue
        done.add(key)
        signals = sorted((signal_of(i) for i in group), key=signal_order)
        worst = min(signals, key=lambda s: LEVEL_RANK.get(s.level, 9))
        entries.append(
            {
                "title": ngettext(
                    "%(topic)s: %(n)s signaal", "%(topic)s: %(n)s signalen", len(group)
                )
                % {"topic": topic_label(signal.topic), "n": len(group)},
                "item": item,
                "items": group,
                "grouped": True,
                "count": len(group),
                "signal": worst,
                "level": worst.level,
            }
        )
    return entries


# ---------------------------------------------------------------- dialogues


@transaction.atomic
def dialogue_create(
    *, provider, scheduled_on: date, participants: str = "", user=None
) -> PerformanceDialogue:
    """Plan a dialogue with its drafted agenda; the signals on it become "geagendeerd"."""
    if scheduled_on is None:
        raise ValidationError({"scheduled_on": _("Vul de datum van het gesprek in.")})
    dialogue = PerformanceDialogue.objects.create(
        region_id=provider.region_id,
        provider=provider,
        scheduled_on=scheduled_on,
        participants=(participants or "").strip(),
        created_by=user,
    )
    # the agenda is stored text: in the site's language, whatever language the user reads in
    # (an English session left "January 2026" on every Dutch page of the dialogue)
    with translation.override(settings.LANGUAGE_CODE):
        items = draft_agenda(provider)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            dialogue=dialogue,
            position=number,
            title=item["title"],
            note=item["note"],
            signal=item["signal"],
        )
        for number, item in enumerate(items, start=1)
    )
    signal_ids = [item["signal"].pk for item in items if item["signal"] is not None]
    transition_rows(
        Signal.objects.filter(pk__in=signal_ids), SignalStatus.OPEN, SignalStatus.ON_AGENDA
    )
    return dialogue


def _held_refusal(dialogue: PerformanceDialogue):
    if dialogue.status == DialogueStatus.HELD:
        raise ValidationError(
            _("Het gesprek van %(day)s is al gevoerd; de agenda ligt vast.")
            % {"day": format_date(dialogue.scheduled_on)}
        )


@transaction.atomic
def agenda_item_add(
    *, dialogue: PerformanceDialogue, title: str, note: str = "", signal=None, user=None
) -> AgendaItem:
    """Add an item to a planned dialogue's agenda, before the closing "Rondvraag"."""
    dialogue = PerformanceDialogue.objects.select_for_update().get(pk=dialogue.pk)
    _held_refusal(dialogue)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Vul het onderwerp van het agendapunt in.")})
    if signal is not None and signal.provider_id != dialogue.provider_id:
        raise ValidationError({"signal": _("Dit signaal hoort bij een andere aanbieder.")})
    items = list(dialogue.agenda.order_by("position"))
    last = items[-1] if items else None
    closing = {"Rondvraag", _("Rondvraag")}
    if last is not None and last.signal_id is None and last.title in closing:
        position = last.position
        AgendaItem.objects.filter(pk=last.pk).update(position=last.position + 1)
    else:
        position = (dialogue.agenda.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        dialogue=dialogue,
        position=position,
        title=title[:TITLE_MAX],
        note=(note or "").strip(),
        signal=signal,
    )
    if signal is not None:
        transition_rows(
            Signal.objects.filter(pk=signal.pk), SignalStatus.OPEN, SignalStatus.ON_AGENDA
        )
    return item


@transaction.atomic
def dialogue_record(
    *, dialogue: PerformanceDialogue, notes: str, participants: str = "", user=None
) -> PerformanceDialogue:
    """Record the notes (verslag) of a dialogue and mark it held; amending keeps the history."""
    dialogue = PerformanceDialogue.objects.select_for_update().get(pk=dialogue.pk)
    notes = (notes or "").strip()
    fields = apply_transition(
        dialogue,
        DialogueStatus.HELD,
        context={"notes": notes},
        notes=notes,
        participants=(participants or "").strip(),
    )
    dialogue.save(update_fields=fields)
    return dialogue


# ---------------------------------------------------------------- actions


@transaction.atomic
def action_add(
    *, dialogue: PerformanceDialogue, description: str, owner: str, due_on: date, user=None
) -> DialogueAction:
    """An action agreed in the dialogue, with an owner and a due date on or after the dialogue."""
    errors = {}
    description = (description or "").strip()
    owner = (owner or "").strip()
    if not description:
        errors["description"] = _("Beschrijf wat er is afgesproken.")
    if not owner:
        errors["owner"] = _("Noem wie de actie uitvoert (eigenaar).")
    if due_on is None:
        errors["due_on"] = _("Vul de datum in waarop de actie uiterlijk klaar is.")
    elif due_on < dialogue.scheduled_on:
        errors["due_on"] = _("De uiterste datum ligt voor de datum van het gesprek (%(day)s).") % {
            "day": format_date(dialogue.scheduled_on)
        }
    if errors:
        raise ValidationError(errors)
    return DialogueAction.objects.create(
        dialogue=dialogue, description=description, owner=owner[:200], due_on=due_on
    )


@transaction.atomic
def action_update(
    *,
    action: DialogueAction,
    status: str,
    follow_up: str = "",
    user=None,
    closed_on: date | None = None,
) -> DialogueAction:
    """Set an action's status. Done or dropped needs a follow-up text and sets the closing date
    (today unless given); back to open clears that date."""
    action = DialogueAction.objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Kies een geldige status.")})
    follow_up = (follow_up or "").strip()
    if status == ActionStatus.OPEN:
        closed_on = None
    elif closed_on is None:
        # Changing only the text of a closed action keeps its closing date.
        same = action.status == status and action.closed_on is not None
        closed_on = action.closed_on if same else timezone.localdate()
    changes = {"closed_on": closed_on, **({"follow_up": follow_up} if follow_up else {})}
    fields = apply_transition(action, status, context={"follow_up": follow_up}, **changes)
    action.save(update_fields=fields)
    return action


PROGRESS_MAX = 5000


@transaction.atomic
def dialogue_action_progress_post(
    *, action: DialogueAction, user, text: str, file=None
) -> DialogueActionProgress:
    """The provider's progress on an agreed action: a text and optionally a file. Refused on a
    closed (done or dropped) action, for a user who does not act for the dialogue's provider,
    without a text, and for a file ``check_upload`` refuses; nothing is saved then."""
    action = DialogueAction.objects.select_for_update().select_related("dialogue").get(pk=action.pk)
    if not scope_for(user).acts_for(action.dialogue.provider_id):
        raise ValidationError(
            _("Alleen de aanbieder met wie dit gesprek is gevoerd, meldt voortgang op de actie.")
        )
    if action.status != ActionStatus.OPEN:
        day = format_date(action.closed_on) if action.closed_on else ""
        raise ValidationError(
            _(
                "Deze actie staat op '%(status)s'%(day)s; voortgang melden kan alleen bij een "
                "open actie. Neem contact op met de contractmanager als er nog iets te melden is."
            )
            % {
                "status": action.get_status_display().lower(),
                "day": (_(" sinds %(day)s") % {"day": day}) if day else "",
            }
        )
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Beschrijf de voortgang op deze actie.")
    elif len(text) > PROGRESS_MAX:
        errors["text"] = _("De tekst is %(n)s tekens; het maximum is %(max)s.") % {
            "n": len(text),
            "max": PROGRESS_MAX,
        }
    if file:
        try:
            check_upload(file)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return DialogueActionProgress.objects.create(
        action=action, text=text, file=file or "", posted_by=user
    )


# ---------------------------------------------------------------- signals


@transaction.atomic
def signal_close(*, signal: Signal, user=None, note: str) -> Signal:
    """Mark a signal handled. The note (how it was handled) goes into the audit trail."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status == SignalStatus.CLOSED:
        raise ValidationError(_("Dit signaal is al afgehandeld."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Beschrijf hoe het signaal is afgehandeld.")})
    old = signal.status
    fields = apply_transition(
        signal,
        SignalStatus.CLOSED,
        handled_at=timezone.now(),
        handled_by=user if getattr(user, "is_authenticated", False) else None,
    )
    signal.save(update_fields=[*fields, "updated_at"])
    LogEntry.objects.log_create(
        signal,
        action=LogEntry.Action.UPDATE,
        changes={"status": [old, SignalStatus.CLOSED.value]},
        additional_data={"note": note},
        actor=user if getattr(user, "is_authenticated", False) else None,
    )
    return signal


@transaction.atomic
def signals_close(*, signals, user=None, note: str) -> list[Signal]:
    """Close several signals with one note: one :func:`signal_close` per signal, all in one
    transaction. A signal the transition table refuses is named and nothing is saved."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Beschrijf hoe de signalen zijn afgehandeld.")})
    signals = list(signals)
    if not signals:
        raise ValidationError(_("Kies ten minste één signaal."))
    closed = []
    for signal in signals:
        try:
            closed.append(signal_close(signal=signal, user=user, note=note))
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            raise ValidationError(
                _("%(provider)s – %(signal)s: %(reason)s Er is niets opgeslagen.")
                % {
                    "provider": signal.provider.name,
                    "signal": signal_title(signal),
                    "reason": reason,
                }
            ) from exc
    return closed


def closing_notes(signals) -> dict[int, dict]:
    """{signal id: {"note", "by", "at"}}: the latest handling note of each signal."""
    from django.contrib.contenttypes.models import ContentType

    ids = [s.pk for s in signals]
    if not ids:
        return {}
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Signal), object_id__in=ids
        )
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    notes = {}
    for entry in entries:
        data = entry.additional_data or {}
        if isinstance(data, dict) and data.get("note"):
            actor = entry.actor
            notes[entry.object_id] = {
                "note": data["note"],
                "by": (actor.get_full_name() or actor.username) if actor else "",
                "at": entry.timestamp,
            }
    return notes
