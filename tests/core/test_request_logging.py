"""An expected 403/404 is one log line (status, method, path, user id), not a traceback; a 500
keeps its traceback (core/logfilters.py, LOGGING in config/settings.py)."""

import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import include, path, reverse


@login_not_required
def refused(request):
    raise PermissionDenied("Geen toegang tot deze regio.")


@login_not_required
def missing(request):
    raise Http404("Niet in uw regio.")


@login_not_required
def broken(request):
    raise RuntimeError("kapot")


@login_not_required
def fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("geweigerd/", refused),
    path("onbekend/", missing),
    path("kapot/", broken),
    path("goed/", fine),
    # the site's own, for the error pages' links
    path("", include("config.urls")),
]


def request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def formatted(record) -> str:
    return logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)


@pytest.mark.django_db
def test_403_of_a_real_page_is_one_line(client, world_a, users, caplog):
    """A viewer on an edit page: the view raises PermissionDenied, which Django logs with the
    exception's traceback unless the filter takes it off."""
    url = reverse("segments:municipality-create", kwargs={"region": world_a.region.slug})
    client.force_login(users.viewer)
    with caplog.at_level(logging.INFO):
        assert client.get(url).status_code == 403
    [record] = request_records(caplog)
    assert record.getMessage() == f"403 GET {url} user={users.viewer.pk}"
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "Traceback" not in formatted(record)
    assert formatted(record).count("\n") == 0


@pytest.mark.django_db
def test_404_of_another_regions_object_is_one_line(client, world_a, world_b, users, caplog):
    url = reverse(
        "segments:municipality-detail",
        kwargs={"region": world_a.region.slug, "pk": world_b.municipality.pk},
    )
    client.force_login(users.officer)
    with caplog.at_level(logging.INFO):
        assert client.get(url).status_code == 404
    [record] = request_records(caplog)
    assert record.getMessage() == f"404 GET {url} user={users.officer.pk}"
    assert record.exc_info is None


@pytest.mark.urls("tests.core.test_request_logging")
def test_refusals_of_an_anonymous_visitor(client, caplog):
    with caplog.at_level(logging.INFO):
        assert client.get("/geweigerd/").status_code == 403
        assert client.post("/onbekend/").status_code == 404
        assert client.get("/goed/").status_code == 200
    assert [r.getMessage() for r in request_records(caplog)] == [
        "403 GET /geweigerd/ user=-",
        "404 POST /onbekend/ user=-",
    ]
    assert all(r.exc_info is None for r in request_records(caplog))


@pytest.mark.urls("tests.core.test_request_logging")
def test_a_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/onbekend%0AERROR%20nep/")
    [record] = request_records(caplog)
    assert "\n" not in record.getMessage()
    assert record.getMessage() == "404 GET /onbekend\\nERROR nep/ user=-"


@pytest.mark.urls("tests.core.test_request_logging")
def test_a_500_keeps_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        assert client.get("/kapot/").status_code == 500
    [record] = request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Internal Server Error: /kapot/"
    assert record.exc_info is not None
    text = formatted(record)
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: kapot" in text
