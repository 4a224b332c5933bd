"""Steering pages at HTTP level: signals, escalation, dialogues, norms, weights and finance,
for every role, with their forms.

Roles (tests/conftest.py ``users``): procurement officer and contract manager of region A edit;
the viewer reads; the municipal user of A gets 403 (these pages are built from every
municipality's data); region B's officer gets 404; anonymous users go to the login page.
"""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from contracts.models import KpiAgreement
from monitoring.models import (
    ActionStatus,
    DialogueAction,
    DialogueStatus,
    Escalation,
    KpiNorm,
    PerformanceDialogue,
    RiskWeight,
    Signal,
    SignalStatus,
)
from monitoring.steering import alerts
from monitoring.steering import views as views_steering
from providers.models import AnnualAccount

from .test_dialogues import make_signal

pytestmark = pytest.mark.django_db


def url(name, w, **kw):
    return reverse(f"monitoring:{name}", kwargs={"region": w.region.slug, **kw})


def text(response) -> str:
    body = response.content.decode()
    main = body.split('<main id="main"', 1)[-1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def errors(response, form_name):
    return response.context["forms"][form_name].errors


@pytest.fixture
def dialogue(world_a):
    return PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.provider, scheduled_on=date(2026, 4, 1)
    )


def pages(w, dialogue):
    p = {"pk": w.provider.pk}
    return [
        ("signals", {}),
        ("provider-signals", p),
        ("provider-escalations", p),
        ("dialogue-list", {}),
        ("provider-dialogues", p),
        ("dialogue-create", p),
        ("dialogue-detail", {"pk": dialogue.pk}),
        ("norms", {}),
        ("weights", {}),
        ("provider-finance", p),
    ]


# ---------------------------------------------------------------- who may see what


def test_every_page_for_every_role(client, world_a, world_b, users, dialogue):
    editors_only = {"dialogue-create"}
    for name, kw in pages(world_a, dialogue):
        target = url(name, world_a, **kw)
        for role in ("officer", "contract_manager", "superuser"):
            client.force_login(getattr(users, role))
            assert client.get(target).status_code == 200, (role, target)
        client.force_login(users.viewer)
        assert client.get(target).status_code == (403 if name in editors_only else 200), target
        client.force_login(users.municipal)
        response = client.get(target)
        assert response.status_code == 403, target
        client.force_login(users.other_region_officer)
        assert client.get(target).status_code == 404, target
        client.logout()
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_objects_of_another_region_are_hidden(client, world_a, world_b, users):
    other = PerformanceDialogue.objects.create(
        region=world_b.region, provider=world_b.provider, scheduled_on=date(2026, 4, 1)
    )
    client.force_login(users.officer)
    for name in ("provider-signals", "provider-escalations", "provider-finance"):
        assert client.get(url(name, world_a, pk=world_b.provider.pk)).status_code == 404
    assert client.get(url("dialogue-detail", world_a, pk=other.pk)).status_code == 404
    response = client.post(
        url("dialogue-create", world_a, pk=world_b.provider.pk),
        {"form": "plan", "plan-scheduled_on": "2026-04-01"},
    )
    assert response.status_code == 404
    assert not PerformanceDialogue.objects.filter(provider=world_b.provider).exclude(pk=other.pk)


def test_viewers_read_without_forms_and_their_posts_are_refused(client, world_a, users, dialogue):
    signal = make_signal(world_a)
    client.force_login(users.viewer)
    for name, kw in pages(world_a, dialogue):
        if name == "dialogue-create":
            continue
        response = client.get(url(name, world_a, **kw))
        assert response.context.get("forms", {}) == {} or name in ("signals",), name
        assert "<textarea" not in response.content.decode(), name
    p = {"pk": world_a.provider.pk}
    posts = [
        ("provider-signals", p, {"form": "close", "close-signal": signal.pk, "close-note": "x"}),
        (
            "provider-escalations",
            p,
            {
                "form": "start",
                "start-step": "dialogue",
                "start-started_on": "2026-04-01",
                "start-reason": "x",
            },
        ),
        ("dialogue-create", p, {"form": "plan", "plan-scheduled_on": "2026-04-01"}),
        ("dialogue-detail", {"pk": dialogue.pk}, {"form": "record", "record-notes": "Gekaapt"}),
        ("norms", {}, norm_data(world_a)),
        ("weights", {}, {"form": "weights", "weights-wait_time": "5"}),
        (
            "provider-finance",
            p,
            {
                "form": "account",
                "account-year": "2025",
                "account-revenue": "100",
                "account-result": "1",
            },
        ),
    ]
    for role in ("viewer", "municipal"):
        client.force_login(getattr(users, role))
        for name, kw, data in posts:
            assert client.post(url(name, world_a, **kw), data).status_code == 403, (role, name)
    signal.refresh_from_db()
    dialogue.refresh_from_db()
    assert signal.status == SignalStatus.OPEN and dialogue.notes == ""
    assert not Escalation.objects.exists() and not KpiNorm.objects.exists()
    assert not RiskWeight.objects.exists() and not AnnualAccount.objects.exists()
    assert PerformanceDialogue.objects.count() == 1


