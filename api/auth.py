"""DRF authentication with a client's key: ``Authorization: Bearer jk_<prefix>_<secret>``."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .services import key_for_token


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != self.keyword.lower() or not token.strip():
            raise exceptions.AuthenticationFailed(
                _("Gebruik de header 'Authorization: Bearer <sleutel>'.")
            )
        key = key_for_token(token.strip())
        if key is None:
            raise exceptions.AuthenticationFailed(
                _("Deze sleutel is onbekend, verlopen of ingetrokken.")
            )
        return key.client, key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "De sleutel van een API-client (jk_…), aangemaakt door de regiobeheerder onder "
                "Beheer → API-clients. Stuur hem mee als 'Authorization: Bearer <sleutel>'."
            ),
        }
