"""The standstill letter (voorlopige gunningsbeslissing to a bidder who is not awarded) and the
letters kept per bidder and decision: read back from the PDF as the bidder received it.

The walk (``sas_to_provisional_award``, weights 60/40, scale 0–10): Alfa 6/8 (68 points, not
preselected), Beta 8/8 (80, awarded), Gamma 8/5 (68, awarded, then set to not awarded here).
So Beta is the only winner of the lot. Points = score ÷ 10 × weight:
Alfa 36,00 + 32,00 = 68,00; Beta 48,00 + 32,00 = 80,00; Gamma 48,00 + 20,00 = 68,00.
The award decision is sent on 10 March 2031 with 20 days' objection period: the standstill
period runs to and including Sunday 30 March 2031; the definitive award may follow on 31 March.
"""

import hashlib
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from procurement import letters, services, signatory, standstill, workflow
from procurement.codes import Outcome, ProcedureType, TenderState
from procurement.models import ConsensusScore, DecisionLetter
from providers.models import ProviderMessage
from segments import services as region_services
from segments.models import Region
from tests.accounts.factories import provider_user
from tests.portal.conftest import portal_login
from tests.procurement.factories import pass_all, sas_to_provisional_award, tender

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
SENT = datetime(2031, 3, 10, 10, 0, tzinfo=AMS)

BETA_C1 = (
    "Beta beschrijft een behandelplan met meetbare doelen per gezin en een vaste casusregisseur."
)
BETA_C2 = "Beta garandeert een wachttijd van hoogstens vier weken, onderbouwd met eigen cijfers."


def read(field_file) -> str:
    with field_file.open("rb") as f:
        data = f.read()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def walked(world_a, users):
    region = world_a.region
    region_services.region_letter_signatory_set(
        region=region,
        name="mr. drs. P.J. van Dam",
        function="directeur Serviceorganisatie Jeugd",
        contracting_authority="Gemeente Dordrecht namens de regio Zuid-Holland Zuid",
    )
    t, subs, now = sas_to_provisional_award(
        world_a,
        users.officer,
        names=("Alfa Jeugdzorg", "Beta Gezinshulp", "Gamma Opvoedsteun"),
        objection_days=20,
    )
    subs = {s.provider.name.split()[0].lower(): s for s in subs}
    services.submission_set_outcome(
        submission=subs["gamma"],
        outcome=Outcome.NOT_AWARDED,
        reason="De onderhandeling leverde geen passend aanbod op voor de gevraagde capaciteit.",
    )
    # the committee's reasoning on Beta's scores (the walk records "Onderbouwd" everywhere)
    c1, c2 = t.criteria.order_by("order")
    ConsensusScore.objects.filter(submission=subs["beta"], criterion=c1).update(reason=BETA_C1)
    ConsensusScore.objects.filter(submission=subs["beta"], criterion=c2).update(reason=BETA_C2)
    for s in subs.values():
        s.refresh_from_db()
    # the services ran at a simulated moment after the deadline; the staff pages read the real
    # clock, so the deadline moves into the past too (the submissions are unsealed)
    type(t).objects.filter(pk=t.pk).update(
        submission_deadline=timezone.now() - timedelta(minutes=1)
    )
    t.refresh_from_db()
    return t, subs


def send_decision(t, user, capture, now=SENT):
    with capture(execute=True):
        services.tender_transition(tender=t, name="start_objection", user=user, now=now)
    t.refresh_from_db()


def kept(sub, kind="provisional") -> DecisionLetter:
    return DecisionLetter.objects.get(submission=sub, kind=kind)


# ---------------------------------------------------------------- what the letter says


