"""The states of signals, performance dialogues and their actions, as data (see
:mod:`core.states`).

- A signal is open, on a dialogue's agenda, or closed (by a person or by the KPI refresh); a
  closed signal reopens when its figure is amber or red again (:func:`alerts._reopen` decides
  whether a person's closing still stands).
- A dialogue is planned, then held when its notes are recorded; recording again amends them.
- An action is open, done or dropped; done and dropped need a follow-up text, and a closed
  action may be opened again.
- A recalculation is queued, then running, then done or failed; a queued one that cannot be
  handed to the worker fails at once, a running one may start again (a task delivered twice),
  a finished one never changes again (a new request is a new recalculation).
"""

from django.utils.translation import gettext as _

from core.states import StateMachine, Transition, register
from monitoring.steering.models import (
    ActionStatus,
    DialogueAction,
    DialogueStatus,
    PerformanceDialogue,
    RecalculationStatus,
    Signal,
    SignalRecalculation,
    SignalStatus,
)

SIGNAL = register(
    Signal,
    StateMachine(
        "signal",
        [
            Transition(SignalStatus.OPEN, SignalStatus.ON_AGENDA),
            Transition(SignalStatus.OPEN, SignalStatus.CLOSED),
            Transition(SignalStatus.ON_AGENDA, SignalStatus.CLOSED),
            Transition(SignalStatus.CLOSED, SignalStatus.OPEN),
        ],
        choices=SignalStatus,
    ),
)


def has_notes(dialogue, *, notes: str = "", **context):
    if (notes or "").strip():
        return None
    return {"notes": _("Leg het verslag van het gesprek vast.")}


DIALOGUE = register(
    PerformanceDialogue,
    StateMachine(
        "performance dialogue",
        [
            Transition(DialogueStatus.PLANNED, DialogueStatus.HELD, has_notes),
            Transition(DialogueStatus.HELD, DialogueStatus.HELD, has_notes),
        ],
        choices=DialogueStatus,
    ),
)


def has_follow_up(action, *, follow_up: str = "", **context):
    if (follow_up or "").strip():
        return None
    return {"follow_up": _("Beschrijf de opvolging: wat is er gedaan, of waarom vervalt de actie?")}


_CLOSED = (ActionStatus.DONE, ActionStatus.DROPPED)
ACTION = register(
    DialogueAction,
    StateMachine(
        "dialogue action",
        [
            Transition(ActionStatus.OPEN, ActionStatus.OPEN),
            *(Transition(ActionStatus.OPEN, to, has_follow_up) for to in _CLOSED),
            *(Transition(closed, to, has_follow_up) for closed in _CLOSED for to in _CLOSED),
            *(Transition(closed, ActionStatus.OPEN) for closed in _CLOSED),
        ],
        choices=ActionStatus,
    ),
)


R = RecalculationStatus
RECALCULATION = register(
    SignalRecalculation,
    StateMachine(
        "signal recalculation",
        [
            Transition(R.QUEUED, R.RUNNING),
            Transition(R.QUEUED, R.FAILED),
            Transition(R.RUNNING, R.RUNNING),
            Transition(R.RUNNING, R.DONE),
            Transition(R.RUNNING, R.FAILED),
        ],
        choices=RecalculationStatus,
    ),
)
