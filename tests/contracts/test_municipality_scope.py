"""A contract's municipality scope (contracts.scope): set through the service with an event and
an audit entry, narrowing refused while lines exist, the import refusing a line outside the
scope (per row, set-based and after the import's lock), and what follows from it: settlement,
the KPIs per municipality, what a municipality sees (pages and API) and its part of the budget
in the municipal report.

World A: the contract C-regio-a-001 (segment 1, PxQ on "Product A" at € 72,10 an hour in 2026)
has three declarations of Gemeente A1 (January–March 2026, 10 hours each). Gemeente A2 does not
take part in segment 1; Gemeente A3, added here, takes part in everything.
"""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from api.models import ApiClient, ClientKind
from api.services import api_key_issue
from contracts import services
from contracts.models import Contract, ContractEvent
from contracts.scope import contract_set_municipality_scope, scope_label
from contracts.selectors import settlement_for
from contracts.settlement import Period
from core.api.scopes import ApiScope
from monitoring.imports import load
from monitoring.imports.models import ImportStatus
from monitoring.models import Declaration, KpiRollup, Trajectory
from reports import content
from reports import services as report_services
from reports.budget_scope import municipal_budget
from reports.models import BudgetShare, ReportKind
from reports.periods import parse_period
from tests.accounts.factories import municipal_user
from tests.api.conftest import Api
from tests.monitoring.test_import_service import declaration_csv, rejected_with, run, write
from tests.segments.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)
MODES = [True, False]  # set-based (vectorised) and purely per row


@pytest.fixture
def a3(world_a):
    return MunicipalityFactory(region=world_a.region, name="Gemeente A3")


def scope(contract, municipalities, **kwargs):
    return contract_set_municipality_scope(
        contract=contract,
        municipalities=municipalities,
        effective_on=kwargs.pop("effective_on", date(2026, 1, 1)),
        **kwargs,
    )


# ---------------------------------------------------------------- the service


def test_the_scope_is_an_event_and_in_the_audit_log(world_a, users, a3):
    contract = world_a.con.contract
    assert scope_label(contract.municipalities.all()) == "alle gemeenten"
    event = scope(contract, [world_a.municipality, a3], reason="Pilot", user=users.officer)
    assert event.kind == "amendment" and event.recorded_by == users.officer
    assert event.reason == "Pilot\nGeldt voor: alle gemeenten → Gemeente A1, Gemeente A3"
    assert set(contract.municipalities.all()) == {world_a.municipality, a3}
    entry = LogEntry.objects.get_for_object(contract).filter(action=LogEntry.Action.UPDATE).last()
    assert entry is not None and "municipalities" in entry.changes_dict
    # the same scope again changes nothing; back to every municipality is always allowed
    assert scope(contract, [a3, world_a.municipality]) is None
    back = scope(contract, [])
    assert back.reason == "Geldt voor: Gemeente A1, Gemeente A3 → alle gemeenten"
    assert not contract.municipalities.exists()
    assert ContractEvent.objects.filter(contract=contract, kind="amendment").count() == 2


def test_refusals_leave_nothing_behind(world_a, world_b, a3):
    contract = world_a.con.contract
    events = contract.events.count()
    with pytest.raises(ValidationError) as error:
        scope(contract, [world_b.municipality])
    assert "Gemeente B1 hoort niet bij de regio" in str(error.value.message_dict["municipalities"])
    with pytest.raises(ValidationError) as error:
        scope(contract, [a3], effective_on=date(2024, 12, 31))
    assert "tijdens de looptijd" in str(error.value.message_dict["effective_on"])
    assert contract.events.count() == events and not contract.municipalities.exists()


def test_narrowing_is_refused_while_a_removed_municipality_has_lines(world_a, a3):
    contract = world_a.con.contract
    # Gemeente A1 has the three declarations of January–March 2026 and one trajectory
    Trajectory.objects.create(
        region=world_a.region,
        contract=contract,
        municipality=world_a.municipality,
        product=world_a.product,
        client_key="k1",
        reference="T1",
        started_on=date(2026, 1, 5),
    )
    with pytest.raises(ValidationError) as error:
        scope(contract, [a3])
    message = error.value.message_dict["municipalities"][0]
    assert "C-regio-a-001" in message and "Gemeente A1 (4 productieregels)" in message
    assert not contract.municipalities.exists()
    # a corrected (inactive) line no longer counts; neither does a municipality that stays
    Declaration.objects.filter(contract=contract).update(active=False)
    Trajectory.objects.filter(contract=contract).update(active=False)
    scope(contract, [a3])
    assert list(contract.municipalities.all()) == [a3]


def test_a_terminated_contract_keeps_its_scope(world_a, a3):
    contract = world_a.con.contract
    services.contract_terminate(contract=contract, effective_on=date(2026, 6, 30), reason="Stop")
    with pytest.raises(ValidationError) as error:
        scope(contract, [world_a.municipality, a3])
    assert "beëindigd" in str(error.value)


# ---------------------------------------------------------------- the import


