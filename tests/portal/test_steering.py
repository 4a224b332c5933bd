"""The provider's own dashboard, signals and performance dialogues in the portal.

The small world: in October 2026 three providers have a contract in world A's segment, each
with trajectories (and referrals) rolled up by ``monitoring.kpis.rollups.refresh_months``:

- A (``world_a.provider``, contract with a wait-time agreement 28 / 35 / 42 days): a1 referred
  25-09, started 05-10 (10 days); a2 referred 01-09, started 01-10 (30 days); a3 started
  01-08, ended 20-10 with reason 03 (drop-out). A: 3 youths, 3 running trajectories, wait
  (10 + 30) / 2 = 20 days (green), drop-out 1 / 1 = 100 %.
- B: four starts on 01-10, each referred 50 days before: wait 200 / 4.
- C: six starts on 01-10, each referred 40 days before: wait 240 / 6.

Segment: 13 youths, wait (40 + 200 + 240) / (2 + 4 + 6) = 40 days; drop-out 1 of 1 ended
trajectory: a ratio over fewer than 5, not shown to a provider (the staff see 100 %).
"""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services as contract_services
from contracts.codes import Kpi
from contracts.models import Contract
from monitoring.kpis import rollups
from monitoring.models import (
    ActionStatus,
    DialogueAction,
    DialogueActionProgress,
    PerformanceDialogue,
    Referral,
    Signal,
    Trajectory,
)
from monitoring.steering import dialogues
from tests.providers.factories import ProviderFactory

from .conftest import portal_login

pytestmark = pytest.mark.django_db

D = Decimal
OCT = date(2026, 10, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response) -> str:
    body = response.content.decode()
    main = body.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def hrefs(response) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', response.content.decode())]


def portal_url(name, provider, **kwargs):
    return reverse(f"portal:{name}", kwargs={"provider": provider.pk, **kwargs})


def trajectory(contract, ref, started, *, referred=None, ended=None, reason="", w=None):
    municipality = w.municipality
    Trajectory.objects.create(
        region=contract.region,
        contract=contract,
        municipality=municipality,
        product=w.product,
        client_key=f"{contract.pk}-{ref}".ljust(16, "x"),
        reference=ref,
        started_on=started,
        ended_on=ended,
        end_reason=reason,
    )
    if referred is not None:
        Referral.objects.create(
            region=contract.region,
            contract=contract,
            municipality=municipality,
            client_key=f"{contract.pk}-{ref}".ljust(16, "x"),
            reference=f"V-{ref}",
            referred_on=referred,
            referrer="01",
        )


def other_contract(w, name, number):
    provider = ProviderFactory(region=w.region, name=name, municipalities=[w.municipality])
    return contract_services.contract_create(
        region=w.region,
        reference=f"C-{w.region.slug}-{number:03d}",
        provider=provider,
        segment=w.segment,
        start_date=date(2025, 1, 1),
        initial_term_years=3,
    )


def build_october(w, *, providers=3):
    """A's, B's and (with ``providers=3``) C's trajectories of October, rolled up."""
    a = w.con.contract
    trajectory(a, "a1", date(2026, 10, 5), referred=date(2026, 9, 25), w=w)
    trajectory(a, "a2", date(2026, 10, 1), referred=date(2026, 9, 1), w=w)
    trajectory(a, "a3", date(2026, 8, 1), ended=date(2026, 10, 20), reason="03", w=w)
    b = other_contract(w, "Zorg B", 2)
    for n in range(4):
        trajectory(b, f"b{n}", OCT, referred=OCT - timedelta(days=50), w=w)
    if providers == 3:
        c = other_contract(w, "Zorg C", 3)
        for n in range(6):
            trajectory(c, f"c{n}", OCT, referred=OCT - timedelta(days=40), w=w)
    rollups.refresh_months(w.region.pk, [OCT])


def tiles_of(response) -> dict:
    return {t.kpi: t for t in response.context["tiles"]}


# --- the dashboard --------------------------------------------------------------------------


