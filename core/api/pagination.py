"""Page-number pagination with Dutch keys and a count (API-42)."""

from collections import OrderedDict

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class Pagination(PageNumberPagination):
    page_query_param = "pagina"
    page_size_query_param = "paginaGrootte"
    page_size = 100
    max_page_size = 1000
    page_query_description = _("Het nummer van de pagina (vanaf 1).")
    page_size_query_description = _("Het aantal resultaten per pagina (ten hoogste 1000).")
    invalid_page_message = _("Deze pagina bestaat niet.")

    def get_paginated_response(self, data):
        response = Response(
            OrderedDict(
                [
                    ("aantal", self.page.paginator.count),
                    ("volgende", self.get_next_link()),
                    ("vorige", self.get_previous_link()),
                    ("resultaten", data),
                ]
            )
        )
        links = []
        if (nxt := self.get_next_link()) is not None:
            links.append(f'<{nxt}>; rel="next"')
        if (prev := self.get_previous_link()) is not None:
            links.append(f'<{prev}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(self.page.paginator.count)
        return response

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["aantal", "volgende", "vorige", "resultaten"],
            "properties": {
                "aantal": {"type": "integer", "example": 123},
                "volgende": {"type": "string", "nullable": True, "format": "uri"},
                "vorige": {"type": "string", "nullable": True, "format": "uri"},
                "resultaten": schema,
            },
        }
