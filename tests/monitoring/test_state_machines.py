"""The state machines of monitoring as data (core.states): every allowed transition and a few
forbidden ones, on unsaved objects (no database)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.states import apply_transition, machine_of, transition_rows
from monitoring.imports.models import ImportBatch, ImportStatus
from monitoring.imports.states import IMPORT_BATCH
from monitoring.steering.models import (
    ActionStatus,
    DialogueAction,
    DialogueStatus,
    PerformanceDialogue,
    Signal,
    SignalStatus,
)
from monitoring.steering.states import ACTION, DIALOGUE, SIGNAL


@pytest.fixture(autouse=True)
def dutch():
    """The messages are asserted in Dutch whatever an earlier test left active."""
    with translation.override("nl"):
        yield


B, S, D, A = ImportStatus, SignalStatus, DialogueStatus, ActionStatus

IMPORT_ALLOWED = [
    (B.QUEUED, B.RUNNING),
    (B.QUEUED, B.FAILED),
    (B.RUNNING, B.RUNNING),
    (B.RUNNING, B.SUCCEEDED),
    (B.RUNNING, B.REJECTED),
    (B.RUNNING, B.FAILED),
]
SIGNAL_ALLOWED = [
    (S.OPEN, S.ON_AGENDA),
    (S.OPEN, S.CLOSED),
    (S.ON_AGENDA, S.CLOSED),
    (S.CLOSED, S.OPEN),
]
DIALOGUE_ALLOWED = [(D.PLANNED, D.HELD), (D.HELD, D.HELD)]
ACTION_ALLOWED = [
    (A.OPEN, A.OPEN),
    (A.OPEN, A.DONE),
    (A.OPEN, A.DROPPED),
    (A.DONE, A.DONE),
    (A.DONE, A.DROPPED),
    (A.DROPPED, A.DROPPED),
    (A.DROPPED, A.DONE),
    (A.DONE, A.OPEN),
    (A.DROPPED, A.OPEN),
]


def test_the_tables_hold_exactly_the_allowed_transitions():
    assert set(IMPORT_BATCH.table) == set(IMPORT_ALLOWED)
    assert set(SIGNAL.table) == set(SIGNAL_ALLOWED)
    assert set(DIALOGUE.table) == set(DIALOGUE_ALLOWED)
    assert set(ACTION.table) == set(ACTION_ALLOWED)
    assert machine_of(ImportBatch) is IMPORT_BATCH and machine_of(Signal()) is SIGNAL


@pytest.mark.parametrize(("source", "target"), IMPORT_ALLOWED)
def test_import_batch_allowed(source, target):
    batch = ImportBatch(status=source)
    fields = apply_transition(batch, target, message="x")
    assert batch.status == target and batch.message == "x"
    assert fields == ["status", "message"]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (B.QUEUED, B.SUCCEEDED),
        (B.QUEUED, B.REJECTED),
        (B.SUCCEEDED, B.RUNNING),
        (B.REJECTED, B.SUCCEEDED),
        (B.FAILED, B.QUEUED),
        (B.SUCCEEDED, B.FAILED),
    ],
)
def test_import_batch_forbidden(source, target):
    batch = ImportBatch(status=source, message="before")
    with pytest.raises(ValidationError) as refused:
        apply_transition(batch, target, message="after")
    assert "geen toegestane stap" in str(refused.value.message_dict["status"])
    assert batch.status == source and batch.message == "before"  # nothing changed


@pytest.mark.parametrize(("source", "target"), SIGNAL_ALLOWED)
def test_signal_allowed(source, target):
    signal = Signal(status=source)
    assert apply_transition(signal, target) == ["status"]
    assert signal.status == target


@pytest.mark.parametrize(
    ("source", "target"),
    [(S.CLOSED, S.CLOSED), (S.CLOSED, S.ON_AGENDA), (S.ON_AGENDA, S.OPEN), (S.OPEN, S.OPEN)],
)
def test_signal_forbidden(source, target):
    signal = Signal(status=source)
    with pytest.raises(ValidationError):
        apply_transition(signal, target)
    assert signal.status == source


def test_a_dialogue_is_held_with_notes_only():
    dialogue = PerformanceDialogue(status=D.PLANNED)
    with pytest.raises(ValidationError) as refused:
        apply_transition(dialogue, D.HELD, context={"notes": "  "})
    assert refused.value.message_dict == {"notes": ["Leg het verslag van het gesprek vast."]}
    assert dialogue.status == D.PLANNED
    apply_transition(dialogue, D.HELD, context={"notes": "Besproken"}, notes="Besproken")
    assert dialogue.status == D.HELD and dialogue.notes == "Besproken"
    # recording again amends the notes
    apply_transition(dialogue, D.HELD, context={"notes": "Aangevuld"}, notes="Aangevuld")
    assert dialogue.notes == "Aangevuld"


def test_a_held_dialogue_is_never_planned_again():
    with pytest.raises(ValidationError):
        apply_transition(PerformanceDialogue(status=D.HELD), D.PLANNED)


@pytest.mark.parametrize(("source", "target"), ACTION_ALLOWED)
def test_action_allowed(source, target):
    action = DialogueAction(status=source)
    apply_transition(action, target, context={"follow_up": "Gedaan"})
    assert action.status == target


@pytest.mark.parametrize("target", [A.DONE, A.DROPPED])
@pytest.mark.parametrize("source", [A.OPEN, A.DONE, A.DROPPED])
def test_closing_an_action_needs_a_follow_up(source, target):
    action = DialogueAction(status=source, follow_up="eerder")
    with pytest.raises(ValidationError) as refused:
        apply_transition(action, target, context={"follow_up": ""})
    assert list(refused.value.message_dict) == ["follow_up"]
    assert action.status == source


def test_reopening_an_action_needs_nothing():
    action = DialogueAction(status=A.DONE)
    apply_transition(action, A.OPEN, closed_on=None)
    assert action.status == A.OPEN and action.closed_on is None


def test_an_unknown_state_is_refused():
    with pytest.raises(ValidationError):
        apply_transition(DialogueAction(status=A.OPEN), "lost")


def test_transition_rows_only_for_plain_steps():
    with pytest.raises(ValueError, match="not a plain transition"):
        transition_rows(ImportBatch.objects.none(), B.SUCCEEDED, B.RUNNING)
    with pytest.raises(ValueError, match="not a plain transition"):
        transition_rows(DialogueAction.objects.none(), A.OPEN, A.DONE)  # guarded
