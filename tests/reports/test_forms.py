"""The report forms: the subject must fit the kind, the period the kind's cadence (with a Dutch
message), choices stay in the region; cron fields are checked with django-celery-beat's
validators; the verdeelsleutel adds up to at most 100%."""

from datetime import date
from decimal import Decimal

import pytest

from reports.forms import (
    BudgetSharesForm,
    ReportRequestForm,
    RunForm,
    ScheduleForm,
    format_percentage,
)
from reports.models import ReportSchedule

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def request_form(users, world, **data):
    return ReportRequestForm(data=data, user=users.officer, region=world.region, today=TODAY)


def test_period_choices_are_recent_complete_periods_of_each_cadence(world_a, users):
    form = request_form(users, world_a)
    months = [code for code, _label in form.fields["month"].choices]
    assert months[:2] == ["2026-10", "2026-09"] and len(months) == 24
    assert dict(form.fields["month"].choices)["2026-10"] == "oktober 2026"
    assert [c for c, _l in form.fields["quarter"].choices][:2] == ["2026-K3", "2026-K2"]
    assert dict(form.fields["quarter"].choices)["2026-K3"] == "3e kwartaal 2026"
    assert [c for c, _l in form.fields["year"].choices][:2] == ["2025", "2024"]


def test_each_kind_takes_its_own_subject_and_period(world_a, users):
    form = request_form(
        users,
        world_a,
        kind="segment",
        provider=world_a.provider.pk,  # ignored: not the segment kind's subject
        segment=world_a.segment.pk,
        month="2026-10",
        quarter="2026-K2",
        year="2025",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subject"] == world_a.segment
    assert form.cleaned_data["period"].code == "2026-K2"

    form = request_form(users, world_a, kind="board", year="2025", month="2026-10")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["subject"] == world_a.region
    assert form.cleaned_data["period"].code == "2025"


def test_missing_subject_is_an_error_on_its_field(world_a, users):
    form = request_form(
        users, world_a, kind="provider", segment=world_a.segment.pk, month="2026-10"
    )
    assert not form.is_valid()
    assert form.errors.keys() == {"provider"}
    assert "Kies de aanbieder" in form.errors["provider"][0]

    form = request_form(users, world_a, kind="municipality", quarter="2026-K3")
    assert form.errors.keys() == {"municipality"}


def test_subjects_of_another_region_are_no_choice(world_a, world_b, users):
    form = request_form(
        users, world_a, kind="provider", provider=world_b.provider.pk, month="2026-10"
    )
    assert not form.is_valid()
    assert "provider" in form.errors
    assert world_b.provider not in form.fields["provider"].queryset
    assert set(form.fields["municipality"].queryset) == {
        world_a.municipality,
        world_a.other_municipality,
    }


def test_free_text_period_is_parsed_for_the_kinds_cadence(world_a, users):
    base = {"kind": "provider", "provider": world_a.provider.pk, "month": "2026-10"}
    form = request_form(users, world_a, **base, other_period=" 2024-02 ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period"].code == "2024-02"

    form = request_form(users, world_a, **base, other_period="2026-K3")
    assert form.errors.keys() == {"other_period"}
    assert form.errors["other_period"] == [
        "Periode '2026-K3' past niet: verwacht zoiets als 2026-10."
    ]
    form = request_form(users, world_a, **base, other_period="2026-13")
    assert "maand 13 bestaat niet" in form.errors["other_period"][0]

    form = request_form(users, world_a, **base, other_period="2027-01")
    assert "ligt in de toekomst" in form.errors["other_period"][0]


def test_missing_period_and_period_of_another_list(world_a, users):
    form = request_form(users, world_a, kind="segment", segment=world_a.segment.pk)
    assert form.errors.keys() == {"quarter"}
    assert "Kies een kwartaal" in form.errors["quarter"][0]
    form = request_form(
        users, world_a, kind="segment", segment=world_a.segment.pk, quarter="2026-10"
    )
    assert form.errors.keys() == {"quarter"}  # not one of the choices


def test_create_page_shows_errors_per_field_without_script(client, world_a, users):
    from django.urls import reverse

    client.force_login(users.officer)
    response = client.post(
        reverse("reports:report-create", args=[world_a.region.slug]),
        {"kind": "segment", "other_period": "2026"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Controleer de invoer" in body
    assert "Kies het segment van de segmentrapportage." in body
    assert "Periode &#x27;2026&#x27; past niet: verwacht zoiets als 2026-K3." in body
    # every field is in the page; the script only hides what does not fit
    for name in ("provider", "segment", "municipality", "month", "quarter", "year"):
        assert f'name="{name}"' in body


def test_schedule_form_uses_the_cron_validators(world_a):
    schedule = ReportSchedule(region=world_a.region, kind="provider")
    good = {
        "enabled": True,
        "minute": "*/15",
        "hour": "6,18",
        "day_of_month": "1-5",
        "month_of_year": "1,4,7,10",
        "day_of_week": "mon-fri",
    }
    assert ScheduleForm(data=good, instance=schedule).is_valid()
    bad = {**good, "minute": "61", "hour": "24", "day_of_month": "0", "month_of_year": "13"}
    form = ScheduleForm(data={**bad, "day_of_week": "7x"}, instance=schedule)
    assert form.errors.keys() == {"minute", "hour", "day_of_month", "month_of_year", "day_of_week"}
    assert form.errors["minute"] == [
        "'61' is geen geldige minuut. Gebruik 0–59, * (elke), een lijst (1,15), een reeks "
        "(1-5) of een stap (*/15)."
    ]
    form = ScheduleForm(data={**good, "minute": " 0, 30 "}, instance=schedule)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["minute"] == "0,30"


def test_run_form_offers_the_cadences_periods():
    form = RunForm(cadence="quarter", today=TODAY)
    assert form.fields["period"].initial == "2026-K3"
    form = RunForm(data={"period": "2026-K2"}, cadence="quarter", today=TODAY)
    assert form.is_valid() and form.cleaned_data["period"].code == "2026-K2"
    assert not RunForm(data={"period": "2026-10"}, cadence="quarter", today=TODAY).is_valid()


def test_budget_shares_form_adds_up_to_at_most_100(world_a):
    m1, m2 = world_a.municipality, world_a.other_municipality

    def form(a, b):
        return BudgetSharesForm(
            data={f"m{m1.pk}": a, f"m{m2.pk}": b}, municipalities=[m1, m2], shares={}
        )

    ok = form("33,333", "66,667")
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["total"] == Decimal("100.000")
    assert ok.shares() == {m1: Decimal("33.333"), m2: Decimal("66.667")}
    over = form("50", "50,001")
    assert not over.is_valid()
    assert over.non_field_errors() == [
        "Samen is dat 100,001%: meer dan 100%. Verlaag één of meer aandelen; er is niets "
        "opgeslagen."
    ]
    assert form("", "").is_valid()
    assert form("101", "").errors.keys() == {f"m{m1.pk}"}
    assert format_percentage(Decimal("12.500")) == "12,5"


def test_a_month_in_words_fits_the_free_period_field(world_a, users):
    """Issue 22: the field cut "oktober 2026" at 10 characters; a month may be written out."""
    base = {"kind": "provider", "provider": world_a.provider.pk, "month": "2026-10"}
    form = request_form(users, world_a, **base, other_period="september 2026")
    assert form.fields["other_period"].max_length >= len("september 2026")
    assert 'maxlength="40"' in str(form["other_period"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period"].code == "2026-09"
    for text, code in (
        ("Oktober 2026", "2026-10"),
        ("okt 2026", "2026-10"),
        ("March 2025", "2025-03"),
    ):
        form = request_form(users, world_a, **base, other_period=text)
        assert form.is_valid(), (text, form.errors)
        assert form.cleaned_data["period"].code == code
    form = request_form(users, world_a, **base, other_period="herfst 2026")
    assert "past niet" in form.errors["other_period"][0]
