"""The contract pages: the list and its filters, the contract page, and every action on it.

Each action is tried as the user would: the happy path shows a message and the change on the
contract page; a refusal shows the rule's own reason next to the field and leaves no row behind.
The date is pinned to 15 June 2026 so that statuses and expiry windows do not drift.
"""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import (
    Budget,
    BudgetRevision,
    Contract,
    ContractEvent,
    FundingArrangement,
    KpiAgreement,
)
from segments.models import SupportProfile
from tests.segments.factories import ProductFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def pinned_today(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


def url(name, w, **kw):
    return reverse(f"contracts:{name}", kwargs={"region": w.region.slug, **kw})


def text(response) -> str:
    return response.content.decode()


def section(html: str, anchor: str) -> str:
    """The part of the contract page from the section ``anchor`` to the next section."""
    start = html.index(f'<section id="{anchor}"')
    end = html.find("<section", start + 1)
    return html[start : end if end > 0 else None]


def confirmed(client, link, data, *, follow=False):
    """Submit an action as the user does: the form's POST shows the confirmation page and
    records nothing; "Bevestigen" (the values carried) records it."""
    before = ContractEvent.objects.count()
    page = client.post(link, data)
    assert page.status_code == 200
    assert "Controleer wat wordt vastgelegd" in text(page)
    assert 'name="_confirm" value="1"' in text(page)
    assert ContractEvent.objects.count() == before
    return client.post(link, {**data, "_confirm": "1"}, follow=follow)


def make(w, reference, start, years, options=(), **fields):
    return services.contract_create(
        region=w.region,
        reference=reference,
        provider=fields.pop("provider", w.provider),
        segment=fields.pop("segment", w.segment),
        start_date=start,
        initial_term_years=years,
        extension_options=list(options),
        **fields,
    )


@pytest.fixture
def more(world_a):
    """Contracts in every status, next to the world's extended one (C-regio-a-001)."""
    w = world_a
    terminated = make(w, "K-TERM", date(2024, 1, 1), 4)
    services.contract_terminate(
        contract=terminated, effective_on=date(2025, 6, 30), reason="Faillissement"
    )
    return SimpleNamespace(
        planned=make(w, "K-PLAN", date(2026, 9, 1), 2),  # ends 31-08-2028
        ended=make(w, "K-END", date(2020, 1, 1), 2),  # ended 31-12-2021
        terminated=terminated,
        soon=make(  # ends 31-08-2026: within 3 months
            w,
            "K-SOON",
            date(2023, 9, 1),
            3,
            provider=w.distant_provider,
            segment=w.sub_segment,
            is_strategic_partner=True,
        ),
        mid=make(w, "K-MID", date(2024, 3, 1), 3),  # ends 28-02-2027: within 12 months
    )


ALL = {"C-regio-a-001", "K-PLAN", "K-END", "K-TERM", "K-SOON", "K-MID"}


def listed(client, w, **params) -> set[str]:
    response = client.get(url("contract-list", w), params)
    assert response.status_code == 200
    html = text(response)
    return {ref for ref in ALL if f">{ref}</a>" in html}


# ---------------------------------------------------------------- the list


def test_list_shows_the_columns_a_contract_manager_needs(client, world_a, users):
    client.force_login(users.contract_manager)
    html = text(client.get(url("contract-list", world_a)))
    assert world_a.con.contract.get_absolute_url() in html
    for column in ("Kenmerk", "Aanbieder", "Bekostiging", "Einde looptijd", "Strategisch partner"):
        assert column in html
    # PxQ + availability: hybrid; term 2025 + 3 + 1 extension, final end after both options.
    assert "Hybride" in html
    assert "31-12-2028" in html and "31-12-2029" in html
    assert "Lopend (verlengd)" in html
    assert "Nieuw: contract" in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("planned", {"K-PLAN"}),
        ("active", {"K-SOON", "K-MID"}),
        ("extended", {"C-regio-a-001"}),
        ("ended", {"K-END"}),
        ("terminated", {"K-TERM"}),
    ],
)
def test_list_filters_on_status(client, world_a, users, more, status, expected):
    client.force_login(users.officer)
    assert listed(client, world_a) == ALL
    assert listed(client, world_a, status=status) == expected


