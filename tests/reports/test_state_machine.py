"""The life of a report version as data: every allowed and every forbidden step, without a
database (reports.lifecycle)."""

import pytest

from reports import lifecycle
from reports.models import ReportStatus as S

ALLOWED = {
    ("claim", S.QUEUED): S.RUNNING,
    ("claim", S.RUNNING): S.RUNNING,  # a running one whose lease ran out (its worker died)
    ("produce", S.RUNNING): S.READY,
    ("release", S.RUNNING): S.QUEUED,
    ("fail", S.QUEUED): S.FAILED,
    ("fail", S.RUNNING): S.FAILED,
    ("fail", S.FAILED): S.FAILED,
}


def test_a_version_is_born_queued():
    assert lifecycle.INITIAL == S.QUEUED


@pytest.mark.parametrize(("step", "status"), sorted(ALLOWED))
def test_allowed_steps_lead_where_the_table_says(step, status):
    assert lifecycle.apply(status, step) == ALLOWED[(step, status)]


FORBIDDEN = sorted(
    (step, status)
    for step in lifecycle.TRANSITIONS
    for status in S.values
    if (step, status) not in ALLOWED
)


def test_every_step_and_state_is_either_allowed_or_forbidden():
    assert len(FORBIDDEN) + len(ALLOWED) == len(lifecycle.TRANSITIONS) * len(S.values)
    assert ("fail", S.READY) in FORBIDDEN  # a ready version is never failed afterwards
    assert ("produce", S.QUEUED) in FORBIDDEN  # only a claimed version is made


@pytest.mark.parametrize(("step", "status"), FORBIDDEN)
def test_forbidden_steps_raise_with_the_reason(step, status):
    with pytest.raises(lifecycle.TransitionNotAllowed) as exc:
        lifecycle.apply(status, step)
    assert str(S(status).label) in exc.value.reason
    assert str(lifecycle.TRANSITIONS[step].label) in exc.value.reason


def test_an_unknown_step_is_refused_with_its_name():
    with pytest.raises(lifecycle.TransitionNotAllowed) as exc:
        lifecycle.apply(S.QUEUED, "publish")
    assert "publish" in exc.value.reason


def test_no_step_leaves_ready():
    assert not [t for t in lifecycle.TRANSITIONS.values() if S.READY in t.sources]
