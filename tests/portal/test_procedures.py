"""Procedures from the provider's side: the published procedures, questions, and the
provider's own submissions per lot (care forms with the coverage rule, declarations, evidence
and requested documents), changed or withdrawn until the deadline and sealed after it."""

import io
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from procurement import services
from procurement.codes import Outcome, ProcedureType, TenderState
from procurement.models import (
    DocumentRequest,
    EligibilityCheck,
    Question,
    Submission,
    SubmissionFile,
)
from tests.procurement.factories import tender

from .conftest import portal_login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bewijs.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def open_tender(world_a, users):
    """A published tender of region A, deadline in ten days, one lot, two requirements and a
    required document (the plan) and an optional one."""
    t = tender(world_a, ProcedureType.TENDER)
    DocumentRequest.objects.create(tender=t, title="Plan van aanpak", required=True, order=1)
    DocumentRequest.objects.create(tender=t, title="Folder", required=False, order=2)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    t.refresh_from_db()
    return t


def admission_tender(world, **kw):
    """A running open house of region A (no deadline: applications are read as they come)."""
    t = tender(world, ProcedureType.OPEN_HOUSE, weights=(), state=TenderState.ADMISSION, **kw)
    t.submission_deadline = None
    t.save(update_fields=["submission_deadline"])
    return t


def url(name, **kwargs):
    return reverse(f"portal:{name}", kwargs=kwargs)


def submit_url(provider, t):
    return url("procedure-submit", provider=provider.pk, tender=t.pk, lot=t.lots.get().pk)


def form_data(t, world, *, declared="yes", plan=True, care_forms=None, **extra):
    data = {"care_forms": [cf.pk for cf in (care_forms or [world.care_form])]}
    for r in t.requirements.all():
        data[f"declared_{r.pk}"] = declared
        data[f"declaration_{r.pk}"] = ""
    if plan:
        data[f"document_{t.document_requests.get(title='Plan van aanpak').pk}"] = pdf("plan.pdf")
    data.update(extra)
    return data


def nothing_saved():
    assert Submission.objects.filter(channel="portal").count() == 0
    assert SubmissionFile.objects.count() == 0


# ---------------------------------------------------------------- the list and the detail


def test_list_shows_the_regions_published_procedures_not_drafts(
    client, world_a, portal, open_tender
):
    portal_login(client, portal.employee)
    page = client.get(url("procedure-list", provider=world_a.provider.pk)).content.decode()
    assert open_tender.reference in page
    assert world_a.proc.tender.reference in page  # published (definitive), read-only
    assert world_a.proc.draft.reference not in page
    assert "open voor inschrijving" in page
    deadline = timezone.localtime(open_tender.submission_deadline)
    assert f"{deadline:%d-%m-%Y %H:%M}" in page


def test_list_of_another_regions_provider_shows_its_own_region(
    client, world_b, portal, open_tender
):
    portal_login(client, portal.other_region_admin)
    page = client.get(url("procedure-list", provider=world_b.provider.pk)).content.decode()
    assert open_tender.reference not in page
    assert (
        client.get(
            url("procedure-detail", provider=world_b.provider.pk, tender=open_tender.pk)
        ).status_code
        == 404
    )


def test_open_house_list_shows_the_next_admission_moment(client, world_a, portal, users):
    t = admission_tender(
        world_a, admission_mode="moments", admission_months=[1, 4, 7, 10], admission_window_days=14
    )
    portal_login(client, portal.admin)
    with time_machine.travel("2026-05-20 10:00 +02:00"):
        page = client.get(url("procedure-list", provider=world_a.provider.pk)).content.decode()
        assert "Volgende toelatingsmoment: 01-07-2026" in page
        # between moments: no application
        response = client.post(submit_url(world_a.provider, t), form_data(t, world_a, plan=False))
        assert "Aanmelden kan alleen op een toelatingsmoment; het volgende is 01-07-2026." in (
            response.content.decode()
        )
        assert not Submission.objects.filter(tender=t).exists()
    with time_machine.travel("2026-07-03 10:00 +02:00"):
        page = client.get(url("procedure-list", provider=world_a.provider.pk)).content.decode()
        assert "Toelatingsmoment open: 01-07-2026 t/m 14-07-2026" in page


def test_detail_shows_documents_requirements_criteria_and_requests(
    client, world_a, portal, open_tender
):
    portal_login(client, portal.admin)
    page = client.get(
        url("procedure-detail", provider=world_a.provider.pk, tender=open_tender.pk)
    ).content.decode()
    for text in ("Ervaring", "Geen fraude", "Criterium 1", "60%", "Plan van aanpak", "Inschrijven"):
        assert text in page


