"""The PDF documents of procurement, rendered for real by WeasyPrint and read back with pypdf."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from procurement import documents, services
from procurement.codes import Outcome, ProcedureType
from procurement.models import MunicipalView
from tests.procurement.factories import framework, pass_all, sas_to_provisional_award, tender

pytestmark = pytest.mark.django_db


def read(pdf: bytes) -> tuple[str, PdfReader]:
    """The PDF's text with all whitespace runs as one space, and the reader."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


@pytest.fixture
def walked(world_a, users):
    """SAS at provisional award: Beta first (80), Gamma second (68, awarded), Alfa third (68,
    not preselected), Delta excluded."""
    t, subs, now = sas_to_provisional_award(
        world_a,
        users.officer,
        names=("Alfa Jeugdzorg", "Beta Gezinshulp", "Gamma Opvoedsteun", "Delta Zorg"),
        excluded=("Delta Zorg",),
        preselection_count=2,
        tenderned_reference="TN-2025-0042",
        contract_start=date(2026, 1, 1),
        objection_days=20,
        title="Verblijf en behandeling",
    )
    return t, {s.provider.name.split()[0].lower(): s for s in subs}, now


# ---------------------------------------------------------------- award letters


def test_provisional_letter_to_the_winner(walked):
    t, subs, _ = walked
    beta = subs["beta"]
    assert beta.outcome == Outcome.AWARDED and beta.rank == 1

    text, reader = read(documents.award_letter_pdf(beta, "provisional"))

    assert "Voorlopige gunningsbeslissing" in text
    assert "Beta Gezinshulp" in text and "Dordrecht" in text
    assert t.reference in text and "Verblijf en behandeling" in text
    assert "TN-2025-0042" in text
    assert "Perceel 1" in text
    assert "Gegund" in text and "voornemens de opdracht" in text
    assert beta.outcome_reason and beta.outcome_reason in text  # the motivation
    assert "Gerangschikt op plaats 1 van 3 met 80,00 punten." in text
    # rank, total and the consensus scores per criterion, with Dutch decimal commas
    assert "1 van 3" in text and "80,00 van 100 punten" in text
    assert "Criterium 1" in text and "60%" in text and "8,0" in text and "48,00" in text
    assert "Criterium 2" in text and "40%" in text and "32,00" in text
    assert "80.00" not in text
    # the objection period, not yet started: counted from the letter's date
    assert "bezwaartermijn van 20 kalenderdagen" in text
    assert "20 kalenderdagen na dagtekening" in text
    # letter conventions: reference block, date = outcome date, signature, page footer
    assert f"Ons kenmerk {t.reference}/{beta.number:03d}" in text
    assert "Onderwerp Voorlopige gunningsbeslissing" in text
    assert beta.outcome_on.strftime("%Y") in text
    assert "namens het dagelijks bestuur van Regio A" in text
    assert "Pagina 1 van" in text
    # metadata: title, language, tagged
    assert reader.metadata.title.startswith("Voorlopige gunningsbeslissing " + t.reference)
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_provisional_letter_not_awarded_gives_the_motivation(walked):
    _, subs, _ = walked
    gamma = subs["gamma"]
    services.submission_set_outcome(
        submission=gamma,
        outcome=Outcome.NOT_AWARDED,
        reason="De onderhandeling leverde geen passend aanbod op voor de gevraagde capaciteit.",
    )
    gamma.refresh_from_db()

    text, _ = read(documents.award_letter_pdf(gamma, "provisional"))

    assert "Gamma Opvoedsteun" in text
    assert "Niet gegund" in text and "niet aan u te gunnen" in text
    assert "geen passend aanbod op voor de gevraagde capaciteit" in text
    assert "2 van 3" in text and "68,00 van 100 punten" in text
    assert "8,0" in text and "5,0" in text and "20,00" in text
    assert "kort geding" in text


def test_letters_to_the_not_preselected_and_the_excluded(walked):
    t, subs, _ = walked
    alfa, delta = subs["alfa"], subs["delta"]
    assert alfa.outcome == Outcome.NOT_PRESELECTED and delta.outcome == Outcome.EXCLUDED

    text, _ = read(documents.award_letter_pdf(alfa, "provisional"))
    assert "Alfa Jeugdzorg" in text and t.reference in text
    assert "Niet gepreselecteerd" in text
    assert "Alleen de beste 2 gaan door." in text
    assert "3 van 3" in text and "68,00" in text and "36,00" in text
    assert alfa.tie_note and alfa.tie_note[:40] in text

    text, _ = read(documents.award_letter_pdf(delta, "provisional"))
    assert "Delta Zorg" in text and "Uitgesloten" in text
    assert "Voldoet niet aan" in text and "Geen referenties" in text
    assert "punten" not in text  # never scored: no rank, total or score table
    assert "Gunningscriterium" not in text