def test_list_filters_on_expiry(client, world_a, users, more):
    client.force_login(users.officer)
    assert listed(client, world_a, expiring="3") == {"K-SOON"}
    assert listed(client, world_a, expiring="12") == {"K-SOON", "K-MID"}


def test_list_filters_on_segment_provider_partner_and_search(client, world_a, users, more):
    client.force_login(users.officer)
    w = world_a
    assert listed(client, w, segment=w.sub_segment.pk) == {"K-SOON"}
    assert listed(client, w, segment=w.segment.pk) == ALL - {"K-SOON"}
    assert listed(client, w, provider=w.distant_provider.pk) == {"K-SOON"}
    assert listed(client, w, provider=w.provider.pk) == ALL - {"K-SOON"}
    assert listed(client, w, is_strategic_partner="true") == {"K-SOON"}
    assert listed(client, w, q="mid") == {"K-MID"}
    assert listed(client, w, q="Veraf") == {"K-SOON"}


def test_list_sorts_on_end_date(client, world_a, users, more):
    client.force_login(users.officer)
    html = text(client.get(url("contract-list", world_a), {"sort": "-end_date"}))
    positions = [html.index(f">{ref}</a>") for ref in ("C-regio-a-001", "K-MID", "K-END")]
    assert positions == sorted(positions)


def test_list_query_count_does_not_grow_with_contracts(
    client, world_a, users, more, django_assert_max_num_queries
):
    for c in (more.soon, more.mid, more.planned):
        services.arrangement_create(contract=c, model="task", valid_from=c.start_date)
    client.force_login(users.officer)
    with django_assert_max_num_queries(13):
        response = client.get(url("contract-list", world_a))
    assert response.context["table"].paginator.count == len(ALL)
    for n in range(12):
        c = make(world_a, f"K-EXTRA-{n}", date(2025, 1, 1), 2, [1])
        services.arrangement_create(contract=c, model="task", valid_from=c.start_date)
    with django_assert_max_num_queries(13):
        response = client.get(url("contract-list", world_a))
    assert response.context["table"].paginator.count == len(ALL) + 12


def test_list_is_scoped_to_the_users_region(client, world_a, world_b, users):
    client.force_login(users.officer)
    html = text(client.get(url("contract-list", world_a)))
    assert world_b.con.contract.reference not in html
    assert client.get(url("contract-list", world_b)).status_code == 404


# ---------------------------------------------------------------- the contract page


def test_contract_page_shows_terms_events_kpis_funding_ceilings_and_tariffs(client, world_a, users):
    client.force_login(users.contract_manager)
    w, con = world_a, world_a.con
    html = text(client.get(con.contract.get_absolute_url()))

    overview = section(html, "overzicht")
    assert "3 + 1 + 1" in overview
    assert "01-01-2025" in overview and "31-12-2028" in overview and "31-12-2029" in overview
    assert "Lopend (verlengd)" in overview
    assert "Per kwartaal" in overview

    events = section(html, "gebeurtenissen")
    assert "Start" in events and "Verlenging" in events
    assert "01-01-2028" in events  # the extension takes effect the day after the first term
    assert "Goede samenwerking" in events

    kpis = section(html, "kpis")
    assert "Wachttijd (dagen)" in kpis and "Lager is beter" in kpis
    assert ">28<" in kpis and ">35<" in kpis and ">42<" in kpis

    funding = section(html, "bekostiging")
    assert "Inspanningsgericht (PxQ)" in funding and "Beschikbaarheid" in funding
    assert "4 plaatsen × € 1.000,00 per maand" in funding and "50%" in funding
    assert w.product.code in funding and con.stay_product.code in funding

    budgets = section(html, "budgetten")
    assert "Budgetplafond" in budgets and "2026" in budgets
    assert "€ 100.000,00" in budgets  # the original ceiling
    assert "€ 110.000,00" in budgets  # after the revision
    assert "01-07-2026" in budgets and "Meer aanmeldingen" in budgets

    tariffs = section(html, "tarieven")
    # The regional tariff of the PxQ product: 70,00 in 2025, then 72,10 from 2026.
    assert "€ 70,00" in tariffs and "31-12-2025" in tariffs
    assert "€ 72,10" in tariffs and "01-01-2026" in tariffs
    assert "Regionaal" in tariffs
    # The contract's own tariff of the stay product.
    assert "€ 150,00" in tariffs and "Contract" in tariffs
    assert tariffs.count("geldt nu") == 2