def test_standstill_letter_names_the_winner_scores_advantages_and_end_date(
    walked, users, django_capture_on_commit_callbacks
):
    t, subs = walked
    with translation.override("en"):  # the officer reads English; the letter stays Dutch
        send_decision(t, users.officer, django_capture_on_commit_callbacks)
    assert t.objection_started_on == date(2031, 3, 10)
    assert standstill.standstill_ends_on(t) == date(2031, 3, 30)

    text = read(kept(subs["gamma"]).file)

    # the winner of the lot, by name
    lot = str(subs["gamma"].lot)
    assert f"Wij zijn voornemens de opdracht voor {lot} te gunnen aan Beta Gezinshulp." in text
    assert "Relatieve voordelen van Beta Gezinshulp" in text
    # per criterion: weight, own score and points, the winner's score and points
    assert re.search(r"Criterium 1 .*?60% 8,0 48,00 8,0 48,00", text)
    assert re.search(r"Criterium 2 .*?40% 5,0 20,00 8,0 32,00", text)
    assert "Totaal 100% 68,00 80,00" in text
    # the overview: every winner's scores per criterion and total, and the bidder's own
    assert "1 = Criterium 1 (60%); 2 = Criterium 2 (40%)." in text
    assert "Beta Gezinshulp 1 8,0 8,0 80,00 Uw inschrijving 2 8,0 5,0 68,00" in text
    # the relative advantage: where Beta scored higher, the committee's reasoning on its score
    assert "Relatief voordeel: " + BETA_C2 in text
    assert "Beta Gezinshulp scoorde op dit criterium niet hoger dan u." in text  # criterion 1
    assert BETA_C1 not in text  # equal on criterion 1: no advantage claimed
    # dated on the day the decision was sent; the end of the standstill period, in Dutch
    assert "Datum 10 maart 2031" in text
    assert "De termijn eindigt op 30 maart 2031." in text
    assert "De opschortende termijn loopt tot en met zondag 30 maart 2031" in text
    assert "na dagtekening" not in text
    # the bidder's own outcome and motivation stay
    assert "Gamma Opvoedsteun" in text and "niet aan u te gunnen" in text
    assert "geen passend aanbod op voor de gevraagde capaciteit" in text
    # signed by name and function, for the contracting authority
    assert "mr. drs. P.J. van Dam" in text
    assert "directeur Serviceorganisatie Jeugd" in text
    assert "Gemeente Dordrecht namens de regio Zuid-Holland Zuid" in text
    assert "de inkoper Inkoopbureau" not in text


def test_the_not_preselected_bidder_sees_the_advantage_on_the_first_criterion(
    walked, users, django_capture_on_commit_callbacks
):
    t, subs = walked
    send_decision(t, users.officer, django_capture_on_commit_callbacks)

    text = read(kept(subs["alfa"]).file)

    assert "te gunnen aan Beta Gezinshulp." in text
    assert re.search(r"Criterium 1 .*?60% 6,0 36,00 8,0 48,00", text)
    assert re.search(r"Criterium 2 .*?40% 8,0 32,00 8,0 32,00", text)
    assert "Totaal 100% 68,00 80,00" in text
    assert "Relatief voordeel: " + BETA_C1 in text
    assert BETA_C2 not in text
    assert "tot en met zondag 30 maart 2031" in text


def test_the_winner_gets_no_comparison_but_the_signature(
    walked, users, django_capture_on_commit_callbacks
):
    t, subs = walked
    send_decision(t, users.officer, django_capture_on_commit_callbacks)

    text = read(kept(subs["beta"]).file)

    assert f"voornemens de opdracht voor {subs['beta'].lot} aan u te gunnen" in text
    assert "Relatieve voordelen van" not in text and "Relatief voordeel" not in text
    assert "De termijn eindigt op 30 maart 2031." in text
    assert "mr. drs. P.J. van Dam" in text and "directeur Serviceorganisatie Jeugd" in text