@pytest.mark.parametrize("vectorised", MODES)
def test_the_import_refuses_a_line_outside_the_scope(world_a, a3, tmp_path, settings, vectorised):
    settings.IMPORT_VECTORISED = vectorised
    contract = world_a.con.contract
    scope(contract, [world_a.municipality])
    rows = [{}, {"gemeente": a3.cbs_code}, {"gemeente": world_a.municipality.cbs_code}]
    before = Declaration.objects.count()
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    error = rejected_with(batch, "gemeente", "Gemeente A3", row=3)
    assert error["message"] == (
        "Gemeente Gemeente A3 valt buiten contract C-regio-a-001: dat contract geldt alleen "
        "voor Gemeente A1."
    )
    assert batch.error_count == 1 and Declaration.objects.count() == before


@pytest.mark.parametrize("vectorised", MODES)
def test_a_scope_narrowed_after_the_rows_were_checked_is_checked_again(
    world_a, a3, tmp_path, settings, monkeypatch, vectorised
):
    """The import reads the scopes before its lock; narrowing takes the same lock, and the
    lines are checked against the scopes as they are once the import holds it."""
    settings.IMPORT_VECTORISED = vectorised
    contract = world_a.con.contract
    prepare = load.Stage.prepare

    def narrowed_meanwhile(stage):
        scope(contract, [world_a.municipality])
        return prepare(stage)

    monkeypatch.setattr(load.Stage, "prepare", narrowed_meanwhile)
    rows = [{}, {"gemeente": a3.cbs_code}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, rows)))
    error = rejected_with(batch, "gemeente", "valt buiten contract C-regio-a-001", row=3)
    assert "Gemeente A3" in error["message"] and batch.error_count == 1


def test_ijw_picks_the_contract_of_the_municipality(world_a, a3):
    """Two contracts of one provider cover the product: the pilot for A3, the other for A1."""
    from monitoring.imports.ijw import IjwRows
    from monitoring.imports.validate import Lookups

    pilot = services.contract_create(
        region=world_a.region,
        reference="PILOT-A3",
        provider=world_a.provider,
        segment=world_a.segment,
        start_date=date(2026, 1, 1),
        initial_term_years=1,
    )
    services.arrangement_create(
        contract=pilot, model="pxq", valid_from=date(2026, 1, 1), products=[world_a.product]
    )
    scope(pilot, [a3])
    scope(world_a.con.contract, [world_a.municipality])
    lookups = Lookups.for_region(world_a.region)
    reader = IjwRows.__new__(IjwRows)
    reader.lookups, reader._contract_cache = lookups, {}
    provider = (world_a.provider.pk, world_a.provider.name)
    for gm, expected in (
        (a3.cbs_code, "PILOT-A3"),
        (world_a.municipality.cbs_code, "C-regio-a-001"),
    ):
        context = {"provider": provider, "agb": "x", "gm": gm}
        assert reader._contract(context, world_a.product.code, date(2026, 4, 1)) == (expected, "")


# ---------------------------------------------------------------- what follows from it


@pytest.mark.parametrize("vectorised", MODES)
def test_settlement_and_kpis_count_only_the_municipalities_in_scope(
    world_a, a3, tmp_path, settings, vectorised
):
    settings.IMPORT_VECTORISED = vectorised
    contract = world_a.con.contract
    scope(contract, [world_a.municipality])
    april = Period.months(2026, 4, 4)
    # refused: the A3 line takes the A1 line down with it (nothing half-saved)
    mixed = [{"aantal": "5", "bedrag": "360,50"}, {"gemeente": a3.cbs_code, "aantal": "8"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, mixed), "m.csv"))
    assert batch.status == ImportStatus.REJECTED
    assert not [line for line in settlement_for(contract, april).lines if line.model == "pxq"]
    ok = [{"aantal": "5", "bedrag": "360,50"}]
    batch = run(world_a, "declaraties", write(tmp_path, declaration_csv(world_a, ok), "ok.csv"))
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    pxq = [line for line in settlement_for(contract, april).lines if line.model == "pxq"]
    # 5 hours × € 72,10 = € 360,50: only the A1 line
    assert [line.amount for line in pxq] == [Decimal("360.50")]
    by_municipality = dict(
        KpiRollup.objects.filter(grain="municipality", month=APRIL).values_list(
            "municipality", "amount"
        )
    )
    assert by_municipality == {world_a.municipality.pk: Decimal("360.50")}
    assert not KpiRollup.objects.filter(municipality=a3).exists()


