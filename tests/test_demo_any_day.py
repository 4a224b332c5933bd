"""The demo is true on any day: ``load_demo`` today and ``load_demo --today`` a year later give
the same demo, a year later (issue 22). Today's is the suite's recording of a real
``load_demo`` (tests/replay.py), the later one runs the loaders in full; each is rolled back
after its figures are read."""

import ast
import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.ui.formatting import add_months, months_before
from monitoring.imports.models import DatasetKind, Declaration, ImportBatch
from providers.models import Provider
from segments.models import Region
from tests.conftest import replay_demo


def _shifted(value, months: int):
    """``value`` with every date in it moved ``months`` later."""
    if isinstance(value, date):
        return add_months(value, months)
    if isinstance(value, tuple | list):
        return type(value)(_shifted(v, months) for v in value)
    if isinstance(value, dict):
        return {_shifted(k, months): _shifted(v, months) for k, v in value.items()}
    return value


def _figures(client) -> dict:
    figures = {"admissible": {}, "dashboard": {}}
    for region in Region.objects.order_by("slug"):
        providers = list(
            Provider.objects.filter(region=region).prefetch_related("screenings", "members")
        )
        admissible = sum(1 for p in providers if p.admissibility().admissible)
        figures["admissible"][region.slug] = (admissible, len(providers))
    client.force_login(User.objects.get(username="inkoper"))
    for slug in ("zhz", "wbo"):
        response = client.get(reverse("monitoring:region", kwargs={"region": slug}))
        assert response.status_code == 200
        context = response.context
        figures["dashboard"][slug] = {
            "month": context["month"],
            # by label, not by key: a region's own KPI is keyed by its id ("rk1"), and on
            # PostgreSQL the rolled-back first load has used that id up
            "tiles": [
                (
                    str(t.label),
                    t.figure.value,
                    t.level,
                    tuple((m, v) for m, v in t.trend),
                )
                for t in context["tiles"]
            ],
        }
    return figures


def _load_on(day: date, client) -> dict:
    with time_machine.travel(day), transaction.atomic():
        call_command("load_demo", force=True, today=day, verbosity=0)
        figures = _figures(client)
        transaction.set_rollback(True)
    return figures


def _load_today(client) -> dict:
    """The demo as ``load_demo`` makes it today: the suite's recording of it (tests/replay.py;
    recorded on this worker by the first demo test), rolled back after its figures are read."""
    with transaction.atomic():
        replay_demo()
        figures = _figures(client)
        transaction.set_rollback(True)
    return figures


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")
def test_load_demo_a_year_apart_gives_the_same_demo_a_year_later(client):
    today = timezone.localdate()
    first = _load_today(client)
    later = _load_on(add_months(today, 12), client)

    # the same share of admissible providers, and most of them admissible
    assert later["admissible"] == first["admissible"]
    for admissible, total in first["admissible"].values():
        assert admissible >= 0.8 * total
    # the same dashboard tiles, a year later: the month, the values and the trends' months
    assert first["dashboard"]["zhz"]["tiles"]
    assert first["dashboard"]["zhz"]["month"] == months_before(2, today)
    assert later["dashboard"] == _shifted(first["dashboard"], 12)


DEMO_LOADERS = [
    "providers/demo.py",
    "procurement/demo.py",
    "procurement/demo_kader.py",
    "procurement/demo_negotiation.py",
    "procurement/demo_objections.py",
    "contracts/demo.py",
    "contracts/demo_development.py",
    "contracts/demo_scope.py",
    "monitoring/demo/consent.py",
    "monitoring/demo/production.py",
    "monitoring/demo/steering.py",
    "reports/demo.py",
    "demo/portal.py",
    "demo/public.py",
    "segments/demo/seed_data.py",
]
SOURCE_REFERENCE = re.compile(r"\bseeds?\b|shared/", re.IGNORECASE)