def test_an_excluded_bidder_is_told_the_winner_without_scores(world_a, users):
    region_services.region_letter_signatory_set(
        region=world_a.region, name="A. Jansen", function="hoofd inkoop", contracting_authority="X"
    )
    t, subs, _ = sas_to_provisional_award(
        world_a, users.officer, names=("Alfa", "Beta", "Delta"), excluded=("Delta",)
    )
    delta = next(s for s in subs if s.provider.name == "Delta")
    from procurement import documents

    reader = PdfReader(io.BytesIO(documents.award_letter_pdf(delta, "provisional")))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)

    assert "Uitgesloten" in text
    assert "te gunnen aan Beta, Alfa." in text  # both awarded, best ranked first
    assert "punten" not in text and "Gunningscriterium" not in text


def test_the_tender_may_sign_otherwise(walked, users, django_capture_on_commit_callbacks):
    t, subs = walked
    signatory.tender_letter_signatory_set(
        tender=t, name="J. de Wit", function="projectleider inkoop"
    )
    send_decision(t, users.officer, django_capture_on_commit_callbacks)

    letter = kept(subs["gamma"])
    text = read(letter.file)
    assert "J. de Wit" in text and "projectleider inkoop" in text
    assert "van Dam" not in text
    # the authority was not overridden: the region's
    assert "Gemeente Dordrecht namens de regio Zuid-Holland Zuid" in text
    assert (letter.signatory_name, letter.signatory_function, letter.contracting_authority) == (
        "J. de Wit",
        "projectleider inkoop",
        "Gemeente Dordrecht namens de regio Zuid-Holland Zuid",
    )


# ---------------------------------------------------------------- a letter per bidder per decision


def test_a_letter_per_bidder_per_decision_is_kept_as_sent(
    walked, users, django_capture_on_commit_callbacks
):
    t, subs = walked
    send_decision(t, users.officer, django_capture_on_commit_callbacks)

    provisional = DecisionLetter.objects.filter(submission__tender=t, kind="provisional")
    assert sorted(provisional.values_list("submission__provider__name", "outcome")) == [
        ("Alfa Jeugdzorg", Outcome.NOT_PRESELECTED),
        ("Beta Gezinshulp", Outcome.AWARDED),
        ("Gamma Opvoedsteun", Outcome.NOT_AWARDED),
    ]
    for letter in provisional:
        assert letter.key == letters.letter_key("provisional", letter.submission_id)
        assert letter.standstill_ends_on == date(2031, 3, 30)
        assert letter.decision_on == date(2031, 3, 10)  # the day the decision was sent
        assert letter.signatory_name == "mr. drs. P.J. van Dam"
        assert letter.sent_by == users.officer
        # exactly the bytes that went to the provider's inbox
        message = ProviderMessage.objects.get(dedupe_key=letter.key)
        assert letter.message == message
        with letter.file.open("rb") as mine, message.letter.open("rb") as theirs:
            data = mine.read()
            assert data == theirs.read()
        assert letter.sha256 == hashlib.sha256(data).hexdigest()

    # sending again (a retry) keeps one letter per bidder and decision
    assert letters.tender_letters_send(tender=t, letter_kind="provisional") == (3, 0)
    assert provisional.count() == 3

    # the definitive award (in 2031) needs the winner's screening to be current then (the
    # award rule of procurement.award_rules): it was screened again when the decision went out
    from providers.models import ScreeningKind
    from providers.services import screening_create

    for sub in (s for s in subs.values() if s.outcome == Outcome.AWARDED):
        for kind in ScreeningKind.objects.filter(region=t.region):
            screening_create(provider=sub.provider, kind=kind, date=SENT.date(), status="passed")
    # the definitive award: a second letter per bidder
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_transition(
            tender=t, name="award", user=users.officer, now=SENT + timedelta(days=21)
        )
    rows = DecisionLetter.objects.filter(submission__tender=t)
    assert rows.count() == 6
    assert sorted(rows.filter(kind="definitive").values_list("submission__number", flat=True)) == (
        sorted(s.number for s in subs.values())
    )
    assert set(rows.filter(kind="definitive").values_list("standstill_ends_on", flat=True)) == {
        None
    }