def test_tariff_history_links_an_indexed_version_to_how_it_was_set(client, world_a, users):
    contract = world_a.con.contract
    services.tariffs_index(
        region=world_a.region,
        contract=contract,
        percentage=Decimal("3"),
        valid_from=date(2027, 1, 1),
        note="Index 2027",
    )
    indexed = contract.tariff_versions.get(valid_from=date(2027, 1, 1))
    client.force_login(users.viewer)
    tariffs = section(text(client.get(contract.get_absolute_url())), "tarieven")
    assert "€ 150,00" in tariffs and "31-12-2026" in tariffs  # closed by the indexation
    assert "€ 154,50" in tariffs and "Indexatie" in tariffs
    detail = url("tariff-detail", world_a, pk=indexed.pk)
    assert f'<a href="{detail}">3% per 01-01-2027</a>' in tariffs
    assert "Index 2027" in tariffs


def test_contract_page_query_count_does_not_grow_with_its_parts(
    client, world_a, users, django_assert_max_num_queries
):
    contract = world_a.con.contract
    for year in (2027, 2028):
        budget = services.budget_set(contract=contract, year=year, kind="ceiling", amount=1000)
        services.budget_revise(
            budget=budget, effective_on=date(year, 3, 1), amount=2000, reason="Herijking"
        )
    for kpi in ("dropout", "reentry"):
        KpiAgreement.objects.create(
            contract=contract,
            kpi=kpi,
            direction="lower",
            norm=5,
            amber_threshold=8,
            red_threshold=9,
        )
    services.arrangement_create(contract=contract, model="task", valid_from=date(2026, 1, 1))
    client.force_login(users.officer)
    # 15, plus one query each for the consents, development assignments and municipality scope
    with django_assert_max_num_queries(18):
        response = client.get(contract.get_absolute_url())
    assert response.status_code == 200


def action_urls(w):
    con = w.con
    pk = con.contract.pk
    return [
        url("contract-extend", w, pk=pk),
        url("contract-amend", w, pk=pk),
        url("contract-terminate", w, pk=pk),
        url("kpi-create", w, pk=pk),
        url("kpi-update", w, pk=pk, kpi=con.kpi.pk),
        url("kpi-delete", w, pk=pk, kpi=con.kpi.pk),
        url("arrangement-create", w, pk=pk),
        url("lumpsum-plan", w, pk=pk, arrangement=con.pxq.pk),
        url("budget-create", w, pk=pk),
        url("budget-revise", w, pk=pk, budget=con.ceiling.pk),
    ]


@pytest.mark.parametrize("role", ["officer", "contract_manager"])
def test_editors_see_every_action(client, world_a, users, role):
    client.force_login(getattr(users, role))
    html = text(client.get(world_a.con.contract.get_absolute_url()))
    for label in (
        "Verlengen",
        "Wijzigen",
        "Beëindigen",
        "KPI-afspraak toevoegen",
        "Bekostigingsafspraak toevoegen",
        "Budget toevoegen",
        "Herijken",
    ):
        assert label in html
    for link in action_urls(world_a):
        if "lumpsum" not in link:  # only task-based arrangements can plan a lumpsum
            assert link in html
    pk = world_a.con.contract.pk
    assert url("contract-settlement", world_a, pk=pk) in html
    assert url("contract-tariff-create", world_a, pk=pk) in html
    assert url("contract-tariff-index", world_a, pk=pk) in html


