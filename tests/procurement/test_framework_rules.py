"""Framework adoption needs every municipality's view or a recorded decision to proceed
without; the nota van reactie is dated on the adoption; views carry the region's themes and the
framework page counts them (issue 21)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from procurement import documents, kader, services
from procurement.codes import FrameworkStatus
from procurement.models import AdoptionDecision, MunicipalView, Theme
from tests.procurement.factories import framework
from tests.segments.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def view(fw, municipality, **kw):
    return services.municipal_view_create(
        framework=fw,
        municipality=municipality,
        received_on=kw.pop("received_on", date(2025, 4, 2)),
        view=kw.pop("view", "De raad stemt in."),
        **kw,
    )


def adopt(fw, on=date(2025, 6, 12)):
    return services.framework_advance(framework=fw, status=FrameworkStatus.ADOPTED, on=on)


# ---------------------------------------------------------------- adoption


def test_adoption_with_a_view_missing_is_refused_naming_the_municipality(world_a):
    fw = framework(world_a)
    view(fw, world_a.municipality)
    with pytest.raises(ValidationError) as exc:
        adopt(fw)
    assert exc.value.messages == [
        "Het inkoopkader kan niet worden vastgesteld: Gemeente A2 heeft geen zienswijze "
        "gegeven. Leg die zienswijze vast, of leg het besluit vast om zonder door te gaan."
    ]
    fw.refresh_from_db()
    assert (fw.status, fw.adopted_on) == (FrameworkStatus.CONSULTATION, None)


def test_adoption_with_every_view(world_a):
    fw = framework(world_a)
    view(fw, world_a.municipality)
    view(fw, world_a.other_municipality)
    adopt(fw)
    fw.refresh_from_db()
    assert (fw.status, fw.adopted_on) == (FrameworkStatus.ADOPTED, date(2025, 6, 12))


def test_a_recorded_decision_lets_the_framework_be_adopted(world_a, users):
    fw = framework(world_a)
    view(fw, world_a.municipality)
    decision = kader.adoption_decision_record(
        framework=fw,
        decided_by="Algemeen Bestuur",
        decided_on=date(2025, 6, 1),
        reason="De raad van Gemeente A2 vergaderde niet voor de vaststelling.",
        user=users.officer,
    )
    assert list(decision.missing_municipalities.all()) == [world_a.other_municipality]
    assert decision.recorded_by == users.officer
    adopt(fw)
    fw.refresh_from_db()
    assert fw.status == FrameworkStatus.ADOPTED


def test_a_decision_does_not_cover_a_municipality_added_after_it(world_a):
    fw = framework(world_a)
    view(fw, world_a.municipality)
    kader.adoption_decision_record(
        framework=fw, decided_by="AB", decided_on=date(2025, 6, 1), reason="Termijn verstreken"
    )
    MunicipalityFactory(region=world_a.region, name="Gemeente A3")
    with pytest.raises(ValidationError) as exc:
        adopt(fw)
    assert "Gemeente A3 heeft geen zienswijze gegeven" in exc.value.messages[0]
    assert "Gemeente A2" not in exc.value.messages[0]


def test_a_decision_after_the_adoption_date_is_refused(world_a):
    fw = framework(world_a)
    kader.adoption_decision_record(
        framework=fw, decided_by="AB", decided_on=date(2025, 7, 1), reason="Termijn verstreken"
    )
    with pytest.raises(ValidationError) as exc:
        adopt(fw, on=date(2025, 6, 12))
    assert exc.value.messages == [
        "Het besluit om zonder alle zienswijzen door te gaan is van 01-07-2025, na de "
        "vaststelling op 12-06-2025."
    ]


def test_a_decision_needs_who_why_and_a_date_after_the_request(world_a):
    fw = framework(world_a)  # views asked on 1 March 2025
    with pytest.raises(ValidationError) as exc:
        kader.adoption_decision_record(
            framework=fw, decided_by=" ", decided_on=date(2025, 2, 1), reason=""
        )
    assert exc.value.message_dict == {
        "decided_by": ["Noem wie besloot door te gaan (bijv. het Algemeen Bestuur)."],
        "reason": ["Geef de reden om zonder alle zienswijzen door te gaan."],
        "decided_on": [
            "Het besluit ligt voor de datum waarop zienswijzen zijn gevraagd (01-03-2025)."
        ],
    }
    assert not AdoptionDecision.objects.exists()


def test_no_decision_when_every_municipality_gave_its_view(world_a):
    fw = framework(world_a)
    view(fw, world_a.municipality)
    view(fw, world_a.other_municipality)
    with pytest.raises(ValidationError) as exc:
        kader.adoption_decision_record(
            framework=fw, decided_by="AB", decided_on=date(2025, 6, 1), reason="x"
        )
    assert exc.value.messages == [
        "Alle gemeenten hebben een zienswijze gegeven; een besluit om zonder door te gaan is "
        "niet nodig."
    ]


def test_the_adopt_button_shows_the_refusal_and_the_decision_page_records(client, world_a, users):
    fw = framework(world_a)
    client.force_login(users.officer)
    r = {"region": world_a.region.slug, "pk": fw.pk}
    response = client.post(
        reverse("procurement:framework-advance", kwargs=r),
        {"status": "adopted", "on": "2025-06-12"},
        follow=True,
    )
    body = response.content.decode()
    assert "Gemeente A1, Gemeente A2 hebben geen zienswijze gegeven" in body
    url = reverse("procurement:framework-adoption-decision", kwargs=r)
    page = client.get(url)
    assert "Geen zienswijze van: Gemeente A1, Gemeente A2." in page.content.decode()
    response = client.post(
        url, {"decided_by": "Algemeen Bestuur", "decided_on": "2025-06-10", "reason": "Termijn"}
    )
    assert response.status_code == 302
    decision = AdoptionDecision.objects.get(framework=fw)
    assert decision.decided_by == "Algemeen Bestuur" and decision.decided_on == date(2025, 6, 10)
    assert set(decision.missing_municipalities.all()) == {
        world_a.municipality,
        world_a.other_municipality,
    }
    detail = client.get(reverse("procurement:framework-detail", kwargs=r)).content.decode()
    assert "Genomen door Algemeen Bestuur op 10 juni 2025." in detail
    client.post(
        reverse("procurement:framework-advance", kwargs=r),
        {"status": "adopted", "on": "2025-06-12"},
    )
    fw.refresh_from_db()
    assert fw.status == FrameworkStatus.ADOPTED


# ---------------------------------------------------------------- the nota van reactie


def test_the_nota_is_dated_on_the_adoption_not_the_print_date(world_a):
    fw = framework(world_a)
    view(fw, world_a.municipality)
    view(fw, world_a.other_municipality)
    adopt(fw, on=date(2025, 6, 12))
    text = pdf_text(documents.response_note_pdf(fw))
    assert "Datum 12 juni 2025" in text
    assert "concept" not in text.lower()


def test_the_nota_before_adoption_is_a_draft_without_a_date(world_a):
    fw = framework(world_a)
    text = pdf_text(documents.response_note_pdf(fw))
    assert "Nota van reactie (concept)" in text
    assert "Datum concept, nog niet vastgesteld" in text
    assert "Concept: het inkoopkader is nog niet vastgesteld." in text


# ---------------------------------------------------------------- themes


@pytest.fixture
def themes(world_a):
    return {
        name: kader.theme_create(region=world_a.region, name=name)
        for name in ("Kostenbeheersing", "Toegang", "Lokaal waar het kan")
    }


def test_theme_counts_across_municipalities_highlight_four_or_more(world_a, themes):
    fw = framework(world_a)
    extra = [MunicipalityFactory(region=world_a.region, name=f"Gemeente A{i}") for i in (3, 4, 5)]
    k, t, lk = themes["Kostenbeheersing"], themes["Toegang"], themes["Lokaal waar het kan"]
    view(fw, world_a.municipality, themes=[k, t])
    view(fw, world_a.other_municipality, themes=[k, lk])
    view(fw, extra[0], themes=[k, t])
    view(fw, extra[1], themes=[k])
    view(fw, extra[2], themes=[])
    counts = kader.theme_counts(framework=fw)
    assert [(c.theme.name, c.count, c.highlighted) for c in counts] == [
        ("Kostenbeheersing", 4, True),
        ("Toegang", 2, False),
        ("Lokaal waar het kan", 1, False),
    ]
    assert counts[0].municipalities == ["Gemeente A1", "Gemeente A2", "Gemeente A3", "Gemeente A4"]
    assert counts[1].municipalities == ["Gemeente A1", "Gemeente A3"]


def test_the_framework_page_shows_the_counts(client, world_a, users, themes):
    fw = framework(world_a)
    view(fw, world_a.municipality, themes=[themes["Toegang"]])
    view(fw, world_a.other_municipality, themes=[themes["Toegang"]])
    client.force_login(users.municipal)
    body = client.get(fw.get_absolute_url()).content.decode()
    assert "Thema&#x27;s in de zienswijzen" in body or "Thema's in de zienswijzen" in body
    assert (
        '<th scope="row">Toegang</th><td class="num">2</td><td>Gemeente A1, Gemeente A2</td>'
        in body
    )


def test_a_theme_of_another_region_is_refused_by_name(world_a, world_b):
    fw = framework(world_a)
    foreign = kader.theme_create(region=world_b.region, name="Wachttijden")
    with pytest.raises(ValidationError) as exc:
        view(fw, world_a.municipality, themes=[foreign])
    assert exc.value.message_dict == {
        "themes": ["Het thema Wachttijden hoort bij een andere regio."]
    }
    assert not MunicipalView.objects.filter(framework=fw).exists()


def test_the_view_form_offers_the_regions_themes(client, world_a, world_b, users, themes):
    fw = framework(world_a)
    kader.theme_create(region=world_b.region, name="Wachttijden")
    client.force_login(users.officer)
    url = reverse(
        "procurement:view-create", kwargs={"region": world_a.region.slug, "framework": fw.pk}
    )
    form = client.get(url).context["form"]
    assert list(form.fields["themes"].queryset) == sorted(themes.values(), key=lambda t: t.name)
    client.post(
        url,
        {
            "municipality": world_a.municipality.pk,
            "received_on": "2025-04-02",
            "view": "Akkoord",
            "themes": [themes["Toegang"].pk],
        },
    )
    assert list(MunicipalView.objects.get(framework=fw).themes.all()) == [themes["Toegang"]]


def test_a_theme_in_use_is_not_deleted(world_a, themes):
    fw = framework(world_a)
    view(fw, world_a.municipality, themes=[themes["Toegang"]])
    with pytest.raises(ValidationError) as exc:
        kader.theme_delete(theme=themes["Toegang"])
    assert exc.value.messages == [
        "Het thema Toegang is in gebruik (1 zienswijzen, 0 consultaties) en kan niet worden "
        "verwijderd."
    ]
    kader.theme_delete(theme=themes["Kostenbeheersing"])
    assert set(Theme.objects.filter(region=world_a.region)) == {
        themes["Toegang"],
        themes["Lokaal waar het kan"],
    }


def test_the_region_administrator_keeps_the_theme_list(client, world_a, users):
    client.force_login(users.administrator)
    r = {"region": world_a.region.slug}
    response = client.post(
        reverse("procurement:theme-create", kwargs=r), {"name": "Kostenbeheersing"}
    )
    theme = Theme.objects.get(region=world_a.region, name="Kostenbeheersing")
    assert response.status_code == 302
    duplicate = client.post(
        reverse("procurement:theme-create", kwargs=r), {"name": "Kostenbeheersing"}
    )
    assert duplicate.status_code == 200
    assert Theme.objects.filter(region=world_a.region).count() == 1
    listing = client.get(reverse("procurement:theme-list", kwargs=r)).content.decode()
    assert "Kostenbeheersing" in listing
    assert theme.get_absolute_url() in listing
