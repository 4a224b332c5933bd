"""Sealed tenders: before the deadline no one of the region reads a submission (who, what,
declarations, files, scores) — only that one was received — through every page that reads
them with ``restrict()``; after the deadline they do. And the officer's paper form: the
receipt date is today or earlier, and the submission is marked as entered by staff."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.codes import ProcedureType, TenderState
from procurement.models import (
    DocumentRequest,
    EligibilityCheck,
    Submission,
    SubmissionFile,
)
from tests.accounts.factories import provider_user
from tests.procurement.factories import tender
from tests.procurement.test_pages import setup_post_data

pytestmark = pytest.mark.django_db


def url(name, w, **kw):
    return reverse(f"procurement:{name}", kwargs={"region": w.region.slug, **kw})


@pytest.fixture
def sealed(world_a, users):
    """A published tender (deadline in ten days) with one portal submission of the world's
    provider, with a file."""
    t = tender(world_a, ProcedureType.TENDER)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    t.refresh_from_db()
    person = provider_user(world_a.provider, "admin")
    sub = services.submission_submit(
        lot=t.lots.get(),
        provider=world_a.provider,
        user=person,
        care_form_ids=[world_a.care_form.pk],
        declarations={r.pk: (True, "") for r in t.requirements.all()},
    )
    row = SubmissionFile(
        submission=sub,
        requirement=t.requirements.first(),
        name="bewijs.pdf",
        size=8,
        uploaded_at=timezone.now(),
    )
    row.file.save("bewijs.pdf", ContentFile(b"%PDF-1.4"), save=False)
    row.save()
    return t, sub, row, person


def test_restrict_hides_a_sealed_submission_from_every_region_role_and_superusers(
    world_a, users, sealed
):
    t, sub, row, person = sealed
    for user in (users.officer, users.contract_manager, users.viewer, users.superuser):
        assert not Submission.objects.visible_to(user).filter(pk=sub.pk).exists()
        assert not Submission.objects.editable_by(user).filter(pk=sub.pk).exists()
        assert not EligibilityCheck.objects.visible_to(user).filter(submission=sub).exists()
        assert not SubmissionFile.objects.visible_to(user).filter(pk=row.pk).exists()
    # its own provider still reads it
    assert Submission.objects.visible_to(person).filter(pk=sub.pk).exists()
    assert SubmissionFile.objects.visible_to(person).filter(pk=row.pk).exists()
    with time_machine.travel(t.submission_deadline):  # the deadline itself lifts the seal
        for user in (users.officer, users.viewer, users.superuser):
            assert Submission.objects.visible_to(user).filter(pk=sub.pk).exists()
            assert EligibilityCheck.objects.visible_to(user).filter(submission=sub).count() == 2
            assert SubmissionFile.objects.visible_to(user).filter(pk=row.pk).exists()


def test_staff_pages_show_only_that_a_sealed_submission_was_received(
    client, world_a, users, sealed
):
    t, sub, row, person = sealed
    client.force_login(users.officer)
    deadline = f"{timezone.localtime(t.submission_deadline):%d-%m-%Y %H:%M}"
    page = client.get(url("submission-list", world_a, tender=t.pk)).content.decode()
    assert f"1 inschrijving ontvangen, verzegeld tot {deadline}" in page
    assert f"{timezone.localtime(sub.received_at):%d-%m-%Y %H:%M}" in page
    assert world_a.provider.name not in page
    page = client.get(url("tender-detail", world_a, pk=t.pk)).content.decode()
    assert f"1 inschrijving ontvangen, verzegeld tot {deadline}" in page
    assert world_a.provider.name not in page
    detail = url("submission-detail", world_a, tender=t.pk, pk=sub.pk)
    download = url("submission-file", world_a, tender=t.pk, pk=sub.pk, file=row.pk)
    assert client.get(detail).status_code == 404
    assert client.get(download).status_code == 404
    assert client.get(url("submission-score", world_a, tender=t.pk, pk=sub.pk)).status_code == 404
    with time_machine.travel(t.submission_deadline + timedelta(minutes=1)):
        client.force_login(users.officer)
        page = client.get(url("submission-list", world_a, tender=t.pk)).content.decode()
        assert "verzegeld" not in page and world_a.provider.name in page
        page = client.get(detail).content.decode()
        assert world_a.provider.name in page and "bewijs.pdf" in page
        assert "aanbiedersportaal" in page and person.get_full_name() in page
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4"


def test_an_admission_procedure_is_not_sealed(world_a, users):
    t = tender(world_a, ProcedureType.OPEN_HOUSE, weights=(), state=TenderState.ADMISSION)
    # even with a deadline recorded, an admission reads its applications as they come
    assert t.submission_deadline > timezone.now() and not t.is_sealed()
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    assert Submission.objects.visible_to(users.officer).filter(pk=sub.pk).exists()


# ---------------------------------------------------------------- the paper form


def test_a_staff_receipt_date_in_the_future_is_refused_by_the_service(world_a, users):
    t = tender(world_a, ProcedureType.TENDER)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    tomorrow = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.submission_create(
            lot=t.lots.get(),
            provider=world_a.provider,
            care_form_ids=[world_a.care_form.pk],
            at=tomorrow,
            entered_by=users.officer,
        )
    assert refused.value.message_dict == {
        "received_at": [
            f"De ontvangstdatum {timezone.localtime(tomorrow):%d-%m-%Y %H:%M} ligt in de "
            "toekomst; een inschrijving op papier is vandaag of eerder ontvangen."
        ]
    }
    assert not Submission.objects.filter(tender=t).exists()


def test_an_open_house_application_cannot_be_dated_past_a_moment(client, world_a, users):
    """The bug from the issue: a receipt date typed in the future got an application past its
    admission moment."""
    t = tender(
        world_a,
        ProcedureType.OPEN_HOUSE,
        weights=(),
        state=TenderState.ADMISSION,
        admission_mode="moments",
        admission_months=[1, 4, 7, 10],
        admission_window_days=14,
    )
    client.force_login(users.officer)
    with time_machine.travel("2026-05-20 10:00 +02:00"):
        client.force_login(users.officer)
        response = client.post(
            url("submission-create", world_a, tender=t.pk),
            {
                "lot": t.lots.get().pk,
                "provider": world_a.provider.pk,
                "care_forms": [world_a.care_form.pk],
                "received_at": "2026-07-02T10:00",
            },
        )
    assert response.status_code == 200
    assert (
        "De ontvangstdatum 02-07-2026 10:00 ligt in de toekomst; een inschrijving op papier is "
        "vandaag of eerder ontvangen." in response.content.decode()
    )
    assert not Submission.objects.filter(tender=t).exists()


def test_a_paper_submission_is_marked_as_entered_by_staff(client, world_a, users):
    t = tender(world_a, ProcedureType.TENDER)
    services.tender_transition(tender=t, name="publish", user=users.officer)
    t.refresh_from_db()
    client.force_login(users.officer)
    yesterday = timezone.localtime() - timedelta(days=1)
    response = client.post(
        url("submission-create", world_a, tender=t.pk),
        {
            "lot": t.lots.get().pk,
            "provider": world_a.provider.pk,
            "care_forms": [world_a.care_form.pk],
            "received_at": f"{yesterday:%Y-%m-%dT%H:%M}",
        },
    )
    sub = Submission.objects.get(tender=t)
    # sealed until the deadline, also for the officer who typed it in
    assert response.status_code == 302
    assert response.url == url("submission-list", world_a, tender=t.pk)
    assert (sub.channel, sub.entered_by) == ("paper", users.officer)
    assert f"{timezone.localtime(sub.received_at):%d-%m-%Y %H:%M}" == f"{yesterday:%d-%m-%Y %H:%M}"
    assert sub.entered_at is not None
    with time_machine.travel(t.submission_deadline + timedelta(minutes=1)):
        client.force_login(users.officer)
        page = client.get(sub.get_absolute_url()).content.decode()
    name = users.officer.get_full_name() or users.officer.username
    entered = f"{timezone.localtime(sub.entered_at):%d-%m-%Y %H:%M}"
    assert "ingevoerd door de regio" in page and f"door {name} op {entered}" in page


# ---------------------------------------------------------------- requested documents


def test_the_officer_lists_the_documents_a_procedure_asks_for(client, world_a, users):
    t = tender(world_a, ProcedureType.TENDER)
    client.force_login(users.officer)
    page = client.get(url("tender-setup", world_a, pk=t.pk))
    data = setup_post_data(page, criteria=2)  # the two criteria as they are
    data["docs-TOTAL_FORMS"] = 1
    data["docs-0-order"] = "1"
    data["docs-0-title"] = "Plan van aanpak"
    data["docs-0-required"] = "on"
    response = client.post(url("tender-setup", world_a, pk=t.pk), data)
    assert response.status_code == 302, response.context and response.context["sets"]
    assert list(DocumentRequest.objects.filter(tender=t).values_list("title", "required")) == [
        ("Plan van aanpak", True)
    ]
    # fixed once published
    services.tender_transition(tender=t, name="publish", user=users.officer)
    t.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.tender_setup_save(
            tender=t, milestones=[], document_requests=[{"title": "Nog een", "order": 2}]
        )
    assert "gevraagde documenten liggen vast" in refused.value.messages[0]


# ---------------------------------------------------------------- downloads


def download(client, page, fmt="csv", **query):
    """The page's download (``?export=<fmt>&tabel=<table>``) as CSV rows, or the xlsx bytes."""
    import csv
    import io

    response = client.get(page, {"export": fmt, **query})
    assert response.status_code == 200, page
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        return body
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def xlsx_text(body: bytes) -> str:
    """Every cell of an .xlsx file, as one text."""
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return " ".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )


