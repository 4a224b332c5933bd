"""The provider's inbox: decision letters, notas van inlichtingen and requests for evidence
reach the provider in the portal (with an e-mail notification that carries nothing of the
content), read receipts are recorded once per user, and a provider never reads another's."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from procurement import documents, letters, services
from procurement.codes import Outcome, ProcedureType
from providers import inbox
from providers.models import EvidenceFile, MessageKind, MessageReceipt, ProviderMessage
from tests.accounts.factories import provider_user
from tests.procurement.factories import pass_all, sas_to_provisional_award, tender
from tests.providers.factories import ProviderFactory, screen_fully

from .conftest import portal_login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_text(message) -> str:
    with message.letter.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def letters_of(sub, kind=None):
    qs = ProviderMessage.objects.filter(submission_id=sub.pk)
    return qs.filter(kind=kind) if kind else qs


def mails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


@pytest.fixture
def decided(world_a, users, django_capture_on_commit_callbacks):
    """An SAS tender at provisional award: Alfa not preselected, Beta and Gamma awarded; each
    provider has one portal user."""
    t, subs, now = sas_to_provisional_award(world_a, users.officer)
    # the services ran at a simulated moment after the deadline; the staff pages read the
    # real clock, so the deadline moves into the past too (the tender is unsealed)
    type(t).objects.filter(pk=t.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    t.refresh_from_db()
    readers = {s.provider.name: provider_user(s.provider, "admin") for s in subs}
    return t, {s.provider.name: s for s in subs}, now, readers


def send_decision(t, officer, now, capture):
    with capture(execute=True):
        services.tender_transition(tender=t, name="start_objection", user=officer, now=now)


# ---------------------------------------------------------------- the award decision


def test_sending_the_award_decision_puts_one_letter_per_submission_in_the_inbox(
    decided, users, django_capture_on_commit_callbacks
):
    t, subs, now, readers = decided
    mail.outbox.clear()
    send_decision(t, users.officer, now, django_capture_on_commit_callbacks)

    for name, outcome_label in (
        ("Alfa", "Niet gepreselecteerd"),
        ("Beta", "Gegund"),
        ("Gamma", "Gegund"),
    ):
        sub = subs[name]
        (message,) = letters_of(sub)
        assert message.kind == MessageKind.PROVISIONAL_AWARD
        assert message.provider_id == sub.provider_id
        assert (message.tender_id, message.sent_by) == (t.pk, users.officer)
        assert message.letter_name == f"voorlopige-gunning-{t.reference}-{sub.number}.pdf"
        text = pdf_text(message)
        assert name in text
        assert "Voorlopige gunningsbeslissing" in text
        assert outcome_label in text
        # one notification per portal user of the provider, with nothing of the letter
        (note,) = mails_to(readers[name])
        assert note.attachments == []
        assert outcome_label not in note.body and outcome_label not in note.subject
        assert message.subject not in note.body and t.reference not in note.body
        assert (
            reverse("portal:inbox-message", kwargs={"provider": sub.provider_id, "pk": message.pk})
            in note.body
        )
    assert len(mail.outbox) == 3

    # The same decision sent again (a retry of the task) adds no letter and no mail.
    assert letters.tender_letters_send(tender=t, letter_kind="provisional") == (3, 0)
    assert ProviderMessage.objects.filter(tender_id=t.pk).count() == 3
    assert len(mail.outbox) == 3


def test_changing_an_outcome_before_the_decision_is_sent_sends_nothing(
    decided, users, django_capture_on_commit_callbacks
):
    t, subs, now, _readers = decided
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_set_outcome(
            submission=subs["Gamma"], outcome=Outcome.NOT_AWARDED, reason="Herzien"
        )
    assert ProviderMessage.objects.count() == 0
    send_decision(t, users.officer, now, django_capture_on_commit_callbacks)
    (message,) = letters_of(subs["Gamma"])
    assert "Niet gegund" in pdf_text(message)


def test_the_definitive_award_sends_awards_and_refusals(
    decided, users, django_capture_on_commit_callbacks
):
    t, subs, now, _readers = decided
    send_decision(t, users.officer, now, django_capture_on_commit_callbacks)
    t.refresh_from_db()
    after = now + timedelta(days=t.objection_days + 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_transition(tender=t, name="award", user=users.officer, now=after)

    (beta,) = letters_of(subs["Beta"], MessageKind.DEFINITIVE_AWARD)
    text = pdf_text(beta)
    assert "Beta" in text and "Definitieve gunning" in text and "definitief aan u" in text
    (alfa,) = letters_of(subs["Alfa"], MessageKind.REFUSAL)
    assert "Alfa" in pdf_text(alfa) and "Niet gepreselecteerd" in pdf_text(alfa)
    assert not letters_of(subs["Alfa"], MessageKind.DEFINITIVE_AWARD).exists()
    # each submission: its provisional letter and one definitive letter or refusal
    for sub in subs.values():
        assert letters_of(sub).count() == 2


def test_a_failing_letter_keeps_the_decision_and_can_be_sent_again(
    client, decided, users, django_capture_on_commit_callbacks, monkeypatch
):
    t, subs, now, _readers = decided

    def broken(*args, **kwargs):
        raise OSError("font cache gone")

    monkeypatch.setattr(documents, "award_letter_pdf", broken)
    send_decision(t, users.officer, now, django_capture_on_commit_callbacks)
    t.refresh_from_db()
    assert t.state == "objection"  # the decision stands
    assert ProviderMessage.objects.count() == 0

    client.force_login(users.officer)
    beta = subs["Beta"]
    page = client.get(beta.get_absolute_url()).content.decode()
    assert "Niet verzonden naar het postvak" in page
    monkeypatch.undo()
    url = reverse(
        "procurement:submission-letter-send",
        kwargs={"region": t.region.slug, "tender": t.pk, "pk": beta.pk, "kind": "provisional"},
    )
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice: still one letter
    (message,) = letters_of(beta)
    assert "Beta" in pdf_text(message)
    page = client.get(beta.get_absolute_url()).content.decode()
    assert "Niet verzonden naar het postvak" not in page


# ---------------------------------------------------------------- admission


def admission_tender(world):
    t = tender(world, ProcedureType.OPEN_HOUSE, weights=None)
    services.tender_transition(tender=t, name="publish")
    return t


def test_admission_and_refusal_letters(world_a, portal, users, django_capture_on_commit_callbacks):
    t = admission_tender(world_a)
    lot = t.lots.get()
    admitted = services.submission_create(
        lot=lot, provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    other = ProviderFactory(region=world_a.region, name="Delta Zorg", forms=[world_a.care_form])
    screen_fully(other)
    refused = services.submission_create(
        lot=lot, provider=other, care_form_ids=[world_a.care_form.pk]
    )
    pass_all(admitted)
    pass_all(refused)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide_admission(
            submission=admitted, admit=True, reason="Voldoet aan alle eisen", user=users.officer
        )
        services.submission_decide_admission(
            submission=refused, admit=False, reason="Geen passend aanbod"
        )
    (yes,) = letters_of(admitted)
    assert yes.kind == MessageKind.ADMISSION
    text = pdf_text(yes)
    assert world_a.provider.name in text and "Toegelaten" in text
    assert "Besluit op uw aanmelding" in text
    (no,) = letters_of(refused)
    assert no.kind == MessageKind.NOT_ADMITTED
    assert "Delta Zorg" in pdf_text(no) and "is afgewezen" in pdf_text(no)
    # world A's provider has two portal users; Delta Zorg none (the letter waits for them)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [portal.admin.email, portal.employee.email]
    )
    # deciding again is refused by procurement; sending again adds nothing
    letters.tender_letters_send(tender=t, letter_kind="admission")
    assert ProviderMessage.objects.filter(tender_id=t.pk).count() == 2


# ---------------------------------------------------------------- nota van inlichtingen


def test_a_published_nota_goes_to_every_provider_of_the_region_with_portal_users(
    world_a, world_b, portal, users, django_capture_on_commit_callbacks
):
    t = tender(world_a)
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    q = services.question_ask(
        tender=t, text=f"Mag {world_a.provider.name} met onderaannemers werken?", provider=None
    )
    services.question_ask(tender=t, text="Vraag van een aanbieder", provider=world_a.provider)
    services.question_answer(question=q, text="Ja.")
    services.question_answer(question=t.questions.get(number=2), text="Nee.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.answers_publish(tender=t) == 1
    notas = ProviderMessage.objects.filter(kind=MessageKind.QNA, tender_id=t.pk)
    # world A's provider and its distant provider have portal users; the consortium reads
    # through its lead; world B's provider is of another region
    assert set(notas.values_list("provider", flat=True)) == {
        world_a.provider.pk,
        world_a.distant_provider.pk,
    }
    text = pdf_text(notas.first())
    assert "Nota van inlichtingen nr. 1" in text
    assert "onderaannemers" in text
    assert world_a.provider.name not in text  # the asker stays anonymous
    assert len(mail.outbox) == 3  # admin, employee and the distant provider's admin
    assert letters.qna_nota_send(tender=t, number=1) == 0  # once per provider


# ---------------------------------------------------------------- reading in the portal


def a_letter(provider, **kw):
    kw.setdefault("kind", MessageKind.PROVISIONAL_AWARD)
    return inbox.provider_message_send(
        provider=provider,
        subject=kw.pop("subject", "Voorlopige gunningsbeslissing T-1"),
        body="Bijgaand onze brief.",
        file_bytes=PDF,
        file_name="brief.pdf",
        **kw,
    )


def test_read_receipts_are_recorded_once_per_user(client, world_a, portal):
    message = a_letter(world_a.provider)
    own = {"provider": world_a.provider.pk}
    inbox_url = reverse("portal:inbox", kwargs=own)
    url = reverse("portal:inbox-message", kwargs={**own, "pk": message.pk})

    portal_login(client, portal.admin)
    page = client.get(inbox_url).content.decode()
    assert "inbox__unread" in page and "1 ongelezen bericht" in page
    overview = client.get(reverse("portal:overview", kwargs=own)).content.decode()
    assert message.subject in overview
    assert client.get(url).status_code == 200
    first = MessageReceipt.objects.get(message=message, user=portal.admin).read_at
    assert client.get(url).status_code == 200
    letter = client.get(reverse("portal:inbox-letter", kwargs={**own, "pk": message.pk}))
    assert letter.status_code == 200 and b"".join(letter.streaming_content) == PDF
    assert MessageReceipt.objects.filter(message=message).count() == 1
    assert MessageReceipt.objects.get(message=message, user=portal.admin).read_at == first
    page = client.get(inbox_url).content.decode()
    assert "inbox__unread" not in page and "0 ongelezen berichten" in page

    portal_login(client, portal.employee)
    assert "inbox__unread" in client.get(inbox_url).content.decode()  # unread per user
    client.get(url)
    assert set(MessageReceipt.objects.values_list("user", flat=True)) == {
        portal.admin.pk,
        portal.employee.pk,
    }


def test_the_inbox_filters_by_kind(client, world_a, portal):
    a_letter(world_a.provider, subject="Brief een")
    a_letter(world_a.provider, kind=MessageKind.QNA, subject="Nota twee")
    portal_login(client, portal.employee)
    url = reverse("portal:inbox", kwargs={"provider": world_a.provider.pk})
    page = client.get(url, {"soort": "qna"}).content.decode()
    assert "Nota twee" in page and "Brief een" not in page
    page = client.get(url).content.decode()
    assert "Nota twee" in page and "Brief een" in page


def test_a_provider_never_reads_another_providers_message(client, world_a, world_b, portal):
    mine = a_letter(world_a.provider)
    theirs = a_letter(world_a.distant_provider)
    far = a_letter(world_b.provider)
    own = {"provider": world_a.provider.pk}
    portal_login(client, portal.admin)
    for message in (theirs, far):
        for name in ("portal:inbox-message", "portal:inbox-letter"):
            # under one's own provider, and under the other's provider in the URL
            for provider in (world_a.provider.pk, message.provider_id):
                url = reverse(name, kwargs={"provider": provider, "pk": message.pk})
                assert client.get(url).status_code == 404, url
    assert MessageReceipt.objects.filter(message__in=[theirs, far]).count() == 0
    assert (
        client.get(
            reverse("portal:inbox", kwargs={"provider": world_a.distant_provider.pk})
        ).status_code
        == 404
    )
    portal_login(client, portal.distant_admin)
    url = reverse("portal:inbox-message", kwargs={**own, "pk": mine.pk})
    assert client.get(url).status_code == 404
    url = reverse(
        "portal:inbox-message", kwargs={"provider": world_a.distant_provider.pk, "pk": mine.pk}
    )
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse(
                "portal:inbox-message", kwargs={"provider": theirs.provider_id, "pk": theirs.pk}
            )
        ).status_code
        == 200
    )


def test_a_consortiums_messages_are_read_by_its_leads_users(client, world_a, portal):
    mail.outbox.clear()
    with_consortium = {"provider": world_a.consortium.pk}
    message = a_letter(world_a.consortium)
    portal_login(client, portal.admin)
    url = reverse("portal:inbox-message", kwargs={**with_consortium, "pk": message.pk})
    assert client.get(url).status_code == 200
    # not under the lead's own inbox
    url = reverse(
        "portal:inbox-message", kwargs={"provider": world_a.provider.pk, "pk": message.pk}
    )
    assert client.get(url).status_code == 404
    portal_login(client, portal.distant_admin)  # a member that does not lead
    url = reverse("portal:inbox-message", kwargs={**with_consortium, "pk": message.pk})
    assert client.get(url).status_code == 404


def test_the_notification_goes_to_the_leads_users_for_a_consortium(
    world_a, portal, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        a_letter(world_a.consortium, subject="Definitieve gunning GEHEIM-7")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [portal.admin.email, portal.employee.email]
    )
    for m in mail.outbox:
        assert "GEHEIM-7" not in m.body and "GEHEIM-7" not in m.subject
        assert "Bijgaand onze brief" not in m.body and m.attachments == []
        assert world_a.consortium.name in m.body


# ---------------------------------------------------------------- requests for evidence


@pytest.fixture
def submission(world_a):
    """World A's provider's submission in an SAS tender past its deadline."""
    return world_a.proc.submission


def request_url(sub, name="procurement:submission-evidence-request", **extra):
    return reverse(
        name,
        kwargs={"region": sub.tender.region.slug, "tender": sub.tender_id, "pk": sub.pk, **extra},
    )


def test_evidence_is_requested_answered_and_read_by_the_officer(
    client, world_a, portal, users, submission, django_capture_on_commit_callbacks
):
    sub = submission
    due = timezone.localdate() + timedelta(days=7)
    client.force_login(users.officer)
    response = client.post(request_url(sub), {"text": "", "due_on": ""})
    assert response.status_code == 200
    assert "Dit veld is vereist." in response.content.decode()
    response = client.post(
        request_url(sub),
        {"text": "Stuur uw VOG", "due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert "De uiterste datum ligt in het verleden." in response.content.decode()
    assert not ProviderMessage.objects.exists()
    response = client.post(
        request_url(sub), {"text": "Stuur uw VOG en KvK-uittreksel", "due_on": due.isoformat()}
    )
    assert response.status_code == 302
    request = ProviderMessage.objects.get()
    assert (request.kind, request.due_on, request.submission_id, request.provider) == (
        MessageKind.EVIDENCE_REQUEST,
        due,
        sub.pk,
        world_a.provider,
    )

    own = {"provider": world_a.provider.pk, "pk": request.pk}
    answer_url = reverse("portal:inbox-answer", kwargs=own)
    portal_login(client, portal.employee)
    page = client.get(reverse("portal:inbox-message", kwargs=own)).content.decode()
    assert "Stuur uw VOG en KvK-uittreksel" in page
    bad = SimpleUploadedFile("vog.txt", b"gewone tekst", content_type="text/plain")
    response = client.post(answer_url, {"note": "Zie bijlage", "files": [bad]})
    assert response.status_code == 200
    assert "vog.txt is geen toegestaan bestandstype" in response.content.decode()
    assert not EvidenceFile.objects.exists() and not request.answers.exists()
    good = SimpleUploadedFile("vog.pdf", PDF, content_type="application/pdf")
    also = SimpleUploadedFile("kvk.pdf", PDF, content_type="application/pdf")
    users.officer.email = "inkoper@regio.example"
    users.officer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url, {"note": "Zie bijlagen", "files": [good, also]})
    assert response.status_code == 302
    # the officer who asked is told, with a link to the submission page
    (told,) = mail.outbox
    assert told.to == ["inkoper@regio.example"]
    assert told.subject == f"Bewijsstukken ontvangen van {world_a.provider.name}"
    assert "met 2 bestanden" in told.body
    assert sub.get_absolute_url() in told.body
    (answer,) = request.answers.all()
    assert (answer.note, answer.answered_by) == ("Zie bijlagen", portal.employee)
    assert sorted(answer.files.values_list("name", flat=True)) == ["kvk.pdf", "vog.pdf"]
    stored = answer.files.get(name="vog.pdf")
    own_file = reverse("portal:inbox-answer-file", kwargs={**own, "file": stored.pk})
    assert b"".join(client.get(own_file).streaming_content) == PDF

    # another provider reaches neither the request nor the file
    portal_login(client, portal.distant_admin)
    assert client.get(answer_url).status_code == 404
    assert client.get(own_file).status_code == 404

    # the officer sees the answer, its files and who read the request
    client.force_login(users.officer)
    page = client.get(sub.get_absolute_url()).content.decode()
    assert "Zie bijlagen" in page and "vog.pdf" in page and "kvk.pdf" in page
    assert "Eric Werk" in page  # the employee read the request
    file_url = request_url(sub, "procurement:submission-evidence-file", file=stored.pk)
    assert b"".join(client.get(file_url).streaming_content) == PDF
    client.force_login(users.other_region_officer)
    assert client.get(file_url).status_code == 404


def test_a_refusing_mail_server_keeps_the_answer(
    world_a, portal, users, submission, django_capture_on_commit_callbacks, monkeypatch
):
    users.officer.email = "inkoper@regio.example"
    users.officer.save()
    request = inbox.evidence_request_send(
        provider=world_a.provider,
        subject="Verzoek",
        body="Stuur de VOG",
        due_on=timezone.localdate(),
        submission_id=submission.pk,
        tender_id=submission.tender_id,
        sent_by=users.officer,
    )

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(inbox, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        answer = inbox.evidence_answer_submit(
            message=request, note="Zie bijlage", files=[], answered_by=portal.admin
        )
    assert request.answers.get() == answer  # stored; the notification is only logged


def test_no_answer_after_the_deadline(world_a, portal, submission):
    request = inbox.evidence_request_send(
        provider=world_a.provider,
        subject="Verzoek",
        body="Stuur de VOG",
        due_on=timezone.localdate(),
        submission_id=submission.pk,
    )
    late = timezone.localdate() + timedelta(days=1)
    with pytest.raises(Exception) as err:
        inbox.evidence_answer_submit(
            message=request, note="Te laat", files=[], answered_by=portal.admin, today=late
        )
    assert err.value.messages == [
        f"De termijn voor dit verzoek is verstreken op {timezone.localdate():%d-%m-%Y}."
    ]
    assert not request.answers.exists()


def test_staff_see_which_letters_went_out_and_who_read_them(
    client, world_a, portal, users, submission
):
    message = a_letter(
        world_a.provider, submission_id=submission.pk, tender_id=submission.tender_id
    )
    unread = a_letter(
        world_a.provider,
        kind=MessageKind.DEFINITIVE_AWARD,
        subject="Definitieve gunning SAS",
        submission_id=submission.pk,
    )
    inbox.provider_message_read(message=message, user=portal.admin)
    receipt = MessageReceipt.objects.get()
    client.force_login(users.officer)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Postvak van de aanbieder" in page
    assert message.subject in page and unread.subject in page
    assert f"Anna Admin · {timezone.localtime(receipt.read_at):%d-%m-%Y %H:%M}" in page
    assert "nog niet gelezen" in page
    # staff opening nothing in the portal leave no receipt
    assert inbox.provider_message_read(message=unread, user=users.officer) is None


def test_the_inbox_list_query_count_does_not_grow_with_messages(client, world_a, portal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    portal_login(client, portal.admin)
    url = reverse("portal:inbox", kwargs={"provider": world_a.provider.pk})

    def queries():
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        a_letter(world_a.provider, subject=f"Brief {i}")
    few = queries()
    for i in range(2, 12):
        a_letter(world_a.provider, subject=f"Brief {i}")
    assert queries() == few


def test_the_qna_page_shows_to_how_many_providers_a_nota_went_and_who_opened_it(
    client, world_a, portal, users, django_capture_on_commit_callbacks
):
    t = services.tender_transition(tender=tender(world_a), name="publish", user=users.officer)
    q = services.question_ask(tender=t, text="Is er een informatiebijeenkomst?")
    services.question_answer(question=q, text="Nee.")
    with django_capture_on_commit_callbacks(execute=True):
        services.answers_publish(tender=t)
    nota = ProviderMessage.objects.get(kind=MessageKind.QNA, provider=world_a.provider)
    inbox.provider_message_read(message=nota, user=portal.employee)
    client.force_login(users.officer)
    url = reverse("procurement:qna", kwargs={"region": world_a.region.slug, "tender": t.pk})
    page = client.get(url).content.decode()
    assert "in het postvak van 2 aanbieders, door 1 geopend" in page
    client.force_login(users.municipal)  # not confidential: no delivery figures
    assert "in het postvak van" not in client.get(url).content.decode()
