"""The tender's timeline in date order with its planned/actual chart, and the spread of the
consensus scores per criterion on the ranking page."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement import selectors
from procurement.codes import MilestoneKind
from procurement.models import Milestone, Tender
from tests.procurement.factories import sas_to_provisional_award
from tests.procurement.factories import tender as make_tender

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def chart(response, uid: str) -> ET.Element:
    body = response.content.decode()
    match = re.search(rf'<svg[^>]*aria-labelledby="{uid}-t {uid}-d".*?</svg>', body, re.S)
    assert match, f"no chart {uid}"
    root = ET.fromstring(match.group(0))
    assert root.get("role") == "img"
    return root


def test_the_question_round_sits_between_publication_and_the_deadline(world_a):
    # the close of the question round is no workflow step: it used to come last
    t = make_tender(world_a)
    for kind, day in (
        (MilestoneKind.PUBLICATION, date(2026, 1, 5)),
        (MilestoneKind.SUBMISSION_DEADLINE, date(2026, 3, 1)),
        (MilestoneKind.QNA_DEADLINE, date(2026, 2, 1)),
        (MilestoneKind.DEFINITIVE_AWARD, date(2026, 5, 1)),
    ):
        Milestone.objects.create(tender=t, kind=kind, planned_on=day)
    kinds = [row["milestone"].kind for row in selectors.timeline(t)]
    assert kinds.index(MilestoneKind.PUBLICATION) < kinds.index(MilestoneKind.QNA_DEADLINE)
    assert kinds.index(MilestoneKind.QNA_DEADLINE) < kinds.index(MilestoneKind.SUBMISSION_DEADLINE)
    dated = [r["milestone"].planned_on for r in selectors.timeline(t) if r["milestone"].planned_on]
    assert dated == sorted(dated)


def test_a_planned_date_out_of_procedure_order_sorts_by_date(world_a):
    t = make_tender(world_a)
    Milestone.objects.create(tender=t, kind=MilestoneKind.QNA_DEADLINE, planned_on=date(2026, 4, 1))
    Milestone.objects.create(
        tender=t, kind=MilestoneKind.SUBMISSION_DEADLINE, planned_on=date(2026, 3, 1)
    )
    kinds = [row["milestone"].kind for row in selectors.timeline(t)]
    assert kinds.index(MilestoneKind.SUBMISSION_DEADLINE) < kinds.index(MilestoneKind.QNA_DEADLINE)


def test_the_tender_page_draws_planned_against_actual(client, world_a, users):
    t = make_tender(world_a)
    Milestone.objects.create(
        tender=t,
        kind=MilestoneKind.PUBLICATION,
        planned_on=date(2026, 1, 5),
        actual_on=date(2026, 1, 7),
    )
    Milestone.objects.create(tender=t, kind=MilestoneKind.QNA_DEADLINE, planned_on=date(2026, 2, 1))
    client.force_login(users.officer)
    response = client.get(
        reverse("procurement:tender-detail", kwargs={"region": world_a.region.slug, "pk": t.pk})
    )
    root = chart(response, "tender-timeline")
    assert root.find(f"{SVG}title").text == f"Tijdlijn {t.reference}: gepland en werkelijk"
    desc = root.find(f"{SVG}desc").text
    assert "Publicatie: gepland 05-01-2026, werkelijk 07-01-2026 (2 dagen later)" in desc
    assert "Sluiting vragenronde: gepland 01-02-2026" in desc
    bars = {
        (r.get("data-kind"), r.get("data-date"))
        for r in root.iter(f"{SVG}rect")
        if r.get("data-kind")
    }
    assert {("planned", "2026-01-05"), ("actual", "2026-01-07"), ("planned", "2026-02-01")} <= bars
    labels = [x.text for x in root.iter(f"{SVG}text")]
    assert labels.index("Publicatie") < labels.index("Sluiting vragenronde")


def test_the_ranking_page_shows_the_spread_of_scores_per_criterion(client, world_a, users):
    # scores (criterion 1, criterion 2): Alfa 6/8, Beta 8/8, Gamma 8/5 (factories)
    t, _subs, _now = sas_to_provisional_award(world_a, users.officer)
    # the submissions are read after the deadline (sealed before it)
    Tender.objects.filter(pk=t.pk).update(submission_deadline=timezone.now() - timedelta(days=1))
    client.force_login(users.officer)
    response = client.get(
        reverse("procurement:ranking", kwargs={"region": world_a.region.slug, "tender": t.pk})
    )
    assert response.status_code == 200
    root = chart(response, "ranking-scores")
    assert root.find(f"{SVG}title").text.startswith("Spreiding van de consensusscores")
    desc = root.find(f"{SVG}desc").text
    assert "Criterium 1: 3 scores, laagste 6, mediaan 8, hoogste 8" in desc
    assert "Criterium 2: 3 scores, laagste 5, mediaan 8, hoogste 8" in desc
    values = sorted(
        Decimal(c.get("data-value")) for c in root.iter(f"{SVG}circle") if c.get("data-value")
    )
    assert values == [Decimal(v) for v in ("5", "6", "8", "8", "8", "8")]