def test_tender_document_is_downloaded_through_the_portal(client, world_a, portal):
    doc = world_a.proc.document
    portal_login(client, portal.employee)
    response = client.get(
        url(
            "procedure-document",
            provider=world_a.provider.pk,
            tender=world_a.proc.tender.pk,
            pk=doc.pk,
        )
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Leidraad"
    # a draft's documents do not exist for a provider
    assert (
        client.get(
            url("procedure-detail", provider=world_a.provider.pk, tender=world_a.proc.draft.pk)
        ).status_code
        == 404
    )


def test_acting_for_a_provider_one_does_not_act_for_is_404(client, world_a, portal, open_tender):
    portal_login(client, portal.admin)
    other = world_a.distant_provider
    for name, kwargs in (
        ("procedure-list", {}),
        ("procedure-detail", {"tender": open_tender.pk}),
        ("procedure-submit", {"tender": open_tender.pk, "lot": open_tender.lots.get().pk}),
    ):
        assert client.get(url(name, provider=other.pk, **kwargs)).status_code == 404
    response = client.post(submit_url(other, open_tender), form_data(open_tender, world_a))
    assert response.status_code == 404
    nothing_saved()


# ---------------------------------------------------------------- questions


def test_question_is_asked_seen_by_the_asker_only_and_published_anonymously(
    client, world_a, portal, open_tender
):
    portal_login(client, portal.admin)
    detail = url("procedure-detail", provider=world_a.provider.pk, tender=open_tender.pk)
    response = client.post(
        url("procedure-question", provider=world_a.provider.pk, tender=open_tender.pk),
        {"text": f"Mag {world_a.provider.name} ook in deel 2?", "reference": "§2"},
    )
    assert response.status_code == 302
    q = Question.objects.get(tender=open_tender)
    assert (q.asked_by, q.source, q.number) == (world_a.provider, "provider", 1)
    assert f"Mag {world_a.provider.name} ook in deel 2?" in client.get(detail).content.decode()
    # another provider of the region does not see it before publication
    portal_login(client, portal.distant_admin)
    other = url("procedure-detail", provider=world_a.distant_provider.pk, tender=open_tender.pk)
    assert "ook in deel 2" not in client.get(other).content.decode()
    # answered and published: everyone reads it, and the nota never names the asker
    services.question_answer(question=q, text="Ja.")
    services.answers_publish(tender=open_tender)
    page = client.get(other).content.decode()
    assert "ook in deel 2" in page and "Ja." in page
    response = client.get(
        url("procedure-nota", provider=world_a.distant_provider.pk, tender=open_tender.pk, number=1)
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "ook in deel 2" in text
    assert world_a.provider.name not in text and "[aanbieder]" in text
    # a nota that was not published is not there
    assert (
        client.get(
            url(
                "procedure-nota",
                provider=world_a.distant_provider.pk,
                tender=open_tender.pk,
                number=2,
            )
        ).status_code
        == 404
    )


def test_question_on_a_closed_procedure_is_refused(client, world_a, portal):
    closed = world_a.proc.tender  # definitively awarded
    portal_login(client, portal.admin)
    response = client.post(
        url("procedure-question", provider=world_a.provider.pk, tender=closed.pk),
        {"text": "Nog een vraag"},
    )
    assert response.status_code == 200
    assert "Vragen stellen kan alleen terwijl de procedure open is." in response.content.decode()
    assert not Question.objects.filter(tender=closed, text="Nog een vraag").exists()


# ---------------------------------------------------------------- submitting


def test_submission_with_declarations_evidence_and_documents(client, world_a, portal, open_tender):
    portal_login(client, portal.admin)
    experience = open_tender.requirements.get(text="Ervaring")
    data = form_data(open_tender, world_a, **{f"evidence_{experience.pk}": pdf("referenties.pdf")})
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        moment = timezone.now()
        response = client.post(submit_url(world_a.provider, open_tender), data)
    sub = Submission.objects.get(tender=open_tender)
    assert response.status_code == 302
    assert response.url == url("procedure-submission", provider=world_a.provider.pk, pk=sub.pk)
    assert (sub.provider, sub.channel, sub.entered_by) == (world_a.provider, "portal", portal.admin)
    assert sub.received_at == moment  # the server's time, never typed
    assert list(sub.care_forms.all()) == [world_a.care_form]
    assert {(c.requirement.text, c.declared) for c in sub.checks.select_related("requirement")} == {
        ("Ervaring", True),
        ("Geen fraude", True),
    }
    files = {f.name: f for f in SubmissionFile.objects.filter(submission=sub)}
    assert set(files) == {"referenties.pdf", "plan.pdf"}
    assert files["referenties.pdf"].requirement == experience
    assert files["plan.pdf"].request.title == "Plan van aanpak"
    assert files["plan.pdf"].uploaded_by == portal.admin
    # stored privately: no URL
    with pytest.raises(ValueError):
        _ = files["plan.pdf"].file.url
    # every provider action is audited, with the acting user
    entry = LogEntry.objects.get_for_object(sub).get(action=LogEntry.Action.CREATE)
    assert entry.actor == portal.admin
    assert LogEntry.objects.get_for_object(files["plan.pdf"]).get().actor == portal.admin
    # the provider reads it and downloads its own file
    page = client.get(response.url).content.decode()
    assert "plan.pdf" in page and "Wijzigen" in page
    download = client.get(
        url(
            "procedure-submission-file",
            provider=world_a.provider.pk,
            pk=sub.pk,
            file=files["plan.pdf"].pk,
        )
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_submission_without_a_required_document_is_incomplete(
    client, world_a, portal, open_tender
):
    portal_login(client, portal.admin)
    response = client.post(
        submit_url(world_a.provider, open_tender), form_data(open_tender, world_a, plan=False)
    )
    assert response.status_code == 200
    assert (
        "&#x27;Plan van aanpak&#x27; ontbreekt: zonder dit document is de inschrijving onvolledig."
        in response.content.decode()
    )
    nothing_saved()


def test_every_requirement_is_declared_and_a_no_is_explained(client, world_a, portal, open_tender):
    portal_login(client, portal.admin)
    fraud = open_tender.requirements.get(text="Geen fraude")
    experience = open_tender.requirements.get(text="Ervaring")
    data = form_data(open_tender, world_a)
    data[f"declared_{fraud.pk}"] = ""
    data[f"declared_{experience.pk}"] = "no"
    page = client.post(submit_url(world_a.provider, open_tender), data).content.decode()
    assert "Verklaar of u voldoet aan &#x27;Geen fraude&#x27;." in page
    assert "Licht toe waarom u niet voldoet aan &#x27;Ervaring&#x27;." in page
    nothing_saved()
    data = form_data(open_tender, world_a)
    data[f"declared_{experience.pk}"] = "no"
    data[f"declaration_{experience.pk}"] = "Wij starten dit jaar."
    assert client.post(submit_url(world_a.provider, open_tender), data).status_code == 302
    check = EligibilityCheck.objects.get(requirement=experience)
    assert (check.declared, check.declaration, check.passed) == (
        False,
        "Wij starten dit jaar.",
        None,
    )


def test_a_file_of_a_refused_type_or_over_the_limit_is_refused(
    client, world_a, portal, open_tender, settings
):
    portal_login(client, portal.admin)
    experience = open_tender.requirements.get(text="Ervaring")
    exe = SimpleUploadedFile("bewijs.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    data = form_data(open_tender, world_a, **{f"evidence_{experience.pk}": exe})
    page = client.post(submit_url(world_a.provider, open_tender), data).content.decode()
    assert "Het bestand bewijs.pdf is geen toegestaan bestandstype" in page
    nothing_saved()
    settings.PORTAL_UPLOAD_MAX_BYTES = 10
    page = client.post(
        submit_url(world_a.provider, open_tender), form_data(open_tender, world_a)
    ).content.decode()
    assert "Het bestand plan.pdf is 1 kB; het maximum is 1 kB." in page
    nothing_saved()


def test_the_coverage_rule_live_and_on_submit(client, world_a, portal, open_tender):
    other_form = world_a.segment.care_forms.create(region=world_a.region, code="X9", name="Crisis")
    portal_login(client, portal.admin)
    lot = open_tender.lots.get()
    check = url(
        "procedure-coverage", provider=world_a.provider.pk, tender=open_tender.pk, lot=lot.pk
    )
    assert client.get(check, {"zorgvorm": [world_a.care_form.pk]}).json() == {
        "ok": True,
        "problems": [],
    }
    answer = client.get(check, {"zorgvorm": [world_a.care_form.pk, other_form.pk]}).json()
    assert answer == {
        "ok": False,
        "problems": ["De inschrijver levert deze jeugdhulpvormen niet: Crisis."],
    }
    # a consortium: against what its members deliver together (the lead delivers the form)
    consortium_check = url(
        "procedure-coverage", provider=world_a.consortium.pk, tender=open_tender.pk, lot=lot.pk
    )
    assert client.get(consortium_check, {"zorgvorm": [world_a.care_form.pk]}).json()["ok"]
    # the server checks again on submit
    page = client.post(
        submit_url(world_a.provider, open_tender),
        form_data(open_tender, world_a, care_forms=[world_a.care_form, other_form]),
    ).content.decode()
    assert "De inschrijver levert deze jeugdhulpvormen niet: Crisis." in page
    nothing_saved()


def test_after_the_deadline_a_submission_is_refused(client, world_a, portal, open_tender):
    with time_machine.travel(open_tender.submission_deadline + timedelta(minutes=1)):
        portal_login(client, portal.admin)
        response = client.post(
            submit_url(world_a.provider, open_tender), form_data(open_tender, world_a)
        )
        deadline = timezone.localtime(open_tender.submission_deadline)
        assert f"De sluitingstermijn ({deadline:%d-%m-%Y %H:%M}) is verstreken." in (
            response.content.decode()
        )
    nothing_saved()


def test_a_second_live_submission_in_the_lot_is_refused(client, world_a, portal, open_tender):
    portal_login(client, portal.admin)
    assert (
        client.post(
            submit_url(world_a.provider, open_tender), form_data(open_tender, world_a)
        ).status_code
        == 302
    )
    page = client.post(
        submit_url(world_a.provider, open_tender), form_data(open_tender, world_a)
    ).content.decode()
    assert f"{world_a.provider.name} heeft in dit perceel al een lopende inschrijving." in page
    assert Submission.objects.filter(tender=open_tender).count() == 1
    assert SubmissionFile.objects.count() == 1


def test_a_consortium_member_does_not_apply_alone_as_well(client, world_a, portal, open_tender):
    world_a.distant_provider.care_forms.add(world_a.care_form)
    # the lead's administrator submits for the consortium
    portal_login(client, portal.admin)
    assert (
        client.post(
            submit_url(world_a.consortium, open_tender), form_data(open_tender, world_a)
        ).status_code
        == 302
    )
    sub = Submission.objects.get(tender=open_tender)
    assert sub.provider == world_a.consortium and sub.entered_by == portal.admin
    # the member that does not lead applies alone
    portal_login(client, portal.distant_admin)
    page = client.post(
        submit_url(world_a.distant_provider, open_tender), form_data(open_tender, world_a)
    ).content.decode()
    member, consortium = world_a.distant_provider.name, world_a.consortium.name
    assert f"{member} schrijft in dit perceel al in via {consortium}" in page
    assert Submission.objects.filter(tender=open_tender).count() == 1


def test_a_consortium_does_not_apply_when_a_member_already_applies_alone(
    client, world_a, portal, open_tender
):
    world_a.distant_provider.care_forms.add(world_a.care_form)
    portal_login(client, portal.distant_admin)
    assert (
        client.post(
            submit_url(world_a.distant_provider, open_tender), form_data(open_tender, world_a)
        ).status_code
        == 302
    )
    portal_login(client, portal.admin)
    page = client.post(
        submit_url(world_a.consortium, open_tender), form_data(open_tender, world_a)
    ).content.decode()
    member, consortium = world_a.distant_provider.name, world_a.consortium.name
    assert f"{consortium} schrijft in dit perceel al in via {member}" in page
    assert Submission.objects.filter(tender=open_tender).count() == 1


# ---------------------------------------------------------------- change, withdraw, seal


@pytest.fixture
def submitted(client, world_a, portal, open_tender):
    portal_login(client, portal.admin)
    client.post(submit_url(world_a.provider, open_tender), form_data(open_tender, world_a))
    return Submission.objects.get(tender=open_tender)


def test_the_provider_changes_its_submission_until_the_deadline(
    client, world_a, portal, open_tender, submitted, django_capture_on_commit_callbacks
):
    sub = submitted
    received = sub.received_at
    plan = SubmissionFile.objects.get(submission=sub)
    old_name = plan.file.name
    experience = open_tender.requirements.get(text="Ervaring")
    change = url("procedure-submission-update", provider=world_a.provider.pk, pk=sub.pk)
    assert client.get(change).status_code == 200
    data = form_data(open_tender, world_a, plan=False)
    data[f"declared_{experience.pk}"] = "no"
    data[f"declaration_{experience.pk}"] = "Nog niet"
    data[f"document_{plan.request_id}"] = pdf("plan-v2.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, data).status_code == 302
    sub.refresh_from_db()
    plan.refresh_from_db()
    assert sub.received_at == received and sub.changed_at is not None
    assert plan.name == "plan-v2.pdf" and plan.file.name != old_name
    assert not plan.file.storage.exists(old_name)  # the replaced file is gone
    assert EligibilityCheck.objects.get(submission=sub, requirement=experience).declared is False
    # after the deadline: sealed, read-only for the provider
    with time_machine.travel(open_tender.submission_deadline + timedelta(seconds=1)):
        portal_login(client, portal.admin)
        response = client.get(change)
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert "Verzegeld." in page and "de inschrijving is verzegeld" in page
        assert "Wijzigen" not in page
        with pytest.raises(Exception) as refused:
            services.submission_change(
                submission=sub, user=portal.admin, care_form_ids=[], declarations={}
            )
        assert "de inschrijving is verzegeld" in str(refused.value)
        response = client.post(
            url("procedure-submission-withdraw", provider=world_a.provider.pk, pk=sub.pk)
        )
        sub.refresh_from_db()
        assert sub.outcome == Outcome.PENDING and sub.is_live


def test_the_provider_withdraws_before_the_deadline(client, world_a, portal, submitted):
    sub = submitted
    response = client.post(
        url("procedure-submission-withdraw", provider=world_a.provider.pk, pk=sub.pk)
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert (sub.outcome, sub.is_live) == (Outcome.WITHDRAWN, False)
    assert sub.outcome_reason == "Ingetrokken door de inschrijver via het aanbiedersportaal."
    # and may submit again
    assert client.get(submit_url(world_a.provider, sub.tender)).status_code == 200


def test_an_application_changes_while_undecided(client, world_a, portal, users):
    t = admission_tender(world_a)
    portal_login(client, portal.admin)
    assert (
        client.post(submit_url(world_a.provider, t), form_data(t, world_a, plan=False)).status_code
        == 302
    )
    sub = Submission.objects.get(tender=t)
    change = url("procedure-submission-update", provider=world_a.provider.pk, pk=sub.pk)
    assert client.get(change).status_code == 200
    # the region reads it at once (no deadline to seal it until)
    assert Submission.objects.visible_to(users.officer).filter(pk=sub.pk).exists()
    services.submission_record_checks(
        submission=sub, rows={c.requirement_id: (True, "") for c in sub.checks.all()}
    )
    services.submission_decide_admission(submission=sub, admit=False, reason="Niet nodig")
    response = client.get(change)
    assert response.status_code == 302
    assert "Deze inschrijving loopt niet meer (Afgewezen)." in (
        client.get(response.url).content.decode()
    )
    # undecided but the procedure's decision came: the same refusal from the service
    refusal = services.submission_change_refusal(submission=sub)
    assert refusal == "Deze inschrijving loopt niet meer (Afgewezen)."


def test_a_provider_never_sees_another_providers_submission(
    client, world_a, portal, open_tender, submitted
):
    sub = submitted
    plan = SubmissionFile.objects.get(submission=sub)
    for person, provider in (
        (portal.distant_admin, world_a.distant_provider),
        (portal.other_region_admin, None),
    ):
        portal_login(client, person)
        provider = provider or person.provider_memberships.get().provider
        for name, kwargs in (
            ("procedure-submission", {"pk": sub.pk}),
            ("procedure-submission-update", {"pk": sub.pk}),
            ("procedure-submission-file", {"pk": sub.pk, "file": plan.pk}),
        ):
            assert client.get(url(name, provider=provider.pk, **kwargs)).status_code == 404
        assert (
            client.post(
                url("procedure-submission-withdraw", provider=provider.pk, pk=sub.pk)
            ).status_code
            == 404
        )
    # the consortium's pages do not show the lead's own submission either
    portal_login(client, portal.admin)
    assert (
        client.get(
            url("procedure-submission", provider=world_a.consortium.pk, pk=sub.pk)
        ).status_code
        == 404
    )
    sub.refresh_from_db()
    assert sub.is_live


def test_the_overview_panel_lists_open_procedures_and_live_submissions(
    client, world_a, portal, open_tender, submitted
):
    page = client.get(url("overview", provider=world_a.provider.pk)).content.decode()
    assert open_tender.reference in page
    assert f"nr. {submitted.number}" in page