@pytest.mark.parametrize("role", ["viewer", "municipal"])
def test_readers_see_the_contract_without_actions_and_are_refused_every_action(
    client, world_a, users, role
):
    client.force_login(getattr(users, role))
    response = client.get(world_a.con.contract.get_absolute_url())
    assert response.status_code == 200
    html = text(response)
    assert "€ 110.000,00" in html
    for link in action_urls(world_a):
        assert link not in html
    for label in ("KPI-afspraak toevoegen", "Budget toevoegen", "Herijken", "Beëindigen"):
        assert label not in html
    pk = world_a.con.contract.pk
    assert url("contract-tariff-create", world_a, pk=pk) not in html
    # Settlement is built from every municipality's production: a municipality gets no link.
    settlement = url("contract-settlement", world_a, pk=pk)
    assert (settlement in html) == (role == "viewer")
    for link in [*action_urls(world_a), url("contract-create", world_a)]:
        assert client.get(link).status_code == 403, link
        assert client.post(link, {"reason": "x"}).status_code == 403, link
    assert KpiAgreement.objects.filter(pk=world_a.con.kpi.pk).exists()


def test_a_user_of_another_region_gets_404(client, world_a, users):
    client.force_login(users.other_region_officer)
    assert client.get(world_a.con.contract.get_absolute_url()).status_code == 404
    assert client.get(url("contract-create", world_a)).status_code == 404
    for link in action_urls(world_a):
        assert client.get(link).status_code == 404, link
        assert client.post(link, {"reason": "x"}).status_code == 404, link
    assert world_a.con.contract.events.count() == 2


def test_a_contract_of_another_region_is_not_found_under_ones_own(client, world_a, world_b, users):
    client.force_login(users.officer)
    other = world_b.con.contract
    assert client.get(url("contract-detail", world_a, pk=other.pk)).status_code == 404
    assert client.get(url("contract-extend", world_a, pk=other.pk)).status_code == 404
    # A KPI of another contract is not found under this one.
    mine = make(world_a, "K-EIGEN", date(2026, 1, 1), 2)
    link = url("kpi-update", world_a, pk=mine.pk, kpi=world_a.con.kpi.pk)
    assert client.get(link).status_code == 404


# ---------------------------------------------------------------- create


def contract_data(w, **over):
    data = {
        "reference": "K-NIEUW",
        "provider": w.provider.pk,
        "segment": w.segment.pk,
        "start_date": "2026-01-01",
        "initial_term_years": "4",
        "extension_options": "1 + 1",
        "reporting_frequency": "quarterly",
        "acceptance_obligation": "on",
    }
    data.update(over)
    return data


def test_create_an_existing_contract(client, world_a, users):
    client.force_login(users.contract_manager)
    assert client.get(url("contract-create", world_a)).status_code == 200
    lot = world_a.proc.submission.lot
    response = client.post(
        url("contract-create", world_a), contract_data(world_a, lot=lot.pk), follow=True
    )
    contract = Contract.objects.get(region=world_a.region, reference="K-NIEUW")
    assert response.redirect_chain[-1][0] == contract.get_absolute_url()
    html = text(response)
    assert "Contract K-NIEUW is vastgelegd." in html
    assert "4 + 1 + 1" in html and "31-12-2029" in html  # four years from 2026
    assert f'<a href="{lot.tender.get_absolute_url()}">{lot.tender.reference}</a>' in html
    assert contract.extension_options == [1, 1] and contract.acceptance_obligation
    assert contract.events.get().kind == "start"