def test_a_sealed_tenders_submission_download_holds_only_the_receipts(
    client, world_a, users, sealed
):
    t, sub, row, person = sealed
    client.force_login(users.officer)
    page = url("submission-list", world_a, tender=t.pk)
    links = client.get(page).context["exports"]
    assert list(links) == ["inschrijvingen"]
    received = timezone.localtime(sub.received_at)
    rows = download(client, page, tabel="inschrijvingen")
    assert rows == [["Nr.", "Ontvangen"], [str(sub.number), f"{received:%Y-%m-%d %H:%M}"]]
    secrets = (world_a.provider.name, world_a.care_form.name, "bewijs.pdf", person.username)
    text = " ".join(c for r in rows for c in r)
    workbook = xlsx_text(download(client, page, "xlsx", tabel="inschrijvingen"))
    for secret in secrets:
        assert secret not in text and secret not in workbook, secret
    assert str(sub.number) in workbook
    # the outcome filter does not open the seal
    assert download(client, page, tabel="inschrijvingen", uitkomst="pending") == rows
    with time_machine.travel(t.submission_deadline + timedelta(minutes=1)):
        client.force_login(users.officer)
        header, *lines = download(client, page, tabel="inschrijvingen")
        assert header == [
            "Nr.",
            "Inschrijver",
            "Samenwerkingsverband",
            "Perceel",
            "Ontvangen",
            "Geschikt",
            "Score",
            "Rang",
            "Gepreselecteerd",
            "Uitkomst",
        ]
        assert lines == [
            [
                str(sub.number),
                world_a.provider.name,
                "nee",
                "1",
                f"{received:%Y-%m-%d %H:%M}",
                "open",
                "",
                "",
                "nee",
                "In behandeling",
            ]
        ]
        assert world_a.provider.name in xlsx_text(
            download(client, page, "xlsx", tabel="inschrijvingen")
        )
        # the page's outcome filter applies
        assert download(client, page, tabel="inschrijvingen", uitkomst="awarded") == [header]