def test_an_admission_decision_letter_is_kept(world_a, users, django_capture_on_commit_callbacks):
    t = tender(world_a, ProcedureType.OPEN_HOUSE, weights=None)
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    pass_all(sub)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide_admission(
            submission=sub, admit=True, reason="Voldoet aan alle eisen."
        )
    letter = DecisionLetter.objects.get(submission=sub)
    assert (letter.kind, letter.outcome, letter.decision_on) == (
        "admission",
        Outcome.ADMITTED,
        timezone.localdate(),
    )
    assert letter.standstill_ends_on is None
    text = read(letter.file)
    assert f"U bent toegelaten voor {sub.lot}" in text
    assert "mr. A.B. Ondertekenaar" in text and "manager inkoop en contractmanagement" in text
    assert world_a.region.contracting_authority in text


# ---------------------------------------------------------------- no letter without a signature


def unsign(region):
    Region.objects.filter(pk=region.pk).update(
        letter_signatory_name="", letter_signatory_function=""
    )


def test_the_award_decision_is_refused_without_a_signatory(
    walked, users, client, django_capture_on_commit_callbacks
):
    t, subs = walked
    unsign(t.region)

    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        send_decision(t, users.officer, django_capture_on_commit_callbacks)
    assert "de naam van de ondertekenaar, de functie van de ondertekenaar" in str(refused.value)
    t.refresh_from_db()
    assert t.state == TenderState.PROVISIONAL_AWARD and t.objection_started_on is None
    assert not DecisionLetter.objects.filter(submission__tender=t).exists()
    assert not ProviderMessage.objects.filter(tender_id=t.pk).exists()

    # the tender page says what is missing, at the button and in the box "Brieven"
    client.force_login(users.officer)
    page = client.get(t.get_absolute_url()).content.decode()
    assert "de ondertekening is niet compleet" in page
    assert page.count("ontbreekt</span>") == 2  # name and function; the authority is there

    # the procedure signs for itself: the decision goes out
    signatory.tender_letter_signatory_set(tender=t, name="J. de Wit", function="inkoper")
    send_decision(t, users.officer, django_capture_on_commit_callbacks)
    assert t.state == TenderState.OBJECTION
    assert DecisionLetter.objects.filter(submission__tender=t).count() == 3

    # a letter that did not go out is not sent again by hand without a signature either
    signatory.tender_letter_signatory_set(tender=t)
    ProviderMessage.objects.filter(submission_id=subs["gamma"].pk).delete()
    with pytest.raises(ValidationError, match="ondertekening is niet compleet"):
        letters.submission_letter_send(submission=subs["gamma"], letter_kind="provisional")
    assert not ProviderMessage.objects.filter(submission_id=subs["gamma"].pk).exists()


def test_an_admission_decision_is_refused_without_a_signatory(world_a, users):
    t = tender(world_a, ProcedureType.OPEN_HOUSE, weights=None)
    t = services.tender_transition(tender=t, name="publish", user=users.officer)
    sub = services.submission_create(
        lot=t.lots.get(), provider=world_a.provider, care_form_ids=[world_a.care_form.pk]
    )
    pass_all(sub)
    unsign(world_a.region)
    with pytest.raises(ValidationError, match="ondertekening is niet compleet"):
        services.submission_decide_admission(submission=sub, admit=True, reason="Voldoet.")
    sub.refresh_from_db()
    assert sub.outcome == Outcome.PENDING


def test_the_guard_is_pure():
    now = datetime(2031, 3, 10, 10, tzinfo=AMS)
    assert workflow.signatory_known(workflow.Facts(now=now)) is None
    facts = workflow.Facts(now=now, signatory_missing="De brieven kunnen niet uit")
    assert workflow.signatory_known(facts) == "De brieven kunnen niet uit"


def test_the_region_signatory_needs_all_three(world_a):
    region = world_a.region
    before = (region.letter_signatory_name, region.letter_signatory_function)
    with pytest.raises(ValidationError) as refused:
        region_services.region_letter_signatory_set(
            region=region, name="  ", function="hoofd inkoop", contracting_authority=""
        )
    assert set(refused.value.message_dict) == {"letter_signatory_name", "contracting_authority"}
    region.refresh_from_db()
    assert (region.letter_signatory_name, region.letter_signatory_function) == before