def test_extension_options_typed_with_commas(client, world_a, users):
    client.force_login(users.officer)
    client.post(url("contract-create", world_a), contract_data(world_a, extension_options="2,1"))
    assert Contract.objects.get(reference="K-NIEUW").extension_options == [2, 1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("1 + een", "Gebruik hele getallen, bijvoorbeeld 1 + 1."),
        ("1 + 11", "Verlengingsopties zijn hele jaren van 1 tot en met 10."),
    ],
)
def test_create_refuses_bad_extension_options(client, world_a, users, options, message):
    client.force_login(users.officer)
    before = Contract.objects.count()
    response = client.post(
        url("contract-create", world_a), contract_data(world_a, extension_options=options)
    )
    assert response.status_code == 200
    html = text(response)
    assert message in html
    assert 'id="id_extension_options_error"' in html
    assert (
        Contract.objects.count() == before
        and not ContractEvent.objects.filter(contract__reference="K-NIEUW").exists()
    )


def test_create_refuses_a_reference_in_use(client, world_a, users):
    client.force_login(users.officer)
    before = Contract.objects.count()
    response = client.post(
        url("contract-create", world_a),
        contract_data(world_a, reference=world_a.con.contract.reference),
    )
    assert response.status_code == 200
    assert "bestaat al" in text(response)
    assert Contract.objects.count() == before


# ---------------------------------------------------------------- extend, amend, terminate


def test_extend_with_the_last_option_then_refuse_a_third(client, world_a, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    link = url("contract-extend", world_a, pk=contract.pk)
    page = text(client.get(link))
    assert "verlengingsoptie 2 van 2" in page
    assert "31-12-2028" in page and "31-12-2029" in page  # now, and after this option
    # Nothing pre-filled that makes a one-click mistake: years and date are chosen.
    assert 'name="years" value=' not in page
    assert 'value="2026-06-15"' not in page

    events = ContractEvent.objects.filter(contract=contract)
    before = events.count()
    wrong = client.post(link, {"years": "2", "decided_on": "2026-06-15"})
    assert "De volgende verlengingsoptie is 1 jaar, niet 2." in text(wrong)
    assert events.count() == before

    response = confirmed(
        client, link, {"years": "1", "decided_on": "2026-06-15", "reason": "Positieve evaluatie"}
    )
    assert response.status_code == 302
    html = text(client.get(response["Location"]))
    assert "Het contract is verlengd met 1 jaar; het loopt nu tot en met 31-12-2029." in html
    assert "Positieve evaluatie" in section(html, "gebeurtenissen")
    assert "2 van 2 verlengingsopties benut" in html
    assert events.count() == before + 1
    contract.refresh_from_db()
    assert contract.end_date == date(2029, 12, 31) and contract.extensions_used == 2

    assert "geen verlengingsoptie meer" in text(client.get(link))
    refused = client.post(link, {"years": "1", "decided_on": "2026-06-15"})
    assert refused.status_code == 200
    html = text(refused)
    assert "Alle verlengingsopties (1 + 1 jaar) zijn al benut." in html
    assert 'id="id_years_error"' in html
    assert events.count() == before + 1


def test_amend_records_what_changed_and_why(client, world_a, users):
    client.force_login(users.officer)
    contract = world_a.con.contract
    link = url("contract-amend", world_a, pk=contract.pk)
    assert client.get(link).status_code == 200
    data = {
        "effective_on": "2026-07-01",
        "reason": "Addendum 1: acceptatieplicht",
        "acceptance_obligation": "on",
        "reporting_frequency": "monthly",
        "development_assignments": "Ambulantisering",
    }
    response = confirmed(client, link, data, follow=True)
    html = text(response)
    assert "De wijziging is vastgelegd." in html
    events = section(html, "gebeurtenissen")
    assert "Addendum 1: acceptatieplicht" in events
    assert "acceptatieplicht: nee → ja" in events
    assert "Maandelijks" in section(html, "overzicht")
    contract.refresh_from_db()
    assert contract.acceptance_obligation and contract.reporting_frequency == "monthly"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"reason": ""}, "Beschrijf de wijziging."),
        ({"effective_on": "2035-01-01"}, "Een wijziging gaat in tijdens de looptijd"),
    ],
)
def test_amend_refusals_change_nothing(client, world_a, users, over, message):
    client.force_login(users.officer)
    contract = world_a.con.contract
    data = {
        "effective_on": "2026-07-01",
        "reason": "Addendum",
        "acceptance_obligation": "on",
        "reporting_frequency": "monthly",
        **over,
    }
    response = client.post(url("contract-amend", world_a, pk=contract.pk), data)
    assert response.status_code == 200
    assert message in text(response)
    contract.refresh_from_db()
    assert not contract.acceptance_obligation and contract.reporting_frequency == "quarterly"
    assert contract.events.count() == 2