def _texts(tree):
    """The string constants of a module that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


@pytest.mark.parametrize("path", DEMO_LOADERS)
def test_demo_text_names_no_source_documents(path):
    """What the demo writes is read by users: no "(seed 000)" or path to the seed files."""
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text())
    found = [(line, text) for line, text in _texts(tree) if SOURCE_REFERENCE.search(text)]
    assert found == []


# ---------------------------------------------------------------- consistent on the day


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")
def test_the_demo_contradicts_itself_nowhere(demo_data):
    from contracts.models import Contract
    from monitoring.steering.models import PerformanceDialogue
    from procurement.codes import TenderState
    from procurement.models import Milestone

    today = timezone.localdate()
    # a dialogue's agenda holds only signals from before the meeting, and its actions fall due
    # after it
    for dialogue in PerformanceDialogue.objects.all():
        for item in dialogue.agenda.filter(signal__isnull=False).select_related("signal"):
            assert item.signal.period < dialogue.scheduled_on, (dialogue, item.title)
        for action in dialogue.actions.all():
            assert action.due_on > dialogue.scheduled_on
            assert action.closed_on is None or action.closed_on >= dialogue.scheduled_on
    assert PerformanceDialogue.objects.filter(scheduled_on__lt=today).exists()
    # an awarded procedure has no step "later than planned"
    awarded = [TenderState.DEFINITIVE_AWARD, TenderState.IMPLEMENTATION, TenderState.ENDED]
    late = Milestone.objects.filter(
        tender__state__in=awarded, actual_on__isnull=True, planned_on__lt=today
    )
    assert list(late.values_list("tender__reference", "kind")) == []
    # no contract ends before it starts
    for contract in Contract.objects.exclude(end_date__isnull=True):
        assert contract.end_date >= contract.start_date, contract.reference
    # the production runs to two months before this month: the dashboards' latest month
    assert Declaration.objects.aggregate(last=Max("month"))["last"] == months_before(2, today)


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")
def test_most_providers_are_admissible_on_the_day_the_demo_is_loaded(demo_data):
    for region in Region.objects.all():
        providers = list(
            Provider.objects.filter(region=region).prefetch_related("screenings", "members")
        )
        admissible = sum(1 for p in providers if p.admissibility().admissible)
        assert admissible >= 0.8 * len(providers), region.slug


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")
def test_the_imports_page_lists_the_demo_production_with_its_counts(demo_data, client):
    client.force_login(User.objects.get(username="inkoper"))
    response = client.get(reverse("monitoring:import-list", args=["wbo"]))
    page = response.content.decode()
    assert "Nog geen imports" not in page
    declared = Declaration.objects.filter(region__slug="wbo").count()
    batch = ImportBatch.objects.get(region__slug="wbo", kind=DatasetKind.DECLARATIONS)
    assert batch.rows_added == declared > 0
    assert Declaration.objects.filter(region__slug="wbo", batch__isnull=True).count() == 0
    assert batch.file_name in page


@pytest.mark.django_db
@pytest.mark.xdist_group("demo")
def test_amsterdam_has_production_and_its_dashboard_shows_spending(demo_data, client):
    """Amsterdam pays per trajectory (output): its providers declare each payment, the first
    share in the month the trajectory starts and the second in the month it ends; the region's
    dashboard shows what was declared in its latest month."""
    from django.db.models import Sum

    from core.ui.formatting import euro
    from monitoring.imports.models import Trajectory

    ams = Declaration.objects.filter(region__slug="ams")
    assert ams.count() > 0
    assert Trajectory.objects.filter(region__slug="ams").count() > 0
    # every declared payment belongs to a trajectory of the same family and product
    families = set(
        Trajectory.objects.filter(region__slug="ams").values_list("client_key", "product_id")
    )
    assert set(ams.values_list("client_key", "product_id")) <= families
    month = ams.aggregate(last=Max("month"))["last"]
    spent = ams.filter(month=month).aggregate(total=Sum("amount"))["total"]
    assert spent > 0
    client.force_login(User.objects.get(username="beheerder"))
    response = client.get(reverse("monitoring:region", args=["ams"]), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response.context["month"] == month
    assert euro(spent) in response.content.decode()