def test_the_region_administrator_sets_the_signatory_on_the_region_page(client, world_a, users):
    url = reverse("segments:letter-signatory", kwargs={"region": world_a.region.slug})
    client.force_login(users.officer)
    assert client.get(url).status_code == 403
    client.force_login(users.administrator)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "contracting_authority": "Gemeente Dordrecht namens de regio Zuid-Holland Zuid",
            "letter_signatory_name": "",
            "letter_signatory_function": "directeur",
        },
    )
    assert response.status_code == 200
    assert "Vul de naam van de ondertekenaar in." in response.content.decode()
    world_a.region.refresh_from_db()
    assert world_a.region.letter_signatory_function != "directeur"  # nothing saved
    response = client.post(
        url,
        {
            "contracting_authority": "Gemeente Dordrecht namens de regio Zuid-Holland Zuid",
            "letter_signatory_name": "P. van Dam",
            "letter_signatory_function": "directeur",
        },
    )
    assert response.status_code == 302
    world_a.region.refresh_from_db()
    assert world_a.region.letter_signatory_name == "P. van Dam"


# ---------------------------------------------------------------- the scoped download


def test_the_kept_letter_downloads_only_for_region_staff(
    walked, users, client, django_capture_on_commit_callbacks
):
    t, subs = walked
    send_decision(t, users.officer, django_capture_on_commit_callbacks)
    gamma = subs["gamma"]
    letter = kept(gamma)
    url = reverse(
        "procurement:letter-download",
        kwargs={
            "region": t.region.slug,
            "tender": t.pk,
            "pk": gamma.pk,
            "letter": letter.pk,
        },
    )
    with letter.file.open("rb") as f:
        data = f.read()

    # the submission page lists it, with its link
    client.force_login(users.officer)
    page = client.get(gamma.get_absolute_url()).content.decode()
    assert url in page and "30-03-2031" in page and "mr. drs. P.J. van Dam" in page
    listing = client.get(
        reverse("procurement:tender-letters", kwargs={"region": t.region.slug, "tender": t.pk})
    ).content.decode()
    assert listing.count("/brieven/") >= 3 and "Alfa Jeugdzorg" in listing

    for user in (users.officer, users.viewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert "attachment" in response["Content-Disposition"]

    # under another submission's URL, the same letter is not found
    wrong = reverse(
        "procurement:letter-download",
        kwargs={
            "region": t.region.slug,
            "tender": t.pk,
            "pk": subs["beta"].pk,
            "letter": letter.pk,
        },
    )
    client.force_login(users.officer)
    assert client.get(wrong).status_code == 404
    for user in (users.municipal, users.other_region_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    # a provider's portal users: the staff area is closed to them (403, as every staff page);
    # the bidder reads its copy in its own inbox, the same bytes; another provider gets a 404
    gamma_reader = provider_user(gamma.provider, "admin")
    beta_reader = provider_user(subs["beta"].provider, "admin")
    for reader in (gamma_reader, beta_reader):
        portal_login(client, reader)
        assert client.get(url).status_code == 403
    own_copy = reverse(
        "portal:inbox-letter", kwargs={"provider": gamma.provider_id, "pk": letter.message_id}
    )
    portal_login(client, gamma_reader)
    response = client.get(own_copy)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    portal_login(client, beta_reader)
    for provider in (gamma.provider_id, subs["beta"].provider_id):
        other = reverse(
            "portal:inbox-letter", kwargs={"provider": provider, "pk": letter.message_id}
        )
        assert client.get(other).status_code == 404


def test_with_many_winners_the_letter_compares_with_the_lowest_ranked():
    winners = ["eerste", "tweede", "derde"]
    assert standstill.compared_winners(winners) == winners
    assert standstill.compared_winners([*winners, "vierde"]) == ["vierde"]