def test_terminate_needs_a_reason(client, world_a, users):
    client.force_login(users.officer)
    contract = world_a.con.contract
    link = url("contract-terminate", world_a, pk=contract.pk)
    assert "Verder naar bevestigen" in text(client.get(link))
    refused = client.post(link, {"effective_on": "2026-06-30", "reason": "  "})
    assert refused.status_code == 200
    html = text(refused)
    assert "Geef de reden van de beëindiging." in html
    assert 'id="id_reason_error"' in html
    assert contract.events.count() == 2
    contract.refresh_from_db()
    assert contract.terminated_on is None

    response = confirmed(
        client, link, {"effective_on": "2026-06-30", "reason": "Kwaliteit onvoldoende"}, follow=True
    )
    html = text(response)
    assert "Het contract is beëindigd per 30-06-2026." in html
    assert "Kwaliteit onvoldoende" in section(html, "gebeurtenissen")
    contract.refresh_from_db()
    assert contract.terminated_on == date(2026, 6, 30) and contract.end_date == date(2026, 6, 30)
    # A terminated contract offers no extension, amendment or second termination.
    assert url("contract-extend", world_a, pk=contract.pk) not in html
    assert link not in html
    again = client.post(link, {"effective_on": "2026-06-30", "reason": "Nogmaals"})
    assert "Dit contract is al beëindigd." in text(again)
    assert contract.events.count() == 3


# ---------------------------------------------------------------- KPI agreements


def kpi_data(**over):
    data = {
        "kpi": "dropout",
        "direction": "lower",
        "norm": "5",
        "amber_threshold": "8",
        "red_threshold": "10",
        "note": "",
    }
    data.update(over)
    return data


def test_kpi_agreement_add_change_and_delete(client, world_a, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    response = client.post(url("kpi-create", world_a, pk=contract.pk), kpi_data(), follow=True)
    html = text(response)
    assert "KPI-afspraak &#x27;Uitval (%)&#x27; is toegevoegd." in html
    assert "Uitval (%)" in section(html, "kpis")
    kpi = contract.kpi_agreements.get(kpi="dropout")

    update = url("kpi-update", world_a, pk=contract.pk, kpi=kpi.pk)
    assert 'value="5.00"' in text(client.get(update))
    client.post(update, kpi_data(norm="4"))
    kpi.refresh_from_db()
    assert kpi.norm == Decimal("4")

    delete = url("kpi-delete", world_a, pk=contract.pk, kpi=kpi.pk)
    assert "Weet u zeker" in text(client.get(delete))
    html = text(client.post(delete, follow=True))
    assert "is verwijderd" in html
    assert "Uitval (%)" not in section(html, "kpis")
    assert not KpiAgreement.objects.filter(pk=kpi.pk).exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        (
            {"direction": "higher", "norm": "80", "amber_threshold": "90", "red_threshold": "70"},
            "Bij &#x27;hoger is beter&#x27; geldt: norm ≥ drempel oranje ≥ drempel rood.",
        ),
        ({"kpi": "wait_time"}, "Voor deze KPI bestaat al een afspraak in dit contract"),
    ],
)
def test_kpi_agreement_refusals_add_nothing(client, world_a, users, over, message):
    client.force_login(users.officer)
    contract = world_a.con.contract
    response = client.post(url("kpi-create", world_a, pk=contract.pk), kpi_data(**over))
    assert response.status_code == 200
    assert message in text(response)
    assert contract.kpi_agreements.count() == 1


