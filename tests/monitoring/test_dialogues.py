"""Performance dialogue services: the drafted agenda, signal status, notes, actions, overdue.

The world (tests/conftest.py): provider ``world.provider`` ("Zorg A Dichtbij") with contract
``C-regio-a-001``; ``world.distant_provider`` is a second provider of the same region.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from monitoring.models import (
    ActionStatus,
    DialogueAction,
    DialogueStatus,
    PerformanceDialogue,
    Signal,
    SignalStatus,
)
from monitoring.steering import dialogues

pytestmark = pytest.mark.django_db

MARCH, FEBRUARY = date(2026, 3, 1), date(2026, 2, 1)


def make_signal(w, *, topic="wait_time", period=MARCH, level="red", value="48", norm="28", **kw):
    source = kw.pop("source", "kpi")
    provider = kw.pop("provider", w.provider)
    contract = kw.pop("contract", w.con.contract if source == "kpi" else None)
    return Signal.objects.create(
        region=w.region,
        provider=provider,
        contract=contract,
        source=source,
        topic=topic,
        key=f"{source}:{topic}:{provider.pk}:{period}:{level}",
        period=period,
        level=level,
        value=Decimal(value),
        norm=Decimal(norm) if norm is not None else None,
        message=kw.pop("message", f"{topic} buiten de norm"),
        **kw,
    )


def titles(dialogue) -> list[str]:
    return list(dialogue.agenda.order_by("position").values_list("title", flat=True))


def earlier_dialogue(w, user=None):
    """A dialogue in January with one open and one done action."""
    earlier = PerformanceDialogue.objects.create(
        region=w.region, provider=w.provider, scheduled_on=date(2026, 1, 15)
    )
    DialogueAction.objects.create(
        dialogue=earlier,
        description="Verbeterplan wachttijd aanleveren",
        owner="Jan Jansen",
        due_on=date(2026, 4, 1),
    )
    DialogueAction.objects.create(
        dialogue=earlier,
        description="Wachtlijst opschonen",
        owner="Piet",
        due_on=date(2026, 2, 1),
        status=ActionStatus.DONE,
        follow_up="Gedaan",
        closed_on=date(2026, 2, 1),
    )
    return earlier


def test_agenda_is_drafted_from_signals_and_open_actions_in_order(world_a, users):
    w = world_a
    ref = w.con.contract.reference
    amber_feb = make_signal(w, period=FEBRUARY, level="amber", value="40")
    amber_mar = make_signal(w, topic="dropout", level="amber", value="22.5", norm="10")
    red_mar = make_signal(w)
    finance = make_signal(
        w,
        source="finance",
        topic="finance_margin",
        period=date(2025, 1, 1),
        level="amber",
        value="12.3",
        norm="5",
        message="Marge 12,3% in 2025 is hoger dan 5%.",
    )
    closed = make_signal(w, topic="occupancy", level="red", status=SignalStatus.CLOSED)
    other = make_signal(w, provider=w.distant_provider, contract=None)
    earlier_dialogue(w)

    dialogue = dialogues.dialogue_create(
        provider=w.provider,
        scheduled_on=date(2026, 4, 20),
        participants="Carla (contractmanager)",
        user=users.contract_manager,
    )

    assert titles(dialogue) == [
        "Opening",
        "Opvolging: Verbeterplan wachttijd aanleveren (Jan Jansen, uiterlijk 01-04-2026)",
        f"Rood: Wachttijd (dagen), contract {ref}, maart 2026: 48 dagen (norm 28 dagen)",
        f"Oranje: Uitval (%), contract {ref}, maart 2026: 22,5% (norm 10%)",
        f"Oranje: Wachttijd (dagen), contract {ref}, februari 2026: 40 dagen (norm 28 dagen)",
        "Financiën",
        "Oranje: Marge (jaarrekening) 2025: 12,3% (grens 5%)",
        "Rondvraag",
    ]
    items = list(dialogue.agenda.order_by("position"))
    assert [i.signal for i in items if i.signal] == [red_mar, amber_mar, amber_feb, finance]
    assert items[-2].note == "Marge 12,3% in 2025 is hoger dan 5%."
    assert (
        dialogue.status == DialogueStatus.PLANNED and dialogue.created_by == users.contract_manager
    )
    assert dialogue.region == w.region and dialogue.participants == "Carla (contractmanager)"
    for signal in (amber_feb, amber_mar, red_mar, finance):
        signal.refresh_from_db()
        assert signal.status == SignalStatus.ON_AGENDA
    closed.refresh_from_db()
    other.refresh_from_db()
    assert closed.status == SignalStatus.CLOSED and other.status == SignalStatus.OPEN


def test_without_signals_or_actions_the_agenda_has_only_the_fixed_items(world_a):
    dialogue = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 5, 1))
    assert titles(dialogue) == ["Opening", "Rondvraag"]


def test_a_scheduled_signal_comes_back_on_the_next_agenda_until_handled(world_a, users):
    signal = make_signal(world_a)
    first = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 4, 1))
    second = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 5, 1))
    assert first.agenda.filter(signal=signal).exists() and second.agenda.filter(signal=signal)
    dialogues.signal_close(signal=signal, user=users.contract_manager, note="Wachtlijst weggewerkt")
    third = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 6, 1))
    assert not third.agenda.filter(signal=signal).exists()


def test_a_dialogue_needs_a_date(world_a):
    with pytest.raises(ValidationError) as error:
        dialogues.dialogue_create(provider=world_a.provider, scheduled_on=None)
    assert error.value.message_dict == {"scheduled_on": ["Vul de datum van het gesprek in."]}
    assert not PerformanceDialogue.objects.exists()


def test_agenda_items_go_before_the_closing_item_and_only_while_planned(world_a, users):
    dialogue = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 4, 1))
    dialogues.agenda_item_add(dialogue=dialogue, title="Personeelsverloop", note="Zie rapportage")
    assert titles(dialogue) == ["Opening", "Personeelsverloop", "Rondvraag"]
    with pytest.raises(ValidationError) as error:
        dialogues.agenda_item_add(dialogue=dialogue, title="  ")
    assert error.value.message_dict == {"title": ["Vul het onderwerp van het agendapunt in."]}
    other = make_signal(world_a, provider=world_a.distant_provider, contract=None)
    with pytest.raises(ValidationError):
        dialogues.agenda_item_add(dialogue=dialogue, title="Ander", signal=other)

    dialogues.dialogue_record(dialogue=dialogue, notes="Besproken.", user=users.contract_manager)
    with pytest.raises(ValidationError) as error:
        dialogues.agenda_item_add(dialogue=dialogue, title="Te laat")
    assert error.value.messages == [
        "Het gesprek van 01-04-2026 is al gevoerd; de agenda ligt vast."
    ]
    assert dialogue.agenda.count() == 3


def test_recording_marks_held_and_amended_notes_keep_their_history(world_a, users):
    dialogue = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        dialogues.dialogue_record(dialogue=dialogue, notes=" ", participants="", user=None)
    assert error.value.message_dict == {"notes": ["Leg het verslag van het gesprek vast."]}
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.PLANNED

    dialogues.dialogue_record(
        dialogue=dialogue, notes="Wachttijd besproken.", participants="Carla, Ahmed", user=None
    )
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.HELD and dialogue.participants == "Carla, Ahmed"
    dialogues.dialogue_record(
        dialogue=dialogue, notes="Wachttijd en uitval besproken.", participants="Carla", user=None
    )
    dialogue.refresh_from_db()
    assert dialogue.notes == "Wachttijd en uitval besproken."
    changes = [
        e.changes_dict.get("notes")
        for e in LogEntry.objects.get_for_object(dialogue).order_by("timestamp", "pk")
        if "notes" in e.changes_dict
    ]
    assert changes[-1] == ["Wachttijd besproken.", "Wachttijd en uitval besproken."]


def test_action_rules(world_a, users):
    dialogue = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 4, 1))
    with pytest.raises(ValidationError) as error:
        dialogues.action_add(
            dialogue=dialogue, description="", owner="", due_on=date(2026, 3, 31), user=None
        )
    assert error.value.message_dict == {
        "description": ["Beschrijf wat er is afgesproken."],
        "owner": ["Noem wie de actie uitvoert (eigenaar)."],
        "due_on": ["De uiterste datum ligt voor de datum van het gesprek (01-04-2026)."],
    }
    action = dialogues.action_add(
        dialogue=dialogue,
        description="Plan van aanpak wachttijd",
        owner="Ahmed (aanbieder)",
        due_on=date(2026, 4, 1),  # the day of the dialogue itself is allowed
        user=None,
    )
    assert action.status == ActionStatus.OPEN and action.closed_on is None

    for status in (ActionStatus.DONE, ActionStatus.DROPPED):
        with pytest.raises(ValidationError) as error:
            dialogues.action_update(action=action, status=status, follow_up=" ", user=None)
        assert list(error.value.message_dict) == ["follow_up"]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN

    dialogues.action_update(
        action=action, status=ActionStatus.DONE, follow_up="Plan ontvangen", user=None
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.closed_on == timezone.localdate()
    assert action.follow_up == "Plan ontvangen"

    # Reopen: the closing date goes, the follow-up text stays.
    dialogues.action_update(action=action, status=ActionStatus.OPEN, follow_up="", user=None)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.closed_on is None
    assert action.follow_up == "Plan ontvangen"

    dialogues.action_update(
        action=action,
        status=ActionStatus.DROPPED,
        follow_up="Niet meer nodig: wachttijd binnen norm",
        user=None,
        closed_on=date(2026, 5, 2),
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED and action.closed_on == date(2026, 5, 2)
    with pytest.raises(ValidationError):
        dialogues.action_update(action=action, status="unknown", follow_up="x", user=None)


def test_overdue_is_an_open_action_past_its_due_date(world_a):
    dialogue = dialogues.dialogue_create(provider=world_a.provider, scheduled_on=date(2026, 4, 1))
    action = dialogues.action_add(
        dialogue=dialogue, description="Rapportage", owner="Ahmed", due_on=date(2026, 4, 30)
    )
    assert not dialogues.is_overdue(action, date(2026, 4, 30))
    assert dialogues.is_overdue(action, date(2026, 5, 1))
    action.status = ActionStatus.DONE
    assert not dialogues.is_overdue(action, date(2026, 5, 1))
    # Without a date: today.
    late = dialogues.action_add(
        dialogue=dialogue,
        description="Oud",
        owner="Piet",
        due_on=date(2026, 4, 2),
    )
    assert dialogues.is_overdue(late) == (date(2026, 4, 2) < timezone.localdate())


def test_open_actions_of_earlier_dialogues_are_followed_up(world_a):
    earlier = earlier_dialogue(world_a)
    open_ = dialogues.open_actions(world_a.provider)
    assert [a.description for a in open_] == ["Verbeterplan wachttijd aanleveren"]
    assert dialogues.open_actions(world_a.provider, exclude_dialogue=earlier) == []


def test_closing_a_signal_needs_a_note_and_keeps_it(world_a, users):
    signal = make_signal(world_a)
    with pytest.raises(ValidationError) as error:
        dialogues.signal_close(signal=signal, user=users.contract_manager, note="")
    assert error.value.message_dict == {"note": ["Beschrijf hoe het signaal is afgehandeld."]}
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN

    dialogues.signal_close(
        signal=signal, user=users.contract_manager, note="Extra capaciteit ingezet"
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    notes = dialogues.closing_notes([signal])
    assert notes[signal.pk]["note"] == "Extra capaciteit ingezet"
    assert notes[signal.pk]["by"] == users.contract_manager.username
    with pytest.raises(ValidationError) as error:
        dialogues.signal_close(signal=signal, user=users.contract_manager, note="Nog eens")
    assert error.value.messages == ["Dit signaal is al afgehandeld."]


def test_titles_fit_the_agenda_field(world_a):
    dialogue = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.provider, scheduled_on=date(2026, 1, 1)
    )
    action = DialogueAction.objects.create(
        dialogue=dialogue,
        description="Heel lang " * 60,
        owner="Eigenaar",
        due_on=date(2026, 1, 1) + timedelta(days=30),
    )
    title = dialogues.follow_up_title(action)
    assert len(title) <= 300 and title.endswith("(Eigenaar, uiterlijk 31-01-2026)")
    assert title.startswith("Opvolging: Heel lang")


def test_the_agenda_is_stored_in_dutch_when_planned_from_an_english_session(world_a):
    """Issue 22: agenda titles are stored text; planned by a user reading in English they said
    "March 2026" on every Dutch page of the dialogue."""
    from django.utils import translation

    make_signal(world_a)
    with translation.override("en"):
        dialogue = dialogues.dialogue_create(
            provider=world_a.provider, scheduled_on=date(2026, 4, 20)
        )
    text = " ".join(titles(dialogue))
    assert "maart 2026" in text and "March" not in text