def test_portal_tiles_are_the_staff_tiles_with_a_provider_safe_benchmark(
    client, world_a, users, portal
):
    w = world_a
    build_october(w)
    client.force_login(users.contract_manager)
    staff = tiles_of(
        client.get(reverse("monitoring:provider", args=[w.region.slug, w.provider.pk]))
    )
    portal_login(client, portal.employee)
    response = client.get(portal_url("dashboard", w.provider))
    assert response.status_code == 200
    own = tiles_of(response)

    # hand-computed figures of A, the same on both pages
    assert own[Kpi.WAIT_TIME].figure.value == D("20.0") == staff[Kpi.WAIT_TIME].figure.value
    assert own[Kpi.WAIT_TIME].level == "green" == staff[Kpi.WAIT_TIME].level
    assert own[Kpi.UNIQUE_YOUTHS].figure.value == 3 == staff[Kpi.UNIQUE_YOUTHS].figure.value
    assert own[Kpi.TRAJECTORIES].figure.value == 3
    assert own[Kpi.DROPOUT].figure.value == D("100") == staff[Kpi.DROPOUT].figure.value
    # its own small numbers: shown (its own clients), not "< 5"
    assert not own[Kpi.UNIQUE_YOUTHS].figure.small
    for code, tile in own.items():
        assert tile.figure.value == staff[code].figure.value, code
        assert tile.level == staff[code].level, code
    # the segment benchmark: all three providers together
    assert own[Kpi.WAIT_TIME].benchmark.value == D("40.0") == staff[Kpi.WAIT_TIME].benchmark.value
    assert own[Kpi.UNIQUE_YOUTHS].benchmark.value == 13
    assert own[Kpi.WAIT_TIME].benchmark_label == f"Segment {w.segment}"
    # a benchmark ratio over fewer than 5 (1 ended trajectory): hidden from the provider only
    assert staff[Kpi.DROPOUT].benchmark.value == D("100")
    assert own[Kpi.DROPOUT].benchmark.value is None and own[Kpi.DROPOUT].benchmark.small

    page = text(response)
    assert "20 dagen" in page or "20,0 dagen" in page
    assert "Zorg B" not in page and "Zorg C" not in page


def test_no_benchmark_when_it_would_give_another_provider_away(client, world_a, users, portal):
    """With two providers in the segment, the segment less A is B: no benchmark for A (the
    staff still see it)."""
    w = world_a
    build_october(w, providers=2)
    client.force_login(users.contract_manager)
    staff = tiles_of(
        client.get(reverse("monitoring:provider", args=[w.region.slug, w.provider.pk]))
    )
    assert staff[Kpi.WAIT_TIME].benchmark.value == D("40.0")  # (40 + 200) / 6
    portal_login(client, portal.admin)
    own = tiles_of(client.get(portal_url("dashboard", w.provider)))
    assert own[Kpi.WAIT_TIME].figure.value == D("20.0")
    assert all(t.benchmark is None for t in own.values())
    assert all(v is None for t in own.values() for _m, v in t.benchmark_trend)


def test_dashboard_links_stay_in_the_portal(client, world_a, portal):
    w = world_a
    build_october(w)
    portal_login(client, portal.employee)
    response = client.get(
        portal_url("dashboard", w.provider), {"maand": "2026-10", "kpi": "dropout"}
    )
    assert response.context["chart_kpi"] == "dropout"
    assert response.context["selected_month"] == "2026-10"
    for href in hrefs(response):
        assert not href.startswith("/regios/"), href
        assert "/monitoring/" not in href, href
    # the month selector and the other pages of the portal
    assert portal_url("signals", w.provider) in hrefs(response)


def test_empty_dashboard(client, world_a, portal):
    portal_login(client, portal.admin)
    response = client.get(portal_url("dashboard", world_a.provider))
    assert response.status_code == 200 and not response.context["has_data"]
    assert "Nog geen productiegegevens" in text(response)


def test_another_providers_dashboard_is_not_reachable(client, world_a, world_b, portal):
    w = world_a
    build_october(w)
    portal_login(client, portal.admin)
    for provider in (w.distant_provider, world_b.provider):
        for name in ("dashboard", "signals", "dialogues"):
            assert client.get(portal_url(name, provider)).status_code == 404, (name, provider)
    # B's own provider id (no portal user): 404 as well
    b = Contract.objects.get(reference=f"C-{w.region.slug}-002").provider
    assert client.get(portal_url("dashboard", b)).status_code == 404
    # the consortium A leads: its users act for it
    assert client.get(portal_url("dashboard", w.consortium)).status_code == 200


# --- signals --------------------------------------------------------------------------------


def make_signal(w, provider, key, *, level="red", status="open", contract=None):
    return Signal.objects.create(
        region=w.region,
        provider=provider,
        contract=contract,
        source="kpi",
        topic=Kpi.WAIT_TIME,
        key=key,
        period=OCT,
        level=level,
        value=D("45.00"),
        norm=D("28.00"),
        message=f"Wachttijd boven de norm ({key})",
        status=status,
    )


