"""Market consultations and development tables of a strategy (issue 21, seed 000)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from procurement import consultations, kader
from procurement.models import MarketConsultation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def theme(world_a):
    return kader.theme_create(region=world_a.region, name="Kostenbeheersing")


def create(world, **kw):
    kw.setdefault("held_on", date(2021, 1, 19))
    kw.setdefault("kind", "market")
    return consultations.consultation_create(strategy=world.proc.strategy, **kw)


def test_a_consultation_with_providers_others_themes_and_minutes(world_a, theme):
    c = create(
        world_a,
        title="Marktconsultatie segment 1",
        providers=[world_a.provider, world_a.distant_provider],
        other_participants="Cliëntenraad\n\nStichting Jeugdteams ",
        themes=[theme],
        minutes="Aanbieders vragen inzicht in de kosten per cliënt.",
        minutes_file=SimpleUploadedFile("verslag.pdf", PDF),
    )
    c.refresh_from_db()
    assert c.get_kind_display() == "Marktconsultatie"
    assert set(c.providers.all()) == {world_a.provider, world_a.distant_provider}
    assert c.other_participant_list == ["Cliëntenraad", "Stichting Jeugdteams"]
    assert list(c.themes.all()) == [theme]
    assert c.minutes_file.name.endswith("/verslag.pdf")
    assert c.minutes_file.name.startswith(f"consultaties/{world_a.proc.strategy.pk}/")


def test_a_provider_of_another_region_is_refused_by_name(world_a, world_b, theme):
    with pytest.raises(ValidationError) as exc:
        create(world_a, providers=[world_a.provider, world_b.provider], themes=[theme])
    assert exc.value.message_dict == {
        "providers": ["De aanbieder Zorg B Dichtbij hoort bij een andere regio."]
    }
    assert not MarketConsultation.objects.exists()


def test_a_theme_of_another_region_is_refused_by_name(world_a, world_b):
    foreign = kader.theme_create(region=world_b.region, name="Wachttijden")
    with pytest.raises(ValidationError) as exc:
        create(world_a, providers=[world_a.provider], themes=[foreign])
    assert exc.value.message_dict == {
        "themes": ["Het thema Wachttijden hoort bij een andere regio."]
    }
    assert not MarketConsultation.objects.exists()


def test_a_consultation_needs_a_participant_and_a_real_document(world_a):
    with pytest.raises(ValidationError) as exc:
        create(
            world_a,
            kind="overleg",
            minutes_file=SimpleUploadedFile("verslag.pdf", b"geen pdf"),
        )
    errors = exc.value.message_dict
    assert errors["other_participants"] == [
        "Noem minstens één deelnemer: een aanbieder uit het register of een andere deelnemer."
    ]
    assert errors["minutes_file"] == [
        "Het bestand verslag.pdf is geen toegestaan bestandstype (toegestaan: PDF, Word (.docx), "
        "Excel (.xlsx), OpenDocument-tekst (.odt), OpenDocument-rekenblad (.ods), PNG, JPEG)."
    ]
    assert "kind" in errors
    assert not MarketConsultation.objects.exists()


def test_update_replaces_participants_and_clears_the_document(world_a, theme):
    c = create(
        world_a,
        providers=[world_a.provider],
        minutes_file=SimpleUploadedFile("verslag.pdf", PDF),
    )
    consultations.consultation_update(
        consultation=c,
        held_on=date(2021, 2, 4),
        kind="table",
        title="Ontwikkeltafel",
        other_participants="Gemeente A1",
        providers=[],
        themes=[theme],
        minutes="",
        clear_file=True,
    )
    c.refresh_from_db()
    assert c.kind == "table" and c.held_on == date(2021, 2, 4)
    assert not c.providers.exists() and list(c.themes.all()) == [theme]
    assert not c.minutes_file


def test_the_strategy_page_lists_and_the_officer_records(client, world_a, users, theme):
    client.force_login(users.officer)
    s = world_a.proc.strategy
    url = reverse(
        "procurement:consultation-create", kwargs={"region": world_a.region.slug, "strategy": s.pk}
    )
    form = client.get(url).context["form"]
    assert world_a.provider in form.fields["providers"].queryset
    response = client.post(
        url,
        {
            "held_on": "2021-02-04",
            "kind": "table",
            "title": "Ontwikkeltafel toegang",
            "providers": [world_a.provider.pk],
            "other_participants": "Stichting Jeugdteams",
            "themes": [theme.pk],
            "minutes": "Casusregie uitgewerkt.",
            "minutes_file": SimpleUploadedFile("verslag.pdf", PDF),
        },
    )
    assert response.status_code == 302 and response.url.endswith("#consultaties")
    c = MarketConsultation.objects.get(title="Ontwikkeltafel toegang")
    client.force_login(users.municipal)
    page = client.get(s.get_absolute_url()).content.decode()
    assert "Ontwikkeltafel toegang" in page and "Casusregie uitgewerkt." in page
    assert "Zorg A Dichtbij" in page and "Stichting Jeugdteams" in page
    file_url = reverse(
        "procurement:consultation-file",
        kwargs={"region": world_a.region.slug, "strategy": s.pk, "pk": c.pk},
    )
    assert file_url in page
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"


def test_the_document_is_hidden_outside_the_region(client, world_a, users):
    c = create(world_a, providers=[world_a.provider], minutes_file=SimpleUploadedFile("v.pdf", PDF))
    kwargs = {"region": world_a.region.slug, "strategy": world_a.proc.strategy.pk, "pk": c.pk}
    client.force_login(users.other_region_officer)
    assert client.get(reverse("procurement:consultation-file", kwargs=kwargs)).status_code == 404


def test_a_consultation_of_another_strategy_is_not_reached_through_this_one(client, world_a, users):
    from procurement.models import Strategy

    other = Strategy.objects.create(
        region=world_a.region,
        segment=world_a.sub_segment,
        title="Andere strategie",
        procedure_type="sas",
        funding_models=["task"],
        contract_term_years=3,
    )
    c = create(world_a, providers=[world_a.provider])
    client.force_login(users.officer)
    url = reverse(
        "procurement:consultation-update",
        kwargs={"region": world_a.region.slug, "strategy": other.pk, "pk": c.pk},
    )
    assert client.get(url).status_code == 404


def test_only_the_officer_deletes(client, world_a, users):
    c = create(world_a, providers=[world_a.provider])
    kwargs = {"region": world_a.region.slug, "strategy": world_a.proc.strategy.pk, "pk": c.pk}
    url = reverse("procurement:consultation-delete", kwargs=kwargs)
    client.force_login(users.viewer)
    assert client.post(url).status_code == 403
    assert MarketConsultation.objects.filter(pk=c.pk).exists()
    client.force_login(users.officer)
    assert client.post(url).status_code == 302
    assert not MarketConsultation.objects.filter(pk=c.pk).exists()
