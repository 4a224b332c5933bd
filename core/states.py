"""State machines as data, in the style of ``procurement/workflow.py``.

A :class:`StateMachine` is a table of allowed :class:`Transition` rows (from-state, to-state and
an optional guard: a pure function of the object that returns the reason the step is refused,
or ``None``). A model registers its machine with :func:`register`; :func:`apply_transition` is
the one function that changes a registered model's state: it checks the table and the guard,
raises a ``ValidationError`` with the reason, and sets the state (and the other fields given) on
the object without saving it, so the caller's service saves it within its transaction.
:func:`transition_rows` does the same for many rows in one UPDATE (no guards there).

Nothing here reads the database, so every allowed and forbidden transition is tested without
one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Guard = Callable[..., Any]


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    #: ``guard(obj, **context)`` returns the reason the step is refused (a text, or a dict
    #: {field: text} to put it next to a field), or ``None``
    guard: Guard | None = None


class StateMachine:
    def __init__(self, name: str, transitions: Iterable[Transition], *, choices, field="status"):
        self.name = name
        self.field = field
        self.labels = dict(choices.choices)
        self.table = {(t.source, t.target): t for t in transitions}

    def transition(self, source: str, target: str) -> Transition | None:
        return self.table.get((source, target))

    def targets(self, source: str) -> list[str]:
        """The states reachable from ``source`` (guards not considered)."""
        return [target for (s, target) in self.table if s == source]

    def label(self, state: str) -> str:
        return str(self.labels.get(state, state))

    def refusal(self, obj, target: str, **context) -> str | dict | None:
        """Why ``obj`` may not go to ``target`` now, or ``None`` when it may."""
        source = getattr(obj, self.field)
        transition = self.transition(source, target)
        if transition is None:
            return _("Van '%(source)s' naar '%(target)s' is geen toegestane stap.") % {
                "source": self.label(source),
                "target": self.label(target),
            }
        if transition.guard is not None:
            reason = transition.guard(obj, **context)
            if reason:
                return reason
        return None


_MACHINES: dict[type, StateMachine] = {}


def register(model: type, machine: StateMachine) -> StateMachine:
    _MACHINES[model] = machine
    return machine


def machine_of(obj_or_model) -> StateMachine:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in _MACHINES:
            return _MACHINES[klass]
    raise LookupError(f"No state machine registered for {model.__name__}")


def apply_transition(obj, to: str, *, context: dict | None = None, **changes) -> list[str]:
    """Move ``obj`` to state ``to`` if its machine allows it (else ``ValidationError`` with the
    reason, keyed by the state field or by the guard's field), setting ``changes`` too; the
    guard sees ``context``. Nothing is saved; returns the
    names of the fields set, for ``save(update_fields=...)``."""
    machine = machine_of(obj)
    reason = machine.refusal(obj, to, **(context or {}))
    if reason:
        raise ValidationError(reason if isinstance(reason, dict) else {machine.field: reason})
    setattr(obj, machine.field, to)
    for name, value in changes.items():
        setattr(obj, name, value)
    return [machine.field, *changes]


def transition_rows(queryset, source: str, to: str, **changes) -> int:
    """Move the rows of ``queryset`` that are in ``source`` to ``to`` in one UPDATE (a step the
    table allows without a guard); returns how many moved."""
    machine = machine_of(queryset.model)
    transition = machine.transition(source, to)
    if transition is None or transition.guard is not None:
        raise ValueError(f"{machine.name}: {source} -> {to} is not a plain transition")
    return queryset.filter(**{machine.field: source}).update(**{machine.field: to}, **changes)
