"""Provider portal users of world A's providers, and a login that has passed the second
factor."""

from dataclasses import dataclass

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import provider_user


@dataclass
class PortalUsers:
    admin: object  # administrator of world_a.provider (lead of world_a.consortium)
    employee: object  # employee of world_a.provider
    distant_admin: object  # administrator of world_a.distant_provider (a consortium member)
    other_region_admin: object  # administrator of world_b.provider


@pytest.fixture
def portal(world_a, world_b):
    return PortalUsers(
        admin=provider_user(world_a.provider, "admin", first_name="Anna", last_name="Admin"),
        employee=provider_user(world_a.provider, "employee", first_name="Eric", last_name="Werk"),
        distant_admin=provider_user(world_a.distant_provider, "admin"),
        other_region_admin=provider_user(world_b.provider, "admin"),
    )


def portal_login(client, user):
    """Log in as a portal user who has passed the second factor in this session."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