def test_provisional_letter_names_the_end_of_a_started_objection_period(walked, users):
    t, subs, now = walked
    services.tender_transition(tender=t, name="start_objection", user=users.officer, now=now)
    t.refresh_from_db()
    ends = t.objection_ends_on
    assert ends == now.date() + timedelta(days=20) or ends == t.objection_started_on + timedelta(
        days=20
    )

    text, _ = read(documents.award_letter_pdf(subs["beta"], "provisional"))

    assert f"De termijn eindigt op {ends.day} " in text
    assert str(ends.year) in text
    assert "na dagtekening" not in text


def test_definitive_letters(walked, users):
    t, subs, now = walked
    services.tender_transition(tender=t, name="start_objection", user=users.officer, now=now)
    services.tender_transition(
        tender=t, name="award", user=users.officer, now=now + timedelta(days=21)
    )
    beta, alfa = subs["beta"], subs["alfa"]
    beta.refresh_from_db()

    text, reader = read(documents.award_letter_pdf(beta, "definitive"))
    assert "Definitieve gunning" in text and "Voorlopige gunningsbeslissing" not in text
    assert "Beta Gezinshulp" in text and t.reference in text
    assert "Gegund" in text and "definitief aan u" in text
    assert beta.outcome_reason in text
    assert "80,00 van 100 punten" in text and "48,00" in text
    assert "De overeenkomst gaat in op 1 januari 2026." in text
    assert "ter ondertekening" in text
    assert "Bezwaartermijn" not in text
    assert "Pagina 1 van" in text
    assert reader.metadata.title.startswith("Definitieve gunning")

    text, _ = read(documents.award_letter_pdf(alfa, "definitive"))
    assert "Niet gepreselecteerd" in text and "procedure voor uw inschrijving afgerond" in text
    assert "overeenkomst" not in text


def test_letter_refuses_unknown_kind_and_undecided_submission(world_a, users):
    with pytest.raises(ValueError, match="kind"):
        documents.award_letter_pdf(object(), "voorlopig")
    t = tender(world_a, ProcedureType.SAS)
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    with pytest.raises(ValueError, match="no outcome"):
        documents.award_letter_pdf(sub, "provisional")


def test_admission_letter_of_an_open_house_has_no_scores(world_a, users):
    t = tender(world_a, ProcedureType.OPEN_HOUSE, weights=None, contract_start=date(2026, 2, 1))
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    pass_all(sub)
    services.submission_decide_admission(
        submission=sub, admit=True, reason="Voldoet aan alle eisen.", today=date(2025, 6, 3)
    )

    text, _ = read(documents.award_letter_pdf(sub, "definitive"))

    assert "Zorg A Dichtbij" in text and t.reference in text
    assert "Toegelaten" in text and "U bent toegelaten voor Perceel 1" in text
    assert "Voldoet aan alle eisen." in text
    assert "3 juni 2025" in text  # dated on the decision
    assert "De overeenkomst gaat in op 1 februari 2026." in text
    assert "Gunningscriterium" not in text and "punten" not in text
    assert "Pagina 1 van" in text


# ---------------------------------------------------------------- nota van inlichtingen