# ---------------------------------------------------------------- funding arrangements


def test_add_an_output_arrangement(client, world_a, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    dyslexia = ProductFactory(
        region=world_a.region, care_form=world_a.care_form, name="Dyslexietraject", unit="82"
    )
    link = url("arrangement-create", world_a, pk=contract.pk)
    page = text(client.get(link))
    assert "Dyslexietraject (82 stuks (output))" in page
    assert world_a.con.stay_product.name in page
    response = client.post(
        link,
        {
            "model": "output",
            "name": "Dyslexie",
            "valid_from": "2026-01-01",
            "products": [dyslexia.pk],
            "output_payment": "end",
        },
        follow=True,
    )
    html = text(response)
    assert "Bekostigingsafspraak &#x27;Dyslexie&#x27; is toegevoegd." in html
    funding = section(html, "bekostiging")
    assert "Outputgericht" in funding and "Bij het einde van het traject" in funding
    arrangement = contract.arrangements.get(model="output")
    assert list(arrangement.products.all()) == [dyslexia]


def test_arrangement_with_a_product_whose_unit_does_not_fit_is_refused(client, world_a, users):
    client.force_login(users.officer)
    contract = world_a.con.contract
    before = FundingArrangement.objects.count()
    response = client.post(
        url("arrangement-create", world_a, pk=contract.pk),
        {
            "model": "output",
            "valid_from": "2026-01-01",
            "products": [world_a.product.pk],  # unit 04 uur: effort, not output
            "output_payment": "start",
        },
    )
    assert response.status_code == 200
    html = text(response)
    assert f"{world_a.product.code} heeft eenheid 04 uur; die past niet bij Outputgericht" in html
    assert 'id="id_products_error"' in html
    assert FundingArrangement.objects.count() == before


def test_availability_arrangement_needs_places_fee_and_threshold(client, world_a, users):
    client.force_login(users.officer)
    contract = world_a.con.contract
    before = FundingArrangement.objects.count()
    response = client.post(
        url("arrangement-create", world_a, pk=contract.pk),
        {"model": "availability", "valid_from": "2027-01-01", "output_payment": "start"},
    )
    html = text(response)
    assert "Vul het aantal plaatsen in." in html
    assert "Vul de vergoeding per plaats per maand in." in html
    assert 'id="id_places_error"' in html
    assert FundingArrangement.objects.count() == before


# ---------------------------------------------------------------- lumpsum and budgets


@pytest.fixture
def task(world_a):
    return services.arrangement_create(
        contract=world_a.con.contract, model="task", valid_from=date(2026, 1, 1), name="Wijkteam"
    )


def test_plan_a_decreasing_lumpsum(client, world_a, users, task):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    detail = text(client.get(contract.get_absolute_url()))
    link = url("lumpsum-plan", world_a, pk=contract.pk, arrangement=task.pk)
    assert link in detail
    assert url("lumpsum-plan", world_a, pk=contract.pk, arrangement=world_a.con.pxq.pk) not in (
        detail
    )
    assert "Wijkteam" in text(client.get(link))
    response = client.post(
        link, {"base_amount": "100000", "base_year": "2026", "decrease_pct": "5"}, follow=True
    )
    html = text(response)
    assert "4 lumpsumbudgetten aangemaakt (2026 tot en met 2029)." in html
    budgets = section(html, "budgetten")
    assert "€ 100.000,00" in budgets and "€ 95.000,00" in budgets
    assert "jaarlijks 5% minder" in section(html, "bekostiging")
    assert contract.budgets.filter(kind="lumpsum").count() == 4


def test_lumpsum_refusals_add_no_budgets(client, world_a, users, task):
    client.force_login(users.officer)
    contract = world_a.con.contract
    link = url("lumpsum-plan", world_a, pk=contract.pk, arrangement=task.pk)
    response = client.post(
        link, {"base_amount": "100000", "base_year": "2026", "decrease_pct": "60"}
    )
    assert "De jaarlijkse afname ligt tussen 0% en 50%." in text(response)
    pxq = url("lumpsum-plan", world_a, pk=contract.pk, arrangement=world_a.con.pxq.pk)
    response = client.post(pxq, {"base_amount": "100000", "base_year": "2026", "decrease_pct": "5"})
    assert "Een lumpsum hoort bij een taakgerichte afspraak." in text(response)
    assert not contract.budgets.filter(kind="lumpsum").exists()


def test_add_a_ceiling(client, world_a, users):
    client.force_login(users.contract_manager)
    contract = world_a.con.contract
    link = url("budget-create", world_a, pk=contract.pk)
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        {"year": "2027", "kind": "ceiling", "amount": "50000", "note": "Na aanbesteding"},
        follow=True,
    )
    html = text(response)
    assert "Budgetplafond 2027 is vastgelegd: € 50.000,00." in html
    assert "€ 50.000,00" in section(html, "budgetten")
    assert contract.budgets.filter(year=2027, kind="ceiling").exists()


