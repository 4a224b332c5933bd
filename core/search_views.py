"""The header search: a results page and a JSON endpoint for the type-ahead, both through
``core.search`` (every kind through ``visible_to(user)``). Provider portal users never reach
them (``core/boundary.py``: a staff page is a 403 for them)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core import search

#: hits per kind in the type-ahead
SUGGEST_LIMIT = 5


class SearchView(TemplateView):
    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = search.clean_query(self.request.GET.get("q"))
        groups = search.search(self.request.user, query)
        context.update(
            query=query,
            search_query=query,
            too_short=bool(query) and len(query) < search.MIN_LENGTH,
            groups=groups,
            total=sum(g.count for g in groups),
            limit=search.LIMIT,
        )
        return context


@require_GET
def suggest(request):
    """``{"query": …, "results": [{"kind", "label", "title", "description", "url"}]}``."""
    query = search.clean_query(request.GET.get("q"))
    results = [
        {
            "kind": group.kind.key,
            "label": str(group.kind.label),
            "title": hit.title,
            "description": hit.description,
            "url": hit.url,
        }
        for group in search.search(request.user, query, limit=SUGGEST_LIMIT)
        for hit in group.hits
    ]
    return JsonResponse({"query": query, "results": results})