def test_qna_is_anonymous_and_per_note(world_a, users):
    from tests.providers.factories import ProviderFactory

    t = tender(world_a, title="Ambulante jeugdhulp", tenderned_reference="TN-77")
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    asker = ProviderFactory(region=world_a.region, name="Vraagsteller Kindzorg BV")
    q1 = services.question_ask(
        tender=t,
        text="Mag een samenwerkingsverband inschrijven met een onderaannemer buiten de regio?",
        provider=asker,
        reference="Inkoopleidraad §3.2, p. 14",
    )
    q2 = services.question_ask(
        tender=t,
        text="Welke tarieven gelden voor 2026? Vraagsteller Kindzorg BV levert ook in Gemeente A2.",
        provider=world_a.provider,
    )
    services.question_answer(question=q1, text="Ja, mits de hoofdaannemer in de regio levert.")
    services.question_answer(question=q2, text="De tarieven staan in bijlage 4.")
    assert services.answers_publish(tender=t, on=date(2025, 5, 12)) == 1
    later = services.question_ask(tender=t, text="Is er een informatiebijeenkomst?", provider=asker)
    services.question_answer(question=later, text="Nee.")
    assert services.answers_publish(tender=t) == 2

    text, reader = read(documents.qna_pdf(t, 1))

    assert "Nota van inlichtingen nr. 1" in text
    assert t.reference in text and "Ambulante jeugdhulp" in text and "TN-77" in text
    assert "12 mei 2025" in text
    assert "Inkoopleidraad §3.2, p. 14" in text
    assert "onderaannemer buiten de regio?" in text
    assert "mits de hoofdaannemer in de regio levert." in text
    assert "Welke tarieven gelden voor 2026?" in text and "in bijlage 4." in text
    assert "informatiebijeenkomst" not in text  # published in nota 2
    # anonymised: no asker's name, not even where a question names an asker
    for name in ("Vraagsteller Kindzorg BV", "Vraagsteller", "Kindzorg", world_a.provider.name):
        assert name not in text
    assert "[aanbieder] levert ook in Gemeente A2." in text
    assert "Pagina 1 van" in text
    assert reader.metadata.title.startswith("Nota van inlichtingen nr. 1")
    assert reader.trailer["/Root"]["/Lang"] == "nl"

    text, _ = read(documents.qna_pdf(t, 2))
    assert "Nota van inlichtingen nr. 2" in text and "informatiebijeenkomst" in text
    assert "Vraagsteller" not in text and "tarieven" not in text

    with pytest.raises(ValueError):
        documents.qna_pdf(t, 3)


def test_long_qna_runs_over_pages_with_page_numbers(world_a, users):
    t = tender(world_a)
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    for i in range(1, 31):
        q = services.question_ask(
            tender=t, text=f"Vraag {i}: " + "Hoe werkt de toelating precies? " * 6
        )
        services.question_answer(
            question=q, text=f"Antwoord {i}: " + "Zoals beschreven in de leidraad. " * 6
        )
    services.answers_publish(tender=t)

    text, reader = read(documents.qna_pdf(t, 1))

    pages = len(reader.pages)
    assert pages > 1
    assert f"Pagina 1 van {pages}" in text and f"Pagina {pages} van {pages}" in text
    assert "Vraag 30:" in text and "Antwoord 30:" in text
    assert "Regio A" in reader.pages[1].extract_text()  # the running header on later pages


# ---------------------------------------------------------------- nota van reactie


def test_response_note(world_a):
    fw = framework(world_a, summary="Het kader stuurt op minder en betere aanbieders.")
    MunicipalView.objects.create(
        framework=fw,
        municipality=world_a.municipality,
        received_on=date(2025, 4, 2),
        view="De raad vraagt aandacht voor de wachttijden in de jeugd-GGZ.",
        response="De regio neemt wachttijden op als indicator in het contractmanagement.",
        responded_on=date(2025, 4, 20),
    )
    MunicipalView.objects.create(
        framework=fw,
        municipality=world_a.other_municipality,
        received_on=date(2025, 4, 9),
        view="De raad wil dat kleine aanbieders kunnen blijven meedoen.",
        response="Het kader laat samenwerkingsverbanden van kleine aanbieders toe.",
    )

    text, reader = read(documents.response_note_pdf(fw))

    assert "Nota van reactie" in text
    assert "Inkoopkader jeugdhulp 2026" in text and "2026 e.v." in text
    assert "Zienswijzen gevraagd" in text and "1 maart 2025" in text
    assert "minder en betere aanbieders" in text
    for principle in ("Zorg dichtbij huis", "Minder aanbieders, langere contracten"):
        assert principle in text
    assert "Ruimte voor innovatie" in text
    assert "Gemeente A1" in text and "Gemeente A2" in text
    assert "2 april 2025" in text and "20 april 2025" in text
    assert "wachttijden in de jeugd-GGZ." in text
    assert "als indicator in het contractmanagement." in text
    assert "kleine aanbieders kunnen blijven meedoen." in text
    assert "samenwerkingsverbanden van kleine aanbieders toe." in text
    assert "Geen zienswijze ontvangen van" not in text
    assert "Pagina 1 van" in text
    assert reader.metadata.title == "Nota van reactie – Inkoopkader jeugdhulp 2026"
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_response_note_without_views(world_a):
    text, _ = read(documents.response_note_pdf(framework(world_a)))
    assert "Er zijn geen zienswijzen ontvangen." in text
    assert "Geen zienswijze ontvangen van: Gemeente A1, Gemeente A2." in text