def test_a_municipality_outside_the_scope_does_not_see_the_contract(client, world_a, users, a3):
    contract = world_a.con.contract
    outside = municipal_user(a3)
    assert Contract.objects.visible_to(outside).filter(pk=contract.pk).exists()
    scope(contract, [world_a.municipality])
    assert not Contract.objects.visible_to(outside).filter(pk=contract.pk).exists()
    assert Contract.objects.visible_to(users.municipal).filter(pk=contract.pk).exists()
    client.force_login(outside)
    assert client.get(contract.get_absolute_url()).status_code == 404
    client.force_login(users.municipal)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Geldt voor" in page and "Gemeente A1" in page and "1 van 3 gemeenten" in page
    # the API: a municipality's client of A3 lists neither the contract nor its budgets
    api_client = ApiClient(
        region=world_a.region,
        name="Gemeente A3 BI",
        kind=ClientKind.MUNICIPALITY,
        municipality=a3,
        scopes=[ApiScope.READ_CONTRACTS, ApiScope.READ_FIGURES],
    )
    api_client.full_clean()
    api_client.save()
    cache.clear()  # throttle counts are keyed by client id
    caller = Api(api_key_issue(client=api_client))
    assert caller.get("/api/v1/contracten").json()["aantal"] == 0
    assert caller.get("/api/v1/budgetten").json()["aantal"] == 0


@pytest.fixture
def pilot(world_a, a3):
    """A second contract with a ceiling of € 40.000 in 2026 (no lines), and the verdeelsleutel
    2026: A1 25%, A3 75%. The first contract's ceiling 2026 is € 110.000 (after revision)."""
    contract = services.contract_create(
        region=world_a.region,
        reference="PILOT-2026",
        provider=world_a.distant_provider,
        segment=world_a.segment,
        start_date=date(2026, 1, 1),
        initial_term_years=1,
    )
    services.budget_set(contract=contract, year=2026, kind="ceiling", amount=Decimal("40000"))
    for municipality, pct in ((world_a.municipality, "25"), (a3, "75")):
        BudgetShare.objects.create(
            region=world_a.region, municipality=municipality, year=2026, percentage=Decimal(pct)
        )
    return contract


def budget_share_of(world, municipality):
    report = report_services.report_ensure(
        region=world.region,
        kind=ReportKind.MUNICIPALITY,
        subject=municipality,
        period=parse_period("quarter", "2026-K3"),
    )
    return content.build_snapshot(report)["budget_share"]


def test_a_scoped_budget_is_split_over_its_own_municipalities(world_a, a3, pilot):
    # without a scope: (110.000 + 40.000) × 25% = 37.500 and × 75% = 112.500
    assert Decimal(budget_share_of(world_a, world_a.municipality)["budget"]) == 37500
    scope(pilot, [a3])
    # A1: 110.000 × 25% = 27.500; the pilot is not A1's
    a1 = budget_share_of(world_a, world_a.municipality)
    assert Decimal(a1["budget"]) == 27500
    assert "Niet meegeteld: PILOT-2026" in a1["sentence"] and "€ 27.500,00" in a1["sentence"]
    # A3: 110.000 × 75% = 82.500, plus the whole pilot (A3 is its only municipality): 122.500
    share = budget_share_of(world_a, a3)
    assert Decimal(share["budget"]) == 122500
    assert (
        "€ 40.000,00 uit contracten die alleen voor enkele gemeenten gelden (PILOT-2026)"
        in (share["sentence"])
    )
    assert "Samen: € 122.500,00." in share["sentence"]
    # over A1 and A3 by their shares among themselves: A1 gets 40.000 × 25/100 = 10.000
    scope(pilot, [world_a.municipality, a3])
    assert Decimal(budget_share_of(world_a, world_a.municipality)["budget"]) == 37500
    assert Decimal(budget_share_of(world_a, a3)["budget"]) == 112500


def test_equal_parts_when_no_municipality_of_the_scope_has_a_share(world_a, a3, pilot):
    other = world_a.other_municipality
    scope(pilot, [other, a3])
    BudgetShare.objects.filter(municipality=a3).delete()
    parts = municipal_budget([(pilot, Decimal("40000"))], other.pk, {})
    assert parts.scoped_part == Decimal("20000") and parts.general == 0
    assert parts.amount(Decimal("10")) == Decimal("20000")


# ---------------------------------------------------------------- the page


def test_the_scope_page_sets_and_refuses(client, world_a, users, a3):
    contract = world_a.con.contract
    url = reverse(
        "contracts:contract-municipalities",
        kwargs={"region": world_a.region.slug, "pk": contract.pk},
    )
    client.force_login(users.contract_manager)
    assert client.get(url).status_code == 200
    # "some" without a municipality: an error at the field, nothing saved
    response = client.post(url, {"applies_to": "some", "effective_on": "2026-02-01"})
    assert response.status_code == 200
    assert "Kies de gemeenten" in response.content.decode()
    # A1 has lines: a scope of A3 only is refused, naming A1 and its lines
    response = client.post(
        url, {"applies_to": "some", "municipalities": [a3.pk], "effective_on": "2026-02-01"}
    )
    assert "Gemeente A1 (3 productieregels)" in response.content.decode()
    assert not contract.municipalities.exists()
    response = client.post(
        url,
        {
            "applies_to": "some",
            "municipalities": [world_a.municipality.pk, a3.pk],
            "effective_on": "2026-02-01",
            "reason": "Pilot",
        },
    )
    assert response.status_code == 302
    assert set(contract.municipalities.all()) == {world_a.municipality, a3}
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Gemeente A1, Gemeente A3" in page and "2 van 3 gemeenten" in page
    client.force_login(users.viewer)
    assert client.get(url).status_code == 403
