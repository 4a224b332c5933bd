"""The UI's FilterSets in the API, under Dutch camelCase query keys (API-04, API-48).

``api_filterset(ContractFilterSet, {"provider": "aanbieder"})`` is the same FilterSet (same
filters, same methods, same selectors) with its query keys renamed; the list page and the API
filter with one class. A filter over a registered code list (``core.api.enums``) takes the
Dutch API values (``?status=actief``) and hands the stored value to the filter. The backend
limits every choice of a related object to what the client may see, so a filter value never
reveals another region's objects."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from .enums import dutch_filter


def api_filterset(base: type[django_filters.FilterSet], names: dict[str, str | None], **extra):
    """``base`` with its filters renamed by ``names`` (``None`` drops one) plus ``extra``; the
    choices of a code list in Dutch."""
    attrs = {"Meta": type("Meta", (base.Meta,), {}), **extra}
    cls = type(f"Api{base.__name__}", (base,), attrs)
    renamed = {}
    for key, filter_ in cls.base_filters.items():
        new = names.get(key, key)
        if new is None:
            continue
        renamed[new] = dutch_filter(filter_)
    cls.base_filters = renamed
    return cls


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for filter_ in filterset.filters.values():
            choices = getattr(filter_, "queryset", None)
            if choices is not None and hasattr(choices, "visible_to"):
                filter_.queryset = choices.visible_to(request.user)
        return filterset


def ordering(*pairs):
    """A ``sorteer`` filter over (field, Dutch name) pairs; ``-naam`` sorts descending."""
    return django_filters.OrderingFilter(
        fields=pairs, label="Sorteer op (met een - ervoor: aflopend)"
    )