def test_signals_are_the_providers_own_without_the_handling_note(client, world_a, users, portal):
    w = world_a
    mine = make_signal(w, w.provider, "own-open", contract=w.con.contract)
    handled = make_signal(w, w.provider, "own-closed", level="amber")
    dialogues.signal_close(
        signal=handled, user=users.contract_manager, note="Intern: bel de directeur"
    )
    make_signal(w, w.distant_provider, "theirs")
    portal_login(client, portal.employee)
    response = client.get(portal_url("signals", w.provider))
    page = text(response)
    assert [r["signal"] for r in response.context["open_rows"]] == [mine]
    assert [r["signal"] for r in response.context["closed_rows"]] == [handled]
    assert "Wachttijd boven de norm (own-open)" in page
    assert w.con.contract.reference in page and "oktober 2026" in page
    assert "45 dagen" in page or "45,0 dagen" in page
    assert "Afgehandeld" in page
    assert "theirs" not in page
    assert "bel de directeur" not in response.content.decode()


# --- dialogues and progress ----------------------------------------------------------------


def make_dialogue(provider, day=date(2026, 11, 2)):
    dialogue = dialogues.dialogue_create(provider=provider, scheduled_on=day)
    action = dialogues.action_add(
        dialogue=dialogue,
        description="Wachttijd terugbrengen naar 28 dagen",
        owner="Teamleider",
        due_on=date(2026, 12, 31),
    )
    return dialogue, action


def test_progress_post_service(world_a, portal):
    _dialogue, action = make_dialogue(world_a.provider)
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    post = dialogues.dialogue_action_progress_post(
        action=action, user=portal.employee, text="  Extra intaker aangenomen.  ", file=upload
    )
    assert post.text == "Extra intaker aangenomen." and post.posted_by == portal.employee
    assert post.file.name.startswith("dialoogvoortgang/") and post.file_name == "plan.pdf"
    with post.file.open("rb") as f:
        assert f.read() == PDF
    entry = LogEntry.objects.get_for_object(post).get()
    assert entry.action == LogEntry.Action.CREATE


@pytest.mark.parametrize(
    "case, field, message",
    [
        ("empty", "text", "Beschrijf de voortgang"),
        ("bad_file", "file", "geen toegestaan bestandstype"),
        ("closed", None, "voortgang melden kan alleen bij een open actie"),
        ("other_provider", None, "Alleen de aanbieder"),
    ],
)
def test_progress_post_refusals_save_nothing(world_a, portal, users, case, field, message):
    _dialogue, action = make_dialogue(world_a.provider)
    kwargs = {"action": action, "user": portal.employee, "text": "Voortgang"}
    if case == "empty":
        kwargs["text"] = "   "
    elif case == "bad_file":
        kwargs["file"] = SimpleUploadedFile(
            "plan.pdf", b"MZ not a pdf", content_type="application/pdf"
        )
    elif case == "closed":
        dialogues.action_update(action=action, status=ActionStatus.DONE, follow_up="Gedaan")
    else:
        kwargs["user"] = portal.distant_admin
    with pytest.raises(ValidationError) as exc:
        dialogues.dialogue_action_progress_post(**kwargs)
    if field:
        assert message in " ".join(exc.value.message_dict[field])
    else:
        assert message in " ".join(exc.value.messages)
    assert not DialogueActionProgress.objects.exists()


