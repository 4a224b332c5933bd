"""Escalation steps: order, one heavier step at a time, closing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from monitoring.models import Escalation
from monitoring.steering.services import escalation_close, escalation_current, escalation_start
from tests.providers.factories import ProviderFactory
from tests.segments.factories import RegionFactory


@pytest.fixture
def provider(db):
    return ProviderFactory(region=RegionFactory(slug="regio-esc"), name="Zorg Esc")


def start(provider, step, day, reason="Wachttijd al drie maanden rood", **kwargs):
    return escalation_start(
        provider=provider, step=step, started_on=day, reason=reason, user=None, **kwargs
    )


def message(error) -> str:
    return " ".join(error.value.messages)


def test_steps_escalate_and_close_the_lighter_one(provider):
    dialogue = start(provider, "dialogue", date(2025, 3, 1))
    assert escalation_current(provider) == dialogue
    assert dialogue.region_id == provider.region_id
    plan = start(provider, "improvement_plan", date(2025, 4, 15))
    dialogue.refresh_from_db()
    assert dialogue.closed_on == date(2025, 4, 15)
    assert dialogue.outcome == "Opgeschaald naar verbeterplan"
    assert escalation_current(provider) == plan
    # skipping a step is allowed: audit while the plan is open closes the plan
    audit = start(provider, "audit", date(2025, 6, 1))
    plan.refresh_from_db()
    assert (plan.closed_on, plan.outcome) == (date(2025, 6, 1), "Opgeschaald naar audit")
    assert escalation_current(provider) == audit
    assert Escalation.objects.filter(provider=provider, closed_on__isnull=True).count() == 1


def test_a_new_step_must_be_heavier_than_the_open_one(provider):
    start(provider, "improvement_plan", date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        start(provider, "dialogue", date(2025, 4, 1))
    assert "'Verbeterplan' (sinds 01-03-2025) is nog open" in message(error)
    with pytest.raises(ValidationError) as error:
        start(provider, "improvement_plan", date(2025, 4, 1))
    assert "Verbeterplan" in message(error)
    assert Escalation.objects.count() == 1


def test_heavier_step_cannot_start_before_the_open_one(provider):
    start(provider, "dialogue", date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        start(provider, "audit", date(2025, 2, 1))
    assert "begon op 01-03-2025" in message(error)
    assert escalation_current(provider).step == "dialogue"
    assert escalation_current(provider).closed_on is None


def test_start_needs_a_reason_a_known_step_and_the_region(provider):
    with pytest.raises(ValidationError) as error:
        start(provider, "dialogue", date(2025, 3, 1), reason="  ")
    assert error.value.message_dict == {"reason": ["Beschrijf de aanleiding voor deze stap."]}
    with pytest.raises(ValidationError) as error:
        start(provider, "boete", date(2025, 3, 1))
    assert "step" in error.value.message_dict
    other = RegionFactory(slug="andere-regio")
    with pytest.raises(ValidationError) as error:
        start(provider, "dialogue", date(2025, 3, 1), region=other)
    assert error.value.message_dict == {"provider": ["Deze aanbieder hoort bij een andere regio."]}
    start(provider, "dialogue", date(2025, 3, 1), region=provider.region)
    assert escalation_current(provider) is not None


def test_close(provider):
    plan = start(provider, "improvement_plan", date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        escalation_close(escalation=plan, closed_on=date(2025, 2, 28), outcome="Klaar", user=None)
    assert "closed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        escalation_close(escalation=plan, closed_on=date(2025, 5, 1), outcome="", user=None)
    assert "outcome" in error.value.message_dict
    closed = escalation_close(
        escalation=plan, closed_on=date(2025, 5, 1), outcome="Plan uitgevoerd", user=None
    )
    assert (closed.closed_on, closed.outcome) == (date(2025, 5, 1), "Plan uitgevoerd")
    assert escalation_current(provider) is None
    with pytest.raises(ValidationError) as error:
        escalation_close(escalation=plan, closed_on=date(2025, 6, 1), outcome="Nog eens", user=None)
    assert "al afgesloten op 01-05-2025" in message(error)
    # all closed: any step may start again, also a lighter one
    again = start(provider, "dialogue", date(2025, 9, 1))
    assert escalation_current(provider) == again


def test_same_day_escalation(provider):
    dialogue = start(provider, "dialogue", date(2025, 3, 1))
    start(provider, "sanction", date(2025, 3, 1))
    dialogue.refresh_from_db()
    assert dialogue.closed_on == date(2025, 3, 1)
    assert dialogue.outcome == "Opgeschaald naar sanctie of uitsluiting"