def test_an_unknown_form_is_a_bad_request(client, world_a, users):
    client.force_login(users.officer)
    assert client.post(url("weights", world_a), {"form": "hack"}).status_code == 400


# ---------------------------------------------------------------- signals


def test_signal_list_filters_and_links_to_the_provider(client, world_a, world_b, users):
    make_signal(world_a)
    make_signal(world_a, topic="dropout", level="amber", value="22.5", norm="10")
    make_signal(world_a, provider=world_a.distant_provider, contract=None, level="amber")
    make_signal(world_b)
    client.force_login(users.contract_manager)
    response = client.get(url("signals", world_a))
    page = text(response)
    assert "3 signalen" in page and "Niet afgehandeld: 1 rood, 2 oranje." in page
    assert "Rood" in page and "Oranje" in page and "48 dagen" in page and "22,5%" in page
    try:
        dashboard = reverse("monitoring:provider", args=[world_a.region.slug, world_a.provider.pk])
    except NoReverseMatch:
        dashboard = url("provider-signals", world_a, pk=world_a.provider.pk)
    assert f'href="{dashboard}"' in response.content.decode()

    red = text(client.get(url("signals", world_a), {"level": "red"}))
    assert "1 signaal" in red and "22,5%" not in red
    by_provider = text(
        client.get(url("signals", world_a), {"provider": world_a.distant_provider.pk})
    )
    assert "1 signaal" in by_provider and world_a.distant_provider.name in by_provider
    by_topic = text(client.get(url("signals", world_a), {"topic": "dropout", "status": "open"}))
    assert "1 signaal" in by_topic
    assert "0 signalen" in text(client.get(url("signals", world_a), {"source": "finance"}))


def test_provider_signals_show_the_risk_breakdown_and_can_be_handled(
    client, world_a, users, monkeypatch
):
    signal = make_signal(world_a)
    parts = [alerts.RiskPart("wait_time", Decimal("2"), 0, 1, Decimal("6"))]
    monkeypatch.setattr(
        alerts,
        "risk_scores",
        lambda region_id: {world_a.provider.pk: alerts.RiskScore(Decimal("6"), "red", parts)},
    )
    target = url("provider-signals", world_a, pk=world_a.provider.pk)
    client.force_login(users.viewer)
    page = text(client.get(target))
    assert "Score 6" in page and "Wachttijd (dagen) 2 0 1 6" in page
    assert "Signaal afhandelen" not in page

    client.force_login(users.contract_manager)
    assert "Signaal afhandelen" in text(client.get(target))
    response = client.post(target, {"form": "close", "close-signal": signal.pk, "close-note": ""})
    assert response.status_code == 200
    assert "Beschrijf hoe het signaal is afgehandeld." in text(response)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.OPEN

    response = client.post(
        target,
        {"form": "close", "close-signal": signal.pk, "close-note": "Capaciteit uitgebreid"},
        follow=True,
    )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    assert any("is afgehandeld" in m for m in messages_of(response))
    assert "Capaciteit uitgebreid" in text(response)


