"""A region's public pages: no login, only for a region whose administrator turned them on
(any other region: 404). Anyone reads them, a provider portal user too (core.boundary).

Each page's content is rendered once per region, page, language and period and kept in the
cache for ``PUBLIC_PAGE_CACHE_SECONDS`` (default 5 minutes): the key holds the region's public
settings (threshold, introduction), so changing them takes effect at once, and new figures,
contracts or documents appear within the timeout. Only the content is cached; the page around
it (with the language switch and its CSRF token) is rendered per request, without queries.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import generic

from core.scoping import Scope
from monitoring.dashboards import public as outcomes

from . import selectors

CACHE_PREFIX = "public-page"


def cache_key(region, page: str, variant: str = "") -> str:
    settings_hash = hashlib.sha256(
        f"{region.public_min_cell}|{region.public_intro}|{region.name}".encode()
    ).hexdigest()[:12]
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"{CACHE_PREFIX}:{region.pk}:{settings_hash}:{page}:{language}:{variant}"


@method_decorator(login_not_required, name="dispatch")
class PublicView(generic.View):
    page = ""
    title = ""
    template_name = ""

    def get(self, request, *args, **kwargs):
        self.region = selectors.public_region(kwargs["region"])
        if self.region is None:
            raise Http404(_("Deze regio heeft geen openbare pagina."))
        self.scope = Scope.public(self.region)
        self.today = timezone.localdate()
        variant = self.variant()
        key = cache_key(self.region, self.page, variant)
        content = cache.get(key)
        if content is None:
            context = {"region": self.region, **self.content_context()}
            content = render_to_string(self.template_name, context)
            cache.set(key, content, settings.PUBLIC_PAGE_CACHE_SECONDS)
        return render(
            request,
            "public/page.html",
            {
                "region": self.region,
                "title": str(self.title),
                "page": self.page,
                "content": mark_safe(content),  # noqa: S308  (our own template's output)
            },
        )

    def variant(self) -> str:
        return ""

    def content_context(self) -> dict:
        return {}


class LandscapeView(PublicView):
    page = "region"
    title = _("Zorglandschap")
    template_name = "public/landscape.html"

    def content_context(self):
        return {"rows": selectors.landscape(self.scope, self.region, self.today)}


class ProceduresView(PublicView):
    page = "procedures"
    title = _("Open procedures en toelatingsmomenten")
    template_name = "public/procedures.html"

    def content_context(self):
        return {"procedures": selectors.open_procedures(self.scope, self.region, self.today)}


class ContractsView(PublicView):
    page = "contracts"
    title = _("Gegunde contracten")
    template_name = "public/contracts.html"

    def content_context(self):
        return {"contracts": selectors.awarded_contracts(self.scope, self.region, self.today)}


class OutcomesView(PublicView):
    page = "outcomes"
    title = _("Resultaten per aanbieder")
    template_name = "public/outcomes.html"

    def get(self, request, *args, **kwargs):
        self.requested = outcomes.Period.parse(request.GET.get("periode"))
        return super().get(request, *args, **kwargs)

    def variant(self) -> str:
        self.periods = outcomes.public_periods(self.scope, self.region)
        period = self.requested
        if period is None or period not in self.periods:
            period = self.periods[0] if self.periods else None
        self.period = period
        return period.param if period else "-"

    def content_context(self):
        rows = outcomes.public_outcomes(self.scope, self.region, self.period) if self.period else []
        return {
            "period": self.period,
            "periods": self.periods,
            "rows": rows,
            "kpis": outcomes.public_kpi_labels(),
            "with_profiles": any(r.profiles for r in rows),
            "min_cell": self.region.public_min_cell,
        }


@method_decorator(login_not_required, name="dispatch")
class DocumentView(generic.View):
    """A public document of a published procedure (never a submission's file)."""

    def get(self, request, *args, **kwargs):
        region = selectors.public_region(kwargs["region"])
        if region is None:
            raise Http404
        document = selectors.public_document(Scope.public(region), region, kwargs["pk"])
        if document is None:
            raise Http404
        return FileResponse(document.file.open("rb"), as_attachment=True)


@method_decorator(login_not_required, name="dispatch")
class IndexView(generic.TemplateView):
    template_name = "public/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["regions"] = list(selectors.public_regions())
        context["title"] = _("Openbare pagina's van de regio's")
        return context
