"""Strategy completeness: what a strategy replaces (was → wordt), its planned start and the
reason, and the overview of every (sub-)segment's strategy under a framework, also as PDF."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from procurement import documents, selectors, services
from procurement.codes import FundingModel, ProcedureType
from procurement.models import Strategy
from tests.segments.factories import SegmentFactory

pytestmark = pytest.mark.django_db

P, F = ProcedureType, FundingModel


def url(name, w, **kw):
    return reverse(f"procurement:{name}", kwargs={"region": w.region.slug, **kw})


def read(pdf: bytes) -> tuple[str, PdfReader]:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    # A narrow column breaks "SAS-procedure" after its hyphen; read it as one word.
    return " ".join(text.split()).replace("- ", "-"), reader


@pytest.fixture
def landscape(world_a):
    """World A's tree: 1 (strategy SAS, was open house/PxQ) › 1a (no strategy) › 1a-i (a
    strategy with nothing recorded as previous); 2 (not bought regionally: no row); 3
    (partnership, was SAS/PxQ+task)."""
    w = world_a
    deep = SegmentFactory(region=w.region, parent=w.sub_segment, code="1a-i", name="Diep")
    SegmentFactory(region=w.region, code="2", name="Lokaal", bought_regionally=False)
    third = SegmentFactory(region=w.region, code="3", name="Wonen")
    services.strategy_update(
        strategy=w.proc.strategy,
        previous_procedure_type=P.OPEN_HOUSE,
        previous_funding_models=[F.PXQ],
        contract_start=date(2023, 1, 1),
        change_reason="Van 240 aanbieders naar 20 partners.",
    )
    services.strategy_create(
        region=w.region,
        framework=w.proc.framework,
        segment=deep,
        title="Strategie diep",
        procedure_type=P.OPEN_HOUSE,
        funding_models=[F.OUTPUT],
        contract_term_years=2,
    )
    services.strategy_create(
        region=w.region,
        framework=w.proc.framework,
        segment=third,
        title="Strategie wonen",
        procedure_type=P.PARTNERSHIP,
        funding_models=[F.PXQ, F.TASK],
        previous_procedure_type=P.SAS,
        previous_funding_models=[F.TASK, F.PXQ],
        contract_start=date(2024, 7, 1),
        contract_term_years=4,
        extension_options=[2],
        max_providers=3,
    )
    return w


def test_was_is_saved_through_the_service_with_the_current_code_lists(world_a):
    pk = world_a.proc.strategy.pk
    for bad in ({"previous_procedure_type": "lottery"}, {"previous_funding_models": ["gift"]}):
        with pytest.raises(ValidationError) as excinfo:
            services.strategy_update(strategy=Strategy.objects.get(pk=pk), **bad)
        assert list(excinfo.value.message_dict) == list(bad)
    s = Strategy.objects.get(pk=pk)
    assert (s.previous_procedure_type, s.previous_funding_models) == ("", [])
    assert s.procedure_changes is None and s.funding_changes is None
    services.strategy_update(
        strategy=s, previous_procedure_type=P.SAS, previous_funding_models=[F.TASK]
    )
    s.refresh_from_db()
    assert s.procedure_changes is False and s.funding_changes is False


def test_strategy_form_saves_was_and_detail_shows_it_side_by_side(client, world_a, users):
    s = world_a.proc.strategy
    client.force_login(users.officer)
    data = {
        "title": s.title,
        "framework": s.framework_id,
        "segment": s.segment_id,
        "previous_procedure_type": P.OPEN_HOUSE,
        "procedure_type": P.SAS,
        "previous_funding_models": [F.PXQ, F.AVAILABILITY],
        "funding_models": [F.TASK],
        "change_reason": "Het open house-model gaf te veel aanbieders.",
        "contract_start": "2023-01-01",
        "contract_term_years": 5,
        "extension_options": "1 + 1",
        "max_providers": 20,
    }
    response = client.post(url("strategy-update", world_a, pk=s.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    s.refresh_from_db()
    assert s.previous_procedure_type == P.OPEN_HOUSE
    assert s.previous_funding_models == [F.PXQ, F.AVAILABILITY]
    assert s.contract_start == date(2023, 1, 1)
    assert s.change_reason == "Het open house-model gaf te veel aanbieders."
    body = client.get(url("strategy-detail", world_a, pk=s.pk)).content.decode()
    assert "Was → wordt" in body
    assert "Open house" in body and "SAS-procedure met onderhandeling" in body
    assert "Inspanningsgericht (PxQ), Beschikbaarheid" in body
    assert "1 januari 2023" in body and "te veel aanbieders" in body


def test_overview_rows_follow_the_tree_including_segments_without_strategy(landscape, users):
    w = landscape
    rows = selectors.strategy_overview(user=users.officer, framework=w.proc.framework)
    assert [(r.segment.code, r.depth, r.strategy and r.strategy.title) for r in rows] == [
        ("1", 0, w.proc.strategy.title),
        ("1a", 1, None),
        ("1a-i", 2, "Strategie diep"),
        ("3", 0, "Strategie wonen"),
    ]


def test_overview_page_shows_was_and_becomes(client, landscape, users):
    w = landscape
    client.force_login(users.municipal)  # strategies are public to the region's municipalities
    framework_page = client.get(url("framework-detail", w, pk=w.proc.framework.pk))
    overview = url("framework-strategies", w, pk=w.proc.framework.pk)
    assert overview in framework_page.content.decode()
    body = client.get(overview).content.decode()
    order = [body.index(s) for s in ("Hoog specialistisch A", "Deel A", "Diep", "Wonen")]
    assert order == sorted(order)
    assert "Lokaal" not in body  # not bought regionally
    assert body.count("nog geen strategie") == 1
    assert "Open house</span> → SAS-procedure met onderhandeling" in body
    assert "1 januari 2023" in body and "5 + 1 + 1" in body and "4 + 2" in body
    assert url("framework-strategies-pdf", w, pk=w.proc.framework.pk) in body


def test_overview_pdf_for_the_board(client, landscape, users):
    w = landscape
    text, reader = read(documents.strategy_overview_pdf(w.proc.framework, _rows(w, users)))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert "Overzicht inkoopstrategieën" in text and w.proc.framework.title in text
    assert "3 van 4 regionaal ingekochte (deel)segmenten met een strategie" in text
    for figure in (
        "1 Hoog specialistisch A",
        "Open house → SAS-procedure met onderhandeling",
        "Inspanningsgericht (PxQ) → Taakgericht (lumpsum)",
        "1 januari 2023",
        "5 + 1 + 1",
        "20",
        "1a Deel A nog geen strategie",
        "1a-i Diep ? → Open house",
        "SAS-procedure met onderhandeling → Bestuurlijk partnerschap",
        "(ongewijzigd)",  # PxQ + task stays PxQ + task for segment 3
        "1 juli 2024",
        "4 + 2",
    ):
        assert figure in text, figure
    assert text.index("1a Deel A") < text.index("1a-i Diep") < text.index("3 Wonen")
    client.force_login(users.viewer)
    response = client.get(url("framework-strategies-pdf", w, pk=w.proc.framework.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def _rows(w, users):
    return selectors.strategy_overview(user=users.officer, framework=w.proc.framework)
