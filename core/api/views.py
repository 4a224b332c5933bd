"""Base classes of the API's views: no login redirect (clients use keys), scoped querysets."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.views import APIView


def _no_login_redirect(view):
    # LoginRequiredMiddleware would redirect to the login page; the API answers 401 itself.
    view.login_required = False
    return view


class ApiView(APIView):
    @classmethod
    def as_view(cls, *args, **kwargs):
        return _no_login_redirect(super().as_view(*args, **kwargs))


class ScopedListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A read-only collection whose rows are ``model.objects.visible_to(client)``.

    ``read_scope`` names the scope a client needs (``None``: any client). Objects outside the
    client's scope are a 404, like objects that do not exist."""

    read_scope: str | None = None
    write_scope: str | None = None
    model = None

    @classmethod
    def as_view(cls, *args, **kwargs):
        return _no_login_redirect(super().as_view(*args, **kwargs))

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)


class ScopedReadViewSet(mixins.RetrieveModelMixin, ScopedListViewSet):
    """A read-only resource: the collection and its members (``visible_to(client)``)."""


class NotFoundView(ApiView):
    """Any path under /api/v1 that is no endpoint: a problem+json 404 (not the HTML page)."""

    permission_classes: list = []
    authentication_classes: list = []
    schema = None  # not an endpoint: left out of the OpenAPI document

    def _missing(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Dit endpoint bestaat niet. Zie /api/v1/openapi.json."))

    get = post = put = patch = delete = head = options = _missing
