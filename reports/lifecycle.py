"""The life of a report version, as data (in the style of ``procurement.workflow``).

A version is born queued; the table below says which step leads from which states to which.
:func:`apply` is the one rule: the state a step leads to, or :class:`TransitionNotAllowed` with
the reason. Nothing here touches the database: ``reports.services`` applies a step to a stored
version (with a conditional UPDATE, so two executions cannot both make it) and every allowed and
forbidden step is tested without one (tests/reports/test_state_machine.py).

::

    claim     queued  -> running  (or a running one whose lease ran out: its worker died)
    produce   running -> ready    (snapshot, PDF, Report.current; mails queued)
    release   running -> queued   (an attempt failed and the task will retry)
    fail      queued, running, failed -> failed  (no retries left; the reason is kept)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ReportStatus

S = ReportStatus

#: the state of a version when it is asked for
INITIAL = S.QUEUED


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: str


def _t(name: str, sources, target: str, label) -> Transition:
    return Transition(name, frozenset(sources), target, label)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("claim", {S.QUEUED, S.RUNNING}, S.RUNNING, _("Oppakken")),
        _t("produce", {S.RUNNING}, S.READY, _("Maken")),
        _t("release", {S.RUNNING}, S.QUEUED, _("Terug in de wachtrij")),
        # Failing again keeps the latest reason; a ready version is never failed afterwards.
        _t("fail", {S.QUEUED, S.RUNNING, S.FAILED}, S.FAILED, _("Mislukken")),
    )
}


class TransitionNotAllowed(Exception):
    def __init__(self, reason):
        self.reason = str(reason)
        super().__init__(self.reason)


def transition(name: str) -> Transition:
    """The step called ``name``; :class:`TransitionNotAllowed` if there is none."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise TransitionNotAllowed(
            _("Een rapportageversie kent de stap '%(name)s' niet.") % {"name": name}
        )
    return step


def apply(status: str, name: str) -> str:
    """The state step ``name`` leads to from ``status``; the reason when it may not."""
    step = transition(name)
    if status not in step.sources:
        raise TransitionNotAllowed(
            _("'%(label)s' kan niet vanuit de status '%(status)s'.")
            % {"label": step.label, "status": S(status).label if status in S.values else status}
        )
    return step.target
