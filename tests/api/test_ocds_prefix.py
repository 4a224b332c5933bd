"""The OCDS ocid prefix is set per installation (OCDS_OCID_PREFIX), validated, and
`check --deploy` warns while it is the placeholder."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from api.checks import check_ocid_prefix, check_ocid_prefix_registered


def ids(messages):
    return [m.id for m in messages]


def test_the_placeholder_is_a_deploy_warning(settings):
    settings.OCDS_OCID_PREFIX = "ocds-jk0000"
    assert ids(check_ocid_prefix_registered()) == ["api.W001"]
    assert check_ocid_prefix() == []
    deploy = checks.run_checks(include_deployment_checks=True)
    assert "api.W001" in ids(deploy)
    assert "api.W001" not in ids(checks.run_checks())  # only with --deploy
    with pytest.raises(SystemCheckError, match="api.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")


def test_a_registered_prefix_passes(settings):
    settings.OCDS_OCID_PREFIX = "ocds-a1b2c3"
    assert check_ocid_prefix() == [] and check_ocid_prefix_registered() == []


@pytest.mark.parametrize(
    "prefix", ["ocds-ABC123", "ocds-abc12", "ocds-abc1234", "ocds_abc123", "abc123", ""]
)
def test_a_malformed_prefix_is_an_error(settings, prefix):
    settings.OCDS_OCID_PREFIX = prefix
    assert ids(check_ocid_prefix()) == ["api.E001"]


@pytest.mark.django_db
def test_the_package_uses_the_installations_prefix(client, settings, world_a):
    settings.OCDS_OCID_PREFIX = "ocds-a1b2c3"
    package = client.get(reverse("api:regio-ocds", kwargs={"code": world_a.region.slug})).json()
    assert package["releases"]
    assert all(r["ocid"].startswith("ocds-a1b2c3-regio-a-") for r in package["releases"])
