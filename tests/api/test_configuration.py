"""The region's configuration over the API: a regional system with the scope
``inrichting-schrijven`` creates, changes and deletes it through the same services as the
pages; every refusal is a 400 at the API's field name (or a 409), and nothing half-saved."""

import json

import pytest

from api.models import ApiClient, ClientKind
from segments import services
from segments.models import Intensity, SupportProfile
from tests.segments.test_profiles import make_profile_product

from .conftest import F, R, make_client

pytestmark = pytest.mark.django_db

INTENSITIES = "/api/v1/intensiteiten"
PROFILES = "/api/v1/ondersteuningsprofielen"


def body(**fields):
    return json.dumps(fields).encode()


@pytest.fixture
def system(world_a, api):
    _client, token = make_client(world_a, ClientKind.REGIONAL, {F, R})
    return api(token)


def invalid(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def test_the_scope_is_for_regional_systems_only(world_a):
    for kind in (ClientKind.MUNICIPALITY, ClientKind.PROVIDER):
        with pytest.raises(Exception, match="kan dit recht niet krijgen"):
            make_client(world_a, kind, {R})
    assert not ApiClient.objects.exists()


def test_regional_system_creates_changes_and_deletes_an_intensity(world_a, system):
    created = system.post(
        INTENSITIES,
        body(
            code="crisis", naam="Crisis", naastAnderProfiel="beperkt", maxDagenNaastAnderProfiel=7
        ),
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["regio"] == world_a.region.slug
    assert (data["naastAnderProfiel"], data["maxDagenNaastAnderProfiel"]) == ("beperkt", 7)
    crisis = Intensity.objects.get(pk=data["id"])
    assert crisis.region == world_a.region and crisis.parallel_max_days == 7

    # PATCH changes what it names and keeps the rest
    changed = system.patch(f"{INTENSITIES}/{crisis.pk}", body(naam="Crisisopvang"))
    assert changed.status_code == 200, changed.content
    crisis.refresh_from_db()
    assert (crisis.name, crisis.code, crisis.parallel_max_days) == ("Crisisopvang", "crisis", 7)
    retired = system.patch(f"{INTENSITIES}/{crisis.pk}", body(nietMeerInGebruik=True))
    assert retired.json()["nietMeerInGebruik"] is True

    assert system.delete(f"{INTENSITIES}/{crisis.pk}").status_code == 204
    assert not Intensity.objects.filter(pk=crisis.pk).exists()


def test_refusals_name_the_api_field_and_save_nothing(world_a, system):
    errors = invalid(
        system.post(INTENSITIES, body(code="crisis", naam="Crisis", naastAnderProfiel="beperkt"))
    )
    assert "maxDagenNaastAnderProfiel" in errors
    assert "Noem hoeveel dagen" in errors["maxDagenNaastAnderProfiel"]
    errors = invalid(system.post(INTENSITIES, body(code="Crisis!", naam="Crisis")))
    assert "code" in errors
    assert not Intensity.objects.exists()

    services.support_profile_create(region=world_a.region, number=1, name="Opvoeden")
    invalid(system.post(PROFILES, body(nummer=1, naam="Nog een eerste")))
    assert SupportProfile.objects.count() == 1


def test_delete_of_what_products_use_is_a_conflict(world_a, system):
    profile = services.support_profile_create(region=world_a.region, number=1, name="Opvoeden")
    light = services.intensity_create(region=world_a.region, code="licht", name="Licht")
    make_profile_product(world_a.region, profile, light, "P01-L")
    for url in (f"{INTENSITIES}/{light.pk}", f"{PROFILES}/{profile.pk}"):
        response = system.delete(url)
        assert response.status_code == 409, response.content
        assert "1 product" in response.json()["detail"]
    assert Intensity.objects.filter(pk=light.pk).exists()
    assert SupportProfile.objects.filter(pk=profile.pk).exists()


def test_other_regions_configuration_is_not_found_and_unchanged(world_a, world_b, system):
    foreign = services.intensity_create(region=world_b.region, code="licht", name="Licht")
    assert system.get(f"{INTENSITIES}/{foreign.pk}").status_code == 404
    assert system.patch(f"{INTENSITIES}/{foreign.pk}", body(naam="X")).status_code == 404
    assert system.delete(f"{INTENSITIES}/{foreign.pk}").status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Licht"


def test_clients_without_the_scope_read_but_do_not_write(world_a, api):
    services.intensity_create(region=world_a.region, code="licht", name="Licht")
    for kind in (ClientKind.MUNICIPALITY, ClientKind.PROVIDER, ClientKind.REGIONAL):
        _client, token = make_client(world_a, kind, {F})
        caller = api(token)
        listed = caller.get(INTENSITIES)
        assert listed.status_code == 200
        assert [row["code"] for row in listed.json()["resultaten"]] == ["licht"]
        refused = caller.post(INTENSITIES, body(code="zwaar", naam="Zwaar"))
        assert refused.status_code == 403
    assert Intensity.objects.count() == 1


def test_profile_over_the_api(world_a, system):
    created = system.post(PROFILES, body(nummer=3, naam="Gezin", omschrijving="Opvoedvragen"))
    assert created.status_code == 201, created.content
    profile = SupportProfile.objects.get(pk=created.json()["id"])
    assert (profile.number, profile.description, profile.retired) == (3, "Opvoedvragen", False)
    system.patch(f"{PROFILES}/{profile.pk}", body(nietMeerInGebruik=True))
    profile.refresh_from_db()
    assert profile.retired and profile.name == "Gezin"


# ------------------------------------------------------------------ admission conditions

CONDITIONS = "/api/v1/toelatingsvoorwaarden"


def test_conditions_on_a_strategy_or_a_procedure_over_the_api(world_a, world_b, system):
    from datetime import date

    from procurement import services as procurement_services
    from procurement.models import AdmissionCondition
    from tests.procurement.test_conditions import running

    strategy = world_a.proc.strategy
    created = system.post(
        CONDITIONS, body(inkoopstrategie=strategy.pk, code="WACHT", tekst="Oplopende wachttijden")
    )
    assert created.status_code == 201, created.content
    wait = AdmissionCondition.objects.get(pk=created.json()["id"])
    assert (wait.strategy, wait.tender, wait.region) == (strategy, None, world_a.region)

    # exactly one owner, of the client's own region
    assert "inkoopstrategie" in invalid(system.post(CONDITIONS, body(code="X", tekst="X")))
    foreign = world_b.proc.strategy
    assert "inkoopstrategie" in invalid(
        system.post(CONDITIONS, body(inkoopstrategie=foreign.pk, code="X", tekst="X"))
    )
    # a code twice within the owner, and an owner that moves, are refused at their field
    invalid(system.post(CONDITIONS, body(inkoopstrategie=strategy.pk, code="WACHT", tekst="Y")))
    procedure = running(world_a, strategy)
    assert "aanbesteding" in invalid(
        system.patch(f"{CONDITIONS}/{wait.pk}", body(aanbesteding=procedure.pk))
    )
    assert AdmissionCondition.objects.count() == 1

    # once a window names it, it is neither changed nor deleted
    procurement_services.window_open(
        tender=procedure, condition=wait, decision="DB", on=date(2026, 3, 2)
    )
    changed = system.patch(f"{CONDITIONS}/{wait.pk}", body(tekst="Anders"))
    assert "niet meer gewijzigd" in invalid(changed)["nonFieldErrors"]
    deleted = system.delete(f"{CONDITIONS}/{wait.pk}")
    assert deleted.status_code == 409
    assert "1 toelatingsvenster" in deleted.json()["detail"]
    wait.refresh_from_db()
    assert wait.text == "Oplopende wachttijden"

    # the procedure shows it among its conditions, with where it came from
    shown = system.get(f"/api/v1/aanbestedingen/{procedure.pk}").json()
    assert shown["inkoopstrategie"] == strategy.pk
    assert shown["voorwaardenVoorOpenen"] == [
        {"code": "WACHT", "tekst": "Oplopende wachttijden", "herkomst": "strategie"}
    ]


# ------------------------------------------------------------------ screening kinds

KINDS = "/api/v1/screeningssoorten"


def test_screening_instrument_over_the_api(world_a, world_b, system):
    from providers.models import ScreeningKind

    before = ScreeningKind.objects.filter(region=world_a.region).count()
    created = system.post(
        KINDS,
        body(
            code="bezoek",
            naam="Kwaliteitsbezoek op locatie",
            geldigheidMaanden=24,
            vereist="segmenten",
            segmenten=[world_a.segment.pk],
        ),
    )
    assert created.status_code == 201, created.content
    visit = ScreeningKind.objects.get(pk=created.json()["id"])
    assert list(visit.segments.all()) == [world_a.segment]
    assert visit.region == world_a.region and visit.active

    # a per-segment requirement without segments, or with another region's, is refused
    assert "segmenten" in invalid(system.post(KINDS, body(code="x", naam="X", vereist="segmenten")))
    assert "segmenten" in invalid(
        system.post(
            KINDS, body(code="x", naam="X", vereist="segmenten", segmenten=[world_b.segment.pk])
        )
    )
    assert "code" in invalid(system.post(KINDS, body(code="bezoek", naam="Nog een")))
    assert ScreeningKind.objects.filter(region=world_a.region).count() == before + 1

    # PATCH keeps the segments it does not name; retiring is inGebruik=false
    changed = system.patch(f"{KINDS}/{visit.pk}", body(naam="Bezoek", inGebruik=False))
    assert changed.status_code == 200, changed.content
    visit.refresh_from_db()
    assert (visit.name, visit.active) == ("Bezoek", False)
    assert list(visit.segments.all()) == [world_a.segment]

    # a kind with screenings on record is not deleted
    used = world_a.screening.kind
    refused = system.delete(f"{KINDS}/{used.pk}")
    assert refused.status_code == 409
    assert "screening van 1 aanbieder;" in refused.json()["detail"]
    assert system.delete(f"{KINDS}/{visit.pk}").status_code == 204


def test_text_that_is_no_unicode_is_refused_not_a_server_error(world_a, system):
    """Found by the API fuzzing: a lone surrogate in a JSON string is valid JSON, but no text
    the database stores."""
    light = services.intensity_create(region=world_a.region, code="licht", name="Licht")
    raw = b'{"naam": "Licht \\udb7f"}'
    response = system.patch(f"{INTENSITIES}/{light.pk}", raw)
    assert response.status_code == 400, response.content
    assert "geen geldige Unicode" in response.json()["detail"]
    light.refresh_from_db()
    assert light.name == "Licht"
    created = system.post(INTENSITIES, b'{"code": "x", "naam": "\\ud800"}')
    assert created.status_code == 400
    assert Intensity.objects.count() == 1


# ------------------------------------------------------------------ municipalities by code

MUNICIPALITIES = "/api/v1/gemeenten"


def test_municipalities_are_added_by_cbs_code_all_or_nothing(world_a, world_b, system, api):
    from segments.models import Municipality

    before = Municipality.objects.count()
    refused = system.post(MUNICIPALITIES, body(cbsCodes=["GM0546", "GM0370", "XX12", "GM0546"]))
    errors = [p["reason"] for p in refused.json()["invalidParams"] if p["name"] == "cbsCodes"]
    assert refused.status_code == 400
    assert any("GM0370" in e and "GM0439" in e for e in errors)  # merged into Purmerend
    assert any("XX12" in e for e in errors)
    assert "GM0546 staat meer dan eens in de invoer." in errors
    assert Municipality.objects.count() == before

    added = system.post(MUNICIPALITIES, body(cbsCodes=["GM0546", "GM0547"]))
    assert added.status_code == 201, added.content
    assert [(m["cbsCode"], m["naam"], m["regio"]) for m in added.json()] == [
        ("GM0546", "Leiden", world_a.region.slug),
        ("GM0547", "Leiderdorp", world_a.region.slug),
    ]
    # a code of another region's municipality is refused too
    taken = world_b.municipality.cbs_code
    assert system.post(MUNICIPALITIES, body(cbsCodes=[taken])).status_code == 400

    # a client without the scope may not add
    _client, token = make_client(world_a, ClientKind.REGIONAL, {F})
    assert api(token).post(MUNICIPALITIES, body(cbsCodes=["GM0553"])).status_code == 403
    assert Municipality.objects.count() == before + 2


def test_csv_keeps_a_formula_like_name_as_text(world_a, system):
    """A name written over the API is exported as CSV: a spreadsheet must not run it."""
    import csv
    import io

    created = system.post(INTENSITIES, body(code="x", naam='=HYPERLINK("http://x","klik")'))
    assert created.status_code == 201
    services.intensity_create(region=world_a.region, code="min", name="-5 dagen", position=-0)
    response = system.get(f"{INTENSITIES}?formaat=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    names = {row["code"]: row["naam"] for row in rows}
    assert names["x"] == '\'=HYPERLINK("http://x","klik")'
    assert names["min"] == "'-5 dagen"
    assert {row["volgorde"] for row in rows} == {"1", "0"}  # numbers stay numbers


def test_csv_cells_numbers_and_formulas():
    from core.api.renderers import _cell

    assert [_cell(v) for v in ("-12.50", "+31", "1e5", -3, "Leiden")] == [
        "-12.50",
        "+31",
        "1e5",
        -3,
        "Leiden",
    ]
    assert [_cell(v) for v in ("=1+1", "@SUM(A1)", "+cmd", "-x", "\tx")] == [
        "'=1+1",
        "'@SUM(A1)",
        "'+cmd",
        "'-x",
        "'\tx",
    ]
