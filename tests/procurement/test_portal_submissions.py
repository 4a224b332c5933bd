"""The service rules of a provider's own submission (``submission_submit``,
``submission_change``, ``submission_withdraw_by_provider``); the pages are tested in
tests/portal/test_procedures.py."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from procurement import services
from procurement.codes import Outcome, ProcedureType
from procurement.models import DocumentRequest, Submission, SubmissionFile
from tests.accounts.factories import provider_user
from tests.procurement.factories import tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world_a, users):
    t = tender(world_a, ProcedureType.TENDER)
    plan = DocumentRequest.objects.create(tender=t, title="Plan van aanpak", required=True)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    t.refresh_from_db()
    return t, plan, provider_user(world_a.provider, "employee")


def declared(t, value=True, text=""):
    return {r.pk: (value, text) for r in t.requirements.all()}


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 plan", content_type="application/pdf")


def submit(world, t, person, **kw):
    kw.setdefault("declarations", declared(t))
    return services.submission_submit(
        lot=t.lots.get(),
        provider=kw.pop("provider", world.provider),
        user=person,
        care_form_ids=kw.pop("care_form_ids", [world.care_form.pk]),
        **kw,
    )


def test_a_user_submits_only_for_a_provider_it_acts_for(world_a, setup):
    t, plan, person = setup
    with pytest.raises(PermissionDenied):
        submit(world_a, t, person, provider=world_a.distant_provider, documents={plan.pk: pdf()})
    assert not Submission.objects.filter(tender=t).exists()


def test_a_portal_submission_takes_the_servers_time_never_a_typed_one(world_a, setup):
    t, plan, person = setup
    with pytest.raises(ValueError):
        services.submission_create(
            lot=t.lots.get(),
            provider=world_a.provider,
            care_form_ids=[world_a.care_form.pk],
            at=t.submission_deadline - timedelta(days=20),
            channel="portal",
            entered_by=person,
        )


def test_every_error_at_once_and_nothing_saved(world_a, setup):
    t, plan, person = setup
    first = t.requirements.order_by("order").first()
    bad = SimpleUploadedFile("x.pdf", b"no pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        submit(
            world_a,
            t,
            person,
            declarations={first.pk: (False, " ")},
            evidence={first.pk: bad},
            care_form_ids=[],
        )
    errors = refused.value.message_dict
    assert set(errors) == {
        f"declaration_{first.pk}",
        f"declared_{t.requirements.order_by('order').last().pk}",
        f"evidence_{first.pk}",
        f"document_{plan.pk}",
    }
    assert errors[f"document_{plan.pk}"] == [
        "'Plan van aanpak' ontbreekt: zonder dit document is de inschrijving onvolledig."
    ]
    assert not Submission.objects.filter(tender=t).exists()
    assert not SubmissionFile.objects.exists()


def test_change_keeps_the_receipt_time_and_the_seal_closes_it(world_a, setup):
    t, plan, person = setup
    sub = submit(world_a, t, person, documents={plan.pk: pdf()})
    received = sub.received_at
    # a required document already uploaded need not be uploaded again
    changed = services.submission_change(
        submission=sub,
        user=person,
        care_form_ids=[world_a.care_form.pk],
        declarations=declared(t, False, "Nog niet"),
    )
    assert changed.received_at == received and changed.changed_at >= received
    assert set(changed.checks.values_list("declared", "declaration")) == {(False, "Nog niet")}
    with time_machine.travel(t.submission_deadline):
        with pytest.raises(ValidationError) as refused:
            services.submission_change(
                submission=sub,
                user=person,
                care_form_ids=[world_a.care_form.pk],
                declarations=declared(t),
            )
        assert "is verstreken; de inschrijving is verzegeld." in refused.value.messages[0]
        with pytest.raises(ValidationError):
            services.submission_withdraw_by_provider(submission=sub, user=person)
    sub.refresh_from_db()
    assert sub.is_live and sub.outcome == Outcome.PENDING
    assert set(sub.checks.values_list("declared", flat=True)) == {False}


def test_withdrawn_by_the_provider_until_the_deadline(world_a, setup):
    t, plan, person = setup
    sub = submit(world_a, t, person, documents={plan.pk: pdf()})
    services.submission_withdraw_by_provider(submission=sub, user=person)
    sub.refresh_from_db()
    assert (sub.outcome, sub.is_live) == (Outcome.WITHDRAWN, False)
    with pytest.raises(ValidationError) as refused:
        services.submission_withdraw_by_provider(submission=sub, user=person)
    assert refused.value.messages == ["Deze inschrijving loopt niet meer (Ingetrokken)."]