@pytest.mark.parametrize(
    ("over", "message", "field"),
    [
        ({"year": "2031"}, "een budget voor 2031 valt daarbuiten", "year"),
        ({"year": "2026"}, "Voor 2026 bestaat dit budget al", "year"),
        ({"kind": "lumpsum", "profile": True}, "Alleen een plafond kan per profiel gelden.", None),
    ],
)
def test_budget_refusals_add_nothing(client, world_a, users, over, message, field):
    client.force_login(users.officer)
    contract = world_a.con.contract
    data = {"year": "2027", "kind": "ceiling", "amount": "50000", **over}
    if data.pop("profile", False):
        data["support_profile"] = SupportProfile.objects.create(
            region=world_a.region, number=1, name="Opgroeien"
        ).pk
    before = Budget.objects.count()
    response = client.post(url("budget-create", world_a, pk=contract.pk), data)
    assert response.status_code == 200
    html = text(response)
    assert message in html
    if field:
        assert f'id="id_{field}_error"' in html
    assert Budget.objects.count() == before


def test_revise_a_ceiling(client, world_a, users):
    client.force_login(users.contract_manager)
    contract, ceiling = world_a.con.contract, world_a.con.ceiling
    link = url("budget-revise", world_a, pk=contract.pk, budget=ceiling.pk)
    page = text(client.get(link))
    assert "Het bedrag is nu € 110.000,00 (oorspronkelijk € 100.000,00)" in page
    response = client.post(
        link,
        {"effective_on": "2026-10-01", "amount": "125000", "reason": "Wachtlijst"},
        follow=True,
    )
    html = text(response)
    assert "Budgetplafond 2026 is herijkt op € 125.000,00 per 01-10-2026." in html
    budgets = section(html, "budgetten")
    assert "€ 100.000,00" in budgets and "€ 125.000,00" in budgets and "Wachtlijst" in budgets
    assert ceiling.revisions.count() == 2


def test_revision_refusals_add_nothing(client, world_a, users):
    client.force_login(users.officer)
    contract, ceiling = world_a.con.contract, world_a.con.ceiling
    before = BudgetRevision.objects.count()
    response = client.post(
        url("budget-revise", world_a, pk=contract.pk, budget=ceiling.pk),
        {"effective_on": "2027-01-01", "amount": "125000", "reason": ""},
    )
    assert response.status_code == 200
    html = text(response)
    assert "Geef de reden van de herijking." in html
    assert "Een herijking van het budget 2026 gaat in dat jaar in." in html
    assert 'id="id_reason_error"' in html and 'id="id_effective_on_error"' in html
    assert BudgetRevision.objects.count() == before
