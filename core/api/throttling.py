"""Throttling per API client (by its id) and, for the public endpoints, per address."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_cache_key(self, request, view):
        client = request.user
        if not getattr(client, "is_authenticated", False) or not hasattr(client, "has_scope"):
            return None  # the anonymous throttle counts these
        return self.cache_format % {"scope": self.scope, "ident": client.pk}


class PublicRateThrottle(AnonRateThrottle):
    scope = "public"
