"""Fixtures of the API tests: API clients of every kind for world_a (and one of world_b), and
one object of every resource in both worlds."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from api import services
from api.models import ApiClient, ClientKind
from core.api.scopes import ApiScope

F, C, W = ApiScope.READ_FIGURES, ApiScope.READ_CONTRACTS, ApiScope.WRITE_PRODUCTION
#: the region's configuration (regional systems only)
R = ApiScope.WRITE_CONFIGURATION


def make_client(world, kind, scopes, name=None):
    organisation = {}
    if kind == ClientKind.MUNICIPALITY:
        organisation["municipality"] = world.municipality
    elif kind == ClientKind.PROVIDER:
        organisation["provider"] = world.provider
    client = ApiClient(
        region=world.region,
        name=name or f"{kind}-{'-'.join(sorted(scopes)) or 'geen'}",
        kind=kind,
        scopes=sorted(scopes),
        **organisation,
    )
    client.full_clean()
    client.save()
    return client, services.api_key_issue(client=client)


class Api:
    """Django's test client speaking to the API with one token."""

    def __init__(self, token=None):
        self.http = Client(HTTP_HOST="testserver")
        self.token = token

    def _headers(self, extra):
        headers = dict(extra)
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path, data=None, **headers):
        return self.http.get(path, data, headers=self._headers(headers))

    def post(self, path, body=b"", content_type="application/json", **headers):
        return self.http.post(path, body, content_type=content_type, headers=self._headers(headers))

    def patch(self, path, body=b"", content_type="application/json", **headers):
        return self.http.patch(
            path, body, content_type=content_type, headers=self._headers(headers)
        )

    def delete(self, path, **headers):
        return self.http.delete(path, headers=self._headers(headers))


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Throttle counts live in the cache, keyed by client id: ids come back after a test's
    rollback, counts must not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return lambda token=None: Api(token)


@dataclass
class Objects:
    """One object of every resource of one world (ids for the URLs)."""

    region: object
    municipality: object
    other_municipality: object
    segment: object
    care_form: object
    product: object
    provider: object
    distant_provider: object
    screening_kind: object
    tender: object
    draft: object
    contract: object
    regional_tariff: object
    contract_tariff: object
    budget: object
    signal: object
    provider_report: object
    municipal_report: object
    other_municipal_report: object
    board_report: object


def objects_of(w) -> Objects:
    from monitoring.models import Level, Signal, SignalSource
    from reports import services as report_services
    from reports.models import CADENCE, ReportKind
    from reports.periods import parse_period

    def report(kind, obj, code):
        return report_services.report_ensure(
            region=w.region, kind=kind, subject=obj, period=parse_period(CADENCE[kind], code)
        )

    signal = Signal.objects.create(
        region=w.region,
        provider=w.provider,
        contract=w.con.contract,
        source=SignalSource.KPI,
        topic="wait_time",
        key=f"test-{w.region.slug}",
        period=date(2026, 10, 1),
        level=Level.RED,
        value=Decimal("40"),
        norm=Decimal("30"),
        message="Wachttijd boven de norm",
    )
    return Objects(
        region=w.region,
        municipality=w.municipality,
        other_municipality=w.other_municipality,
        segment=w.segment,
        care_form=w.care_form,
        product=w.product,
        provider=w.provider,
        distant_provider=w.distant_provider,
        screening_kind=w.screening.kind,
        tender=w.proc.tender,
        draft=w.proc.draft,
        contract=w.con.contract,
        regional_tariff=w.con.regional_tariff,
        contract_tariff=w.con.contract_tariff,
        budget=w.con.ceiling,
        signal=signal,
        provider_report=report(ReportKind.PROVIDER, w.provider, "2026-10"),
        municipal_report=report(ReportKind.MUNICIPALITY, w.municipality, "2026-K3"),
        other_municipal_report=report(ReportKind.MUNICIPALITY, w.other_municipality, "2026-K3"),
        board_report=report(ReportKind.BOARD, w.region, "2025"),
    )


@pytest.fixture
def objects(world_a, world_b):
    return objects_of(world_a), objects_of(world_b)