def test_a_sealed_tenders_ranking_download_has_no_rows_until_the_deadline(client, world_a, users):
    """Scored submissions of a tender whose deadline is still ahead (the factory walks the
    procedure with a clock past the deadline): neither the ranking page nor its download shows
    them until the deadline; from then on the download is the page's table, hand-computed:
    weights 60/40 on a scale of 10, Beta 8/8 = 80, Gamma 8/5 = 48 + 20 = 68, Alfa 6/8 = 36 +
    32 = 68 (Gamma before Alfa on the heaviest criterion); the best two are preselected."""
    from tests.procurement.factories import sas_to_provisional_award

    t, subs, now = sas_to_provisional_award(world_a, users.officer)
    assert t.is_sealed()
    client.force_login(users.officer)
    page = url("ranking", world_a, tender=t.pk)
    html = client.get(page).content.decode()
    rows = download(client, page, tabel="rangschikking")
    workbook = xlsx_text(download(client, page, "xlsx", tabel="rangschikking"))
    for name in ("Alfa", "Beta", "Gamma"):
        assert name not in html and name not in workbook
    assert rows == [
        [
            "Rang",
            "Inschrijver",
            "Criterium 1 (60%)",
            "Criterium 2 (40%)",
            "Totaal (van 100)",
            "Gelijke stand",
            "Gepreselecteerd",
            "Uitkomst",
        ]
    ]
    with time_machine.travel(now):
        client.force_login(users.officer)
        header, *lines = download(client, page, tabel="rangschikking")
        assert header == rows[0]
        assert [line[:5] + line[6:7] for line in lines] == [
            ["1", "Beta", "8,0", "8,0", "80,00", "ja"],
            ["2", "Gamma", "8,0", "5,0", "68,00", "ja"],
            ["3", "Alfa", "6,0", "8,0", "68,00", "nee"],
        ]
        assert "Beta" in client.get(page).content.decode()
        assert "Beta" in xlsx_text(download(client, page, "xlsx", tabel="rangschikking"))
