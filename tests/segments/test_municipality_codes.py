"""Adding municipalities by CBS code: all or nothing, a message per refused code."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import Role
from segments import services
from segments.models import Municipality
from tests.accounts.factories import user_with_role
from tests.segments.factories import MunicipalityFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return RegionFactory(name="Regio Nieuw", slug="nieuw"), RegionFactory(
        name="Regio Elders", slug="elders"
    )


def refusals(exc) -> list[str]:
    return exc.value.message_dict["codes"]


def test_adds_many_with_their_names_from_the_list(regions):
    region, _other = regions
    added = services.municipality_add_by_codes(region=region, codes=["GM0505", "gm0482", "0512"])
    assert [(m.cbs_code, m.name) for m in added] == [
        ("GM0505", "Dordrecht"),
        ("GM0482", "Alblasserdam"),
        ("GM0512", "Gorinchem"),
    ]
    assert set(region.municipalities.values_list("cbs_code", flat=True)) == {
        "GM0505",
        "GM0482",
        "GM0512",
    }


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("GM12", "geen CBS-gemeentecode"),
        ("Breda", "geen CBS-gemeentecode"),
        ("GM9999", "GM9999 is geen gemeente in de CBS-lijst"),
        ("GM0501", "GM0501 Brielle is opgeheven per 01-01-2023, opgegaan in GM1992 Voorne aan Zee"),
    ],
)
def test_a_code_that_is_not_a_current_municipality_is_refused(regions, code, says):
    region, _other = regions
    with pytest.raises(ValidationError) as exc:
        services.municipality_add_by_codes(region=region, codes=["GM0505", code])
    assert len(refusals(exc)) == 1 and says in refusals(exc)[0]
    assert not Municipality.objects.exists()  # all or nothing: Dordrecht was not added either


def test_already_in_this_region_twice_in_the_input_and_every_problem_at_once(regions):
    region, _other = regions
    MunicipalityFactory(region=region, cbs_code="GM0505", name="Dordrecht")
    with pytest.raises(ValidationError) as exc:
        services.municipality_add_by_codes(
            region=region, codes=["GM0505", "GM0482", "GM0482", "GM9999"]
        )
    assert refusals(exc) == [
        "GM0505 Dordrecht hoort al bij deze regio.",
        "GM0482 staat meer dan eens in de invoer.",
        "GM9999 is geen gemeente in de CBS-lijst.",
    ]
    assert region.municipalities.count() == 1


def test_another_regions_municipality_names_that_region_only_to_who_may_see_it(regions):
    region, other = regions
    MunicipalityFactory(region=other, cbs_code="GM0758", name="Breda")
    officer = user_with_role(region, Role.PROCUREMENT_OFFICER)
    with pytest.raises(ValidationError) as exc:
        services.municipality_add_by_codes(region=region, codes=["GM0758"], user=officer)
    assert refusals(exc) == ["GM0758 Breda hoort bij een andere regio."]
    both = user_with_role(region, Role.PROCUREMENT_OFFICER)
    user_with_role(other, Role.VIEWER, username="ook-elders")
    from accounts.models import RegionMembership

    RegionMembership.objects.create(user=both, region=other, role=Role.VIEWER)
    with pytest.raises(ValidationError) as exc:
        services.municipality_add_by_codes(region=region, codes=["GM0758"], user=both)
    assert refusals(exc) == ["GM0758 Breda hoort bij de regio Regio Elders."]


def test_nothing_typed_is_refused(regions):
    with pytest.raises(ValidationError) as exc:
        services.municipality_add_by_codes(region=regions[0], codes=["  ", ""])
    assert "ten minste één" in refusals(exc)[0]


# ---------------------------------------------------------------- the page


def test_the_page_adds_codes_pasted_in_one_go(client, regions):
    region, _other = regions
    client.force_login(user_with_role(region, Role.ADMINISTRATOR))
    url = reverse("segments:municipality-add", kwargs={"region": region.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, {"codes": "GM0505, GM0482\nGM0512"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/regios/{region.slug}/gemeenten/")
    assert "Toegevoegd aan Regio Nieuw: Dordrecht, Alblasserdam, Gorinchem." in (
        response.content.decode()
    )
    assert region.municipalities.count() == 3


def test_the_page_shows_every_refusal_at_the_field_and_adds_nothing(client, regions):
    region, _other = regions
    client.force_login(user_with_role(region, Role.PROCUREMENT_OFFICER))
    url = reverse("segments:municipality-add", kwargs={"region": region.slug})
    response = client.post(url, {"codes": "GM0505 GM0530 GM0505"})
    assert response.status_code == 200
    errors = response.context["form"].errors["codes"]
    assert errors == [
        "GM0530 Hellevoetsluis is opgeheven per 01-01-2023, opgegaan in GM1992 Voorne aan Zee.",
        "GM0505 staat meer dan eens in de invoer.",
    ]
    assert "opgegaan in GM1992 Voorne aan Zee" in response.content.decode()
    assert not region.municipalities.exists()


def test_a_contract_manager_may_not_add_municipalities(client, regions):
    region, _other = regions
    client.force_login(user_with_role(region, Role.CONTRACT_MANAGER))
    url = reverse("segments:municipality-add", kwargs={"region": region.slug})
    assert client.post(url, {"codes": "GM0505"}).status_code == 403
    assert not region.municipalities.exists()