def test_a_signal_of_another_provider_cannot_be_handled_here(client, world_a, users):
    other = make_signal(world_a, provider=world_a.distant_provider, contract=None)
    client.force_login(users.contract_manager)
    response = client.post(
        url("provider-signals", world_a, pk=world_a.provider.pk),
        {"form": "close", "close-signal": other.pk, "close-note": "x"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == SignalStatus.OPEN


# ---------------------------------------------------------------- escalation


def test_escalation_steps_are_started_escalated_and_closed(client, world_a, users):
    target = url("provider-escalations", world_a, pk=world_a.provider.pk)
    client.force_login(users.contract_manager)
    page = text(client.get(target))
    assert "Er loopt geen escalatiestap met deze aanbieder." in page
    assert "Gesprek Verbeterplan Audit Sanctie of uitsluiting" in page

    response = client.post(
        target,
        {"form": "start", "start-step": "dialogue", "start-started_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert errors(response, "start")["reason"] == ["Beschrijf de aanleiding voor deze stap."]

    client.post(
        target,
        {
            "form": "start",
            "start-step": "dialogue",
            "start-started_on": "2026-03-01",
            "start-reason": "Wachttijd drie maanden rood",
        },
    )
    response = client.get(target)
    assert response.context["current"].step == "dialogue"
    assert response.context["forms"]["start"].initial["step"] == "improvement_plan"
    response = client.post(
        target,
        {
            "form": "start",
            "start-step": "improvement_plan",
            "start-started_on": "2026-04-01",
            "start-reason": "Geen verbetering na het gesprek",
        },
        follow=True,
    )
    assert any("Verbeterplan" in m for m in messages_of(response))
    history = response.context["history"]
    assert [e.step for e in history] == ["improvement_plan", "dialogue"]  # newest first
    assert history[1].closed_on == date(2026, 4, 1) and "Opgeschaald" in history[1].outcome

    response = client.post(
        target, {"form": "close", "close-closed_on": "2026-03-15", "close-outcome": "Klaar"}
    )
    assert errors(response, "close")["closed_on"] == [
        "Een stap kan niet afsluiten voor de start (01-04-2026)."
    ]
    client.post(
        target, {"form": "close", "close-closed_on": "2026-06-01", "close-outcome": "Plan op orde"}
    )
    step = Escalation.objects.get(step="improvement_plan")
    assert step.closed_on == date(2026, 6, 1) and step.recorded_by == users.contract_manager
    response = client.get(target)
    assert response.context["current"] is None and "close" not in response.context["forms"]


# ---------------------------------------------------------------- dialogues


def test_plan_record_and_follow_up_a_dialogue(client, world_a, users):
    ref = world_a.con.contract.reference
    signal = make_signal(world_a)
    client.force_login(users.contract_manager)
    create = url("dialogue-create", world_a, pk=world_a.provider.pk)
    page = text(client.get(create))
    assert f"Rood: Wachttijd (dagen), contract {ref}, maart 2026: 48 dagen (norm 28 dagen)" in page

    response = client.post(
        create, {"form": "plan", "plan-scheduled_on": "2026-04-20", "plan-participants": "Carla"}
    )
    dialogue = PerformanceDialogue.objects.get(provider=world_a.provider)
    detail = url("dialogue-detail", world_a, pk=dialogue.pk)
    assert response.status_code == 302 and response.url == detail
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ON_AGENDA

    response = client.post(detail, {"form": "agenda", "agenda-title": "Personeel"}, follow=True)
    assert "Agendapunt 'Personeel' is toegevoegd." in messages_of(response)
    assert [i["item"].title for i in response.context["agenda"]][-2:] == ["Personeel", "Rondvraag"]

    response = client.post(detail, {"form": "record", "record-notes": ""})
    assert errors(response, "record")["notes"] == ["Leg het verslag van het gesprek vast."]
    client.post(
        detail,
        {"form": "record", "record-notes": "Wachttijd besproken.", "record-participants": "Carla"},
    )
    dialogue.refresh_from_db()
    assert dialogue.status == DialogueStatus.HELD and dialogue.notes == "Wachttijd besproken."
    response = client.get(detail)
    assert "agenda" not in response.context["forms"]  # a held dialogue's agenda is fixed
    assert "Verslag wijzigen" in text(response)

    action_data = {
        "form": "action",
        "action-description": "Plan van aanpak",
        "action-owner": "Ahmed",
        "action-due_on": "2026-04-19",
    }
    response = client.post(detail, action_data)
    assert errors(response, "action")["due_on"] == [
        "De uiterste datum ligt voor de datum van het gesprek (20-04-2026)."
    ]
    client.post(detail, {**action_data, "action-due_on": "2026-05-15"})
    action = DialogueAction.objects.get(dialogue=dialogue)
    assert action.owner == "Ahmed" and action.due_on == date(2026, 5, 15)

    prefix = f"update-{action.pk}"
    response = client.post(
        detail, {"form": "update", "action": action.pk, f"{prefix}-status": "done"}
    )
    assert response.context["forms"]["update"].errors["follow_up"]
    assert "Beschrijf de opvolging" in text(response)
    client.post(
        detail,
        {
            "form": "update",
            "action": action.pk,
            f"{prefix}-status": "done",
            f"{prefix}-follow_up": "Plan ontvangen en akkoord",
        },
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.closed_on is not None

    history = text(client.get(url("provider-dialogues", world_a, pk=world_a.provider.pk)))
    assert "Gesprek van 20-04-2026" in history and "Plan ontvangen en akkoord" in history
    assert "Uitgevoerd" in history and "Wachttijd besproken." in history


def test_updating_an_action_of_another_dialogue_is_a_404(client, world_a, users, dialogue):
    other = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.provider, scheduled_on=date(2026, 5, 1)
    )
    action = DialogueAction.objects.create(
        dialogue=other, description="x", owner="y", due_on=date(2026, 6, 1)
    )
    client.force_login(users.officer)
    response = client.post(
        url("dialogue-detail", world_a, pk=dialogue.pk),
        {"form": "update", "action": action.pk, f"update-{action.pk}-status": "dropped"},
    )
    assert response.status_code == 404


def test_dialogue_list_puts_upcoming_first_and_flags_overdue_actions(
    client, world_a, users, time_machine
):
    time_machine.move_to(date(2026, 6, 15))
    past = PerformanceDialogue.objects.create(
        region=world_a.region,
        provider=world_a.provider,
        scheduled_on=date(2026, 3, 1),
        status=DialogueStatus.HELD,
    )
    forgotten = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.distant_provider, scheduled_on=date(2026, 5, 1)
    )
    later = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.provider, scheduled_on=date(2026, 9, 1)
    )
    soon = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.distant_provider, scheduled_on=date(2026, 7, 1)
    )
    DialogueAction.objects.create(
        dialogue=past, description="Te laat", owner="Ahmed", due_on=date(2026, 6, 1)
    )
    DialogueAction.objects.create(
        dialogue=past, description="Op tijd", owner="Bea", due_on=date(2026, 7, 1)
    )
    client.force_login(users.viewer)
    response = client.get(url("dialogue-list", world_a))
    assert list(response.context["upcoming"]) == [soon, later]
    assert list(response.context["earlier"]) == [forgotten, past]
    row = next(d for d in response.context["earlier"] if d == past)
    assert row.open_actions == 2 and row.overdue_actions == 1
    page = text(response)
    assert "Verlopen acties (1)" in page and "Te laat" in page and "verslag ontbreekt" in page

    detail = text(client.get(url("dialogue-detail", world_a, pk=past.pk)))
    assert "2 open acties" in detail and "1 verlopen" in detail and "Verlopen" in detail


# ---------------------------------------------------------------- norms and weights


def norm_data(w, **extra):
    return {
        "form": "norm",
        "norm-segment": w.segment.pk,
        "norm-kpi": "dropout",
        "norm-direction": "lower",
        "norm-norm": "10",
        "norm-amber_threshold": "15",
        "norm-red_threshold": "20",
        **extra,
    }


def test_segment_norms_are_added_checked_edited_and_deleted(client, world_a, users):
    target = url("norms", world_a)
    client.force_login(users.officer)
    response = client.post(target, norm_data(world_a, **{"norm-amber_threshold": "25"}))
    assert errors(response, "norm")["amber_threshold"] == [
        "Bij 'lager is beter' geldt: norm ≤ drempel oranje ≤ drempel rood."
    ]
    response = client.post(
        target,
        norm_data(world_a, **{"norm-direction": "higher", "norm-kpi": "occupancy"}),
    )
    assert errors(response, "norm")["amber_threshold"] == [
        "Bij 'hoger is beter' geldt: norm ≥ drempel oranje ≥ drempel rood."
    ]
    assert not KpiNorm.objects.exists()

    response = client.post(target, norm_data(world_a), follow=True)
    norm = KpiNorm.objects.get()
    assert norm.segment == world_a.segment and norm.red_threshold == Decimal("20")
    assert any("is opgeslagen" in m for m in messages_of(response))
    page = text(response)
    # The sub-segment inherits the norm of its parent.
    assert "eigen norm" in page and "van segment 1" in page

    response = client.post(target, norm_data(world_a))
    assert errors(response, "norm")["kpi"] == [
        "Voor deze KPI bestaat al een norm in dit segment; wijzig die."
    ]
    response = client.get(target, {"wijzig": norm.pk})
    assert response.context["forms"]["norm"].instance == norm
    client.post(target, norm_data(world_a, wijzig=norm.pk, **{"norm-norm": "8"}))
    norm.refresh_from_db()
    assert norm.norm == Decimal("8") and KpiNorm.objects.count() == 1

    client.post(target, {"form": "delete", "delete-norm": norm.pk})
    assert not KpiNorm.objects.exists()


def test_contract_agreements_are_listed_with_a_link_to_the_contract(client, world_a, users):
    KpiNorm.objects.create(
        segment=world_a.segment,
        kpi="wait_time",
        direction="lower",
        norm=Decimal("30"),
        amber_threshold=Decimal("40"),
        red_threshold=Decimal("50"),
    )
    contract = world_a.con.contract
    client.force_login(users.viewer)
    response = client.get(url("norms", world_a))
    body = response.content.decode()
    link = reverse("contracts:contract-detail", args=[world_a.region.slug, contract.pk])
    assert f'href="{link}#kpis"' in body
    page = text(response)
    assert f"{contract.reference} {world_a.provider.name}" in page
    assert "Wachttijd (dagen) Lager is beter 28 35 42 30 / 40 / 50" in page
    assert KpiAgreement.objects.filter(contract=contract).count() == 1
    assert "Norm toevoegen" not in page and "Wijzigen" not in page


def test_risk_weights_are_edited_per_topic(client, world_a, users):
    target = url("weights", world_a)
    client.force_login(users.contract_manager)
    form = client.get(target).context["forms"]["weights"]
    data = {"form": "weights", **{f"weights-{name}": "1" for name in form.fields}}
    response = client.post(target, {**data, "weights-wait_time": "11"})
    assert errors(response, "weights")["wait_time"]
    assert not RiskWeight.objects.exists()
    response = client.post(
        target,
        {**data, "weights-wait_time": "2,5", "weights-finance_wnt": "3"},
        follow=True,
    )
    assert "De risicoweging is opgeslagen (2 gewijzigd)." in messages_of(response)
    weights = dict(RiskWeight.objects.values_list("topic", "weight"))
    assert weights == {"wait_time": Decimal("2.5"), "finance_wnt": Decimal("3")}
    client.force_login(users.viewer)
    page = text(client.get(target))
    assert "Wachttijd (dagen) 2,5" in page and "Bezoldiging topfunctionaris (WNT) 3" in page


# ---------------------------------------------------------------- finance


def test_finance_page_shows_margin_and_wnt_checks_and_raises_signals(client, world_a, users):
    target = url("provider-finance", world_a, pk=world_a.provider.pk)
    client.force_login(users.contract_manager)
    data = {
        "form": "account",
        "account-year": "2025",
        "account-revenue": "1000000",
        "account-result": "123000",
        "account-executive_pay": "260000",
        "account-note": "Vastgesteld",
    }
    response = client.post(target, {**data, "account-revenue": "0"})
    assert errors(response, "account")["revenue"] == ["De omzet moet groter zijn dan nul."]
    response = client.post(target, data, follow=True)
    assert response.status_code == 200
    assert any("De jaarrekening 2025 is opgeslagen." in m for m in messages_of(response))
    account = AnnualAccount.objects.get(provider=world_a.provider)
    assert account.result == Decimal("123000")

    page = text(response)
    # 123.000 / 1.000.000 = 12,3%: above 5%, not above 15%: amber. 260.000 > 246.000 (2025): red.
    assert "12,3%" in page
    rows = response.context["rows"]
    assert rows[0]["margin"] == Decimal("12.3") and rows[0]["margin_light"]["label"] == "Oranje"
    assert rows[0]["wnt_light"]["label"] == "Rood" and rows[0]["wnt_maximum"] == Decimal("246000")
    assert "Oranje Marge 12,3% in 2025 is hoger dan 5%." in page
    assert "Rood Bezoldiging topfunctionaris € 260.000,00 in 2025" in page
    # The checks became signals at once.
    signals = Signal.objects.filter(provider=world_a.provider, source="finance")
    assert {(s.topic, s.level) for s in signals} == {
        ("finance_margin", "amber"),
        ("finance_wnt", "red"),
    }
    assert (
        "Signalen uit de jaarrekening" in page and "Geen signalen uit de jaarrekening" not in page
    )

    # The same year again is refused; editing the year works.
    response = client.post(target, data)
    assert errors(response, "account")["year"] == [
        "Voor 2025 is al een jaarrekening vastgelegd; wijzig die."
    ]
    response = client.get(target, {"jaar": 2025})
    assert response.context["forms"]["account"].instance == account
    client.post(target, {**data, "jaar": "2025", "account-result": "40000"})
    account.refresh_from_db()
    assert account.result == Decimal("40000") and AnnualAccount.objects.count() == 1


def test_traffic_lights_always_carry_text(client, world_a, users):
    make_signal(world_a)
    client.force_login(users.viewer)
    body = client.get(url("signals", world_a)).content.decode()
    lights = re.findall(r'<span class="light light--(\w+)">.*?</span>\s*(\w+)</span>', body)
    assert lights == [("red", "Rood")]
    assert views_steering.light("red") == {"level": "red", "label": "Rood"}
