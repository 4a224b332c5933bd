"""Base classes of the API's views: no login redirect (clients use keys), scoped querysets."""

from __future__ import annotations

import inspect

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.views import APIView

from .scopes import ApiScope


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


class ScopedWriteViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedReadViewSet,
):
    """The region's own configuration, kept by the region's system: read by any client of the
    region, created (POST), changed (PATCH) and deleted (DELETE) by a client holding
    ``write_scope`` — in the client's own region, through the app's services (the same checks,
    transaction and audit entry as the pages).

    ``create_service(*, region, **fields)``, ``update_service(*, <object_kwarg>=obj, **fields)``
    and ``delete_service(*, <object_kwarg>=obj)``; the fields are the serializer's writable
    fields by their ``source``. A service's refusal is a 400 naming the API's field; a row that
    something still refers to is a 409."""

    write_scope = ApiScope.WRITE_CONFIGURATION
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    create_service = None
    update_service = None
    delete_service = None
    object_kwarg: str = ""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            # writes only in the client's own region, whatever else it may read
            queryset = queryset.filter(region_id=getattr(self.request.user, "region_id", None))
        return queryset

    def create_kwargs(self) -> dict:
        """What the create service needs besides the fields: the client's region."""
        return {"region": self.request.user.region}

    def _fields(self, serializer, instance=None) -> dict:
        """The service's keyword arguments: what was sent, and for a PATCH the object's
        current values of what was not. A field the service does not take (e.g. the owner of
        a row, fixed once it is made) is left out; the serializer refuses a change of it."""
        service = type(self).update_service if instance is not None else type(self).create_service
        accepted = set(inspect.signature(service).parameters)
        fields = {}
        for field in serializer.fields.values():
            if field.read_only or field.source == "*" or field.source not in accepted:
                continue
            if field.source in serializer.validated_data:
                fields[field.source] = serializer.validated_data[field.source]
            elif instance is not None:
                value = getattr(instance, field.source)
                if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
                    value = list(value.all())
                fields[field.source] = value
        return fields

    def _call(self, serializer, service, **kwargs):
        try:
            return service(**kwargs)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(_api_errors(serializer, exc)) from exc

    def perform_create(self, serializer):
        serializer.instance = self._call(
            serializer,
            type(self).create_service,
            **self.create_kwargs(),
            **self._fields(serializer),
        )

    def perform_update(self, serializer):
        instance = serializer.instance
        serializer.instance = self._call(
            serializer,
            type(self).update_service,
            **{self.object_kwarg: instance},
            **self._fields(serializer, instance),
        )

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Verwijderd."),
            (409, "application/problem+json"): OpenApiResponse(
                {"$ref": "#/components/schemas/Problem"},
                description="Er hangen nog gegevens aan; zet het op 'niet meer in gebruik'.",
            ),
        }
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        try:
            type(self).delete_service(**{self.object_kwarg: instance})
        except DjangoValidationError as exc:
            raise Conflict(" ".join(_messages(exc))) from exc
        except ProtectedError as exc:
            raise Conflict(
                _("%(object)s kan niet worden verwijderd: er hangen nog gegevens aan.")
                % {"object": instance}
            ) from exc


class RegionRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to a row of the client's own region (another region's: "does not
    exist", as for a row that does not)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        region_id = getattr(getattr(request, "user", None), "region_id", None)
        return self.model.objects.filter(region_id=region_id)


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = gettext_lazy("Conflict.")
    default_code = "conflict"


def _messages(exc: DjangoValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for msgs in exc.message_dict.values() for m in msgs]
    return [str(m) for m in exc.messages]


def _api_errors(serializer, exc: DjangoValidationError) -> dict:
    """A service's ``ValidationError`` keyed by the API's field names (model field → the
    serializer field whose source it is); the rest under ``nonFieldErrors``."""
    names = {field.source: name for name, field in serializer.fields.items()}
    if not hasattr(exc, "error_dict"):
        return {"nonFieldErrors": [str(m) for m in exc.messages]}
    errors: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        errors.setdefault(names.get(field, "nonFieldErrors"), []).extend(messages)
    return errors


class NotFoundView(ApiView):
    """Any path under /api/v1 that is no endpoint: a problem+json 404 (not the HTML page)."""

    permission_classes: list = []
    authentication_classes: list = []
    schema = None  # not an endpoint: left out of the OpenAPI document

    def _missing(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Dit endpoint bestaat niet. Zie /api/v1/openapi.json."))

    get = post = put = patch = delete = head = options = _missing