def test_provider_posts_progress_and_the_contract_manager_reads_it(client, world_a, users, portal):
    w = world_a
    dialogue, action = make_dialogue(w.provider)
    portal_login(client, portal.employee)
    listing = client.get(portal_url("dialogues", w.provider))
    assert listing.context["open_actions"][0]["action"] == action
    assert "31-12-2026" in text(listing)
    detail = portal_url("dialogue", w.provider, pk=dialogue.pk)
    form_url = portal_url("action-progress", w.provider, pk=dialogue.pk, action=action.pk)
    assert form_url in hrefs(client.get(detail))
    # a refused file: the reason next to the field, nothing saved
    response = client.post(
        form_url,
        {"text": "Plan", "file": SimpleUploadedFile("plan.exe", b"MZ\x90\x00", "application/pdf")},
    )
    assert response.status_code == 200
    assert "geen toegestaan bestandstype" in " ".join(response.context["form"].errors["file"])
    assert not DialogueActionProgress.objects.exists()
    response = client.post(
        form_url,
        {
            "text": "Twee extra intakers.",
            "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302 and response.url == f"{detail}#actie-{action.pk}"
    post = DialogueActionProgress.objects.get()
    page = client.get(detail)
    assert "Twee extra intakers." in text(page)
    file_url = portal_url("progress-file", w.provider, pk=dialogue.pk, progress=post.pk)
    assert file_url in hrefs(page)
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"

    client.force_login(users.contract_manager)
    staff = client.get(reverse("monitoring:dialogue-detail", args=[w.region.slug, dialogue.pk]))
    assert "Twee extra intakers." in text(staff)
    staff_file = reverse(
        "monitoring:dialogue-progress-file", args=[w.region.slug, dialogue.pk, post.pk]
    )
    assert staff_file in hrefs(staff)
    assert client.get(staff_file).status_code == 200
    # the municipal user: not a region role
    client.force_login(users.municipal)
    assert client.get(staff_file).status_code == 403


def test_closed_action_takes_no_progress(client, world_a, portal):
    w = world_a
    dialogue, action = make_dialogue(w.provider)
    dialogues.action_update(action=action, status=ActionStatus.DROPPED, follow_up="Vervallen")
    portal_login(client, portal.admin)
    form_url = portal_url("action-progress", w.provider, pk=dialogue.pk, action=action.pk)
    assert client.get(form_url).context["closed"]
    response = client.post(form_url, {"text": "Toch nog iets"})
    assert response.status_code == 200
    assert "voortgang melden kan alleen bij een open actie" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert not DialogueActionProgress.objects.exists()


def test_other_providers_dialogues_actions_and_files_are_404(client, world_a, portal):
    w = world_a
    mine, my_action = make_dialogue(w.provider)
    theirs, their_action = make_dialogue(w.distant_provider)
    post = dialogues.dialogue_action_progress_post(
        action=their_action,
        user=portal.distant_admin,
        text="Hun voortgang",
        file=SimpleUploadedFile("hun.pdf", PDF, "application/pdf"),
    )
    consortium_dialogue, _a = make_dialogue(w.consortium)
    portal_login(client, portal.admin)
    own = w.provider
    for url in (
        portal_url("dialogue", own, pk=theirs.pk),
        portal_url("action-progress", own, pk=theirs.pk, action=their_action.pk),
        portal_url("action-progress", own, pk=mine.pk, action=their_action.pk),
        portal_url("progress-file", own, pk=theirs.pk, progress=post.pk),
        portal_url("progress-file", own, pk=mine.pk, progress=post.pk),
        portal_url("dialogue", w.distant_provider, pk=theirs.pk),
        # the consortium's dialogue belongs under the consortium, not under the lead
        portal_url("dialogue", own, pk=consortium_dialogue.pk),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            portal_url("action-progress", own, pk=theirs.pk, action=their_action.pk), {"text": "x"}
        ).status_code
        == 404
    )
    assert DialogueActionProgress.objects.count() == 1
    assert "Hun voortgang" not in text(client.get(portal_url("dialogues", own)))
    assert (
        client.get(portal_url("dialogue", w.consortium, pk=consortium_dialogue.pk)).status_code
        == 200
    )


def test_held_dialogue_shows_its_report_to_the_provider(client, world_a, portal):
    w = world_a
    dialogue, _action = make_dialogue(w.provider)
    portal_login(client, portal.employee)
    assert "Het verslag staat hier zodra" in text(
        client.get(portal_url("dialogue", w.provider, pk=dialogue.pk))
    )
    dialogues.dialogue_record(dialogue=dialogue, notes="Afgesproken: wachttijd omlaag.")
    page = text(client.get(portal_url("dialogue", w.provider, pk=dialogue.pk)))
    assert "Afgesproken: wachttijd omlaag." in page and "Gevoerd" in page


def test_overview_panel(client, world_a, portal):
    w = world_a
    build_october(w)
    make_signal(w, w.provider, "o1")
    make_signal(w, w.provider, "o2", level="amber")
    make_signal(w, w.distant_provider, "o3")
    _dialogue, action = make_dialogue(w.provider)
    portal_login(client, portal.employee)
    page = text(client.get(portal_url("overview", w.provider)))
    assert "2 open signalen" in page and "1 rood" in page
    assert "Wachttijd terugbrengen naar 28 dagen" in page and "31-12-2026" in page
    assert "oktober 2026" in page
    assert PerformanceDialogue.objects.count() == 1 and DialogueAction.objects.count() == 1
