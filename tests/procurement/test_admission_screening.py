"""Admission in an open house follows the region's own screening instrument for the lot's
segment: the kinds required for every provider plus those required for that segment or a
segment above it."""

import pytest
from django.core.exceptions import ValidationError

from procurement import services
from procurement.codes import Outcome, ProcedureType
from providers import services as provider_services
from tests.procurement.factories import new_provider, pass_all, tender
from tests.providers.factories import ScreeningFactory, ScreeningKindFactory

pytestmark = pytest.mark.django_db


def _application(world, provider):
    t = tender(world, ProcedureType.OPEN_HOUSE, weights=None)
    services.tender_transition(tender=t, name="publish")
    sub = services.submission_create(
        lot=t.lots.get(), provider=provider, care_form_ids=[world.care_form.pk]
    )
    pass_all(sub)
    return sub


def test_a_kind_required_for_the_lots_segment_decides_admission(world_a):
    """World A's lot is on segment 1; an on-site visit is required only there."""
    visit = ScreeningKindFactory(
        region=world_a.region,
        code="bezoek",
        name="Kwaliteitsbezoek op locatie",
        requirement="segments",
        for_segments=[world_a.segment],
    )
    provider = new_provider(world_a)  # passes the four kinds required for every provider
    assert provider.admissibility().admissible
    sub = _application(world_a, provider)
    with pytest.raises(ValidationError) as error:
        services.submission_decide_admission(submission=sub, admit=True, reason="Voldoet")
    assert error.value.messages == [
        "De screening van de aanbieder is niet op orde: "
        "Kwaliteitsbezoek op locatie: geen screening vastgelegd"
    ]
    sub.refresh_from_db()
    assert sub.outcome == Outcome.PENDING
    ScreeningFactory(provider=provider, kind=visit)
    services.submission_decide_admission(submission=sub, admit=True, reason="Voldoet")
    sub.refresh_from_db()
    assert sub.outcome == Outcome.ADMITTED


def test_a_kind_required_only_below_the_lots_segment_does_not_count(world_a):
    ScreeningKindFactory(
        region=world_a.region,
        code="bezoek",
        name="Kwaliteitsbezoek op locatie",
        requirement="segments",
        for_segments=[world_a.sub_segment],  # below the lot's segment
    )
    sub = _application(world_a, new_provider(world_a))
    services.submission_decide_admission(submission=sub, admit=True, reason="Voldoet")
    sub.refresh_from_db()
    assert sub.outcome == Outcome.ADMITTED


def test_a_region_without_vog_admits_a_provider_without_one(world_a):
    """Retire the VOG: a provider that never had one is admitted, its other screenings being
    in order."""
    from providers.models import ScreeningKind

    provider = new_provider(world_a, screened=False)
    for kind in ScreeningKind.objects.filter(region=world_a.region).exclude(code="vog"):
        ScreeningFactory(provider=provider, kind=kind)
    sub = _application(world_a, provider)
    with pytest.raises(ValidationError):
        services.submission_decide_admission(submission=sub, admit=True, reason="Voldoet")
    provider_services.screening_kind_retire(
        screening_kind=ScreeningKind.objects.get(region=world_a.region, code="vog")
    )
    services.submission_decide_admission(submission=sub, admit=True, reason="Voldoet")
    sub.refresh_from_db()
    assert sub.outcome == Outcome.ADMITTED
