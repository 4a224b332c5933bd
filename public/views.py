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
from urllib.parse import urlencode

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

from core import export
from core.export import records_sheet
from core.scoping import Scope
from core.ui.views import export_format, send_sheet
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
        fmt = export_format(request)
        if fmt is not None:
            return self.download(request, fmt)
        key = cache_key(self.region, self.page, variant)
        content = cache.get(key)
        if content is None:
            context = {"region": self.region, **self.content_context()}
            context["exports"] = self.export_links(request, context)
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

    # downloads: ``?export=csv|xlsx&tabel=<name>`` gives one of the page's tables, built from the
    # same content (small cells suppressed as on the page); never read from or put in the cache

    def export_sheets(self, context) -> dict:
        return {}

    def export_query(self) -> dict:
        """The parameters that choose the page's content (never the request's own query: the
        links are part of the cached content)."""
        return {}

    def export_links(self, request, context) -> dict:
        links = {}
        formats = ((export.CSV, _("Download CSV")), (export.XLSX, _("Download Excel")))
        for name in self.export_sheets(context):
            links[name] = [
                {
                    "url": f"{request.path}?"
                    + urlencode({**self.export_query(), "export": fmt, "tabel": name}),
                    "label": label,
                    "format": fmt,
                }
                for fmt, label in formats
            ]
        return links

    def download(self, request, fmt: str):
        context = {"region": self.region, **self.content_context()}
        sheets = self.export_sheets(context)
        name = request.GET.get("tabel", "")
        if name not in sheets:
            raise Http404(_("Deze pagina heeft geen tabel met die naam."))
        sheet = sheets[name]
        return send_sheet(request, sheet, fmt, export.filename(sheet.title, self.region.slug, fmt))


class LandscapeView(PublicView):
    page = "region"
    title = _("Zorglandschap")
    template_name = "public/landscape.html"

    def content_context(self):
        return {"rows": selectors.landscape(self.scope, self.region, self.today)}

    def export_sheets(self, context) -> dict:
        offers = [
            {"segment": row.segment, "offer": offer}
            for row in context["rows"]
            for offer in row.offers
        ]
        if not offers:
            return {}

        def joined(attribute):
            return lambda r: ", ".join(getattr(r["offer"], attribute))

        return {
            "aanbieders": records_sheet(
                _("Zorglandschap"),
                [
                    (_("Segment"), lambda r: f"{r['segment'].code} {r['segment'].name}"),
                    (_("Aanbieder"), lambda r: r["offer"].provider),
                    (_("Plaats"), lambda r: r["offer"].city or None),
                    (_("Jeugdhulpvormen"), joined("care_forms")),
                    (_("Gemeenten"), joined("municipalities")),
                    (_("Contract"), lambda r: r["offer"].contract),
                ],
                offers,
            )
        }


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

    def export_sheets(self, context) -> dict:
        if not context["contracts"]:
            return {}

        def segment(item):
            c = item.contract
            lot = f" · {_('perceel')} {c.lot.number}" if c.lot else ""
            return f"{c.segment.code} {c.segment.name}{lot}"

        return {
            "contracten": records_sheet(
                _("Gegunde contracten"),
                [
                    (_("Aanbieder"), lambda i: i.contract.provider.name),
                    (_("Kenmerk"), lambda i: i.contract.reference),
                    (_("Segment / perceel"), segment),
                    (_("Ingangsdatum"), lambda i: i.contract.start_date),
                    (
                        _("Einddatum"),
                        lambda i: i.contract.terminated_on or i.contract.end_date,
                    ),
                    (_("Uiterlijke einddatum"), lambda i: i.contract.final_end_date),
                    (_("Status"), lambda i: str(i.status)),
                    (_("Waarde"), lambda i: i.value),
                ],
                context["contracts"],
            )
        }


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

    def export_query(self) -> dict:
        return {"periode": self.period.param} if self.period else {}

    def export_sheets(self, context) -> dict:
        """The page's tables as the page shows them: a hidden cell is „te weinig jeugdigen”
        here too, and no totals are added."""
        period = context["period"]
        if period is None or not context["rows"]:
            return {}
        sheets = {
            "aanbieders": records_sheet(
                f"{_('Resultaten per aanbieder')} {period.label}",
                [
                    (_("Aanbieder"), "name"),
                    (_("Jeugdigen"), lambda r: public_cell(r.youths)),
                    *(
                        (label, lambda r, i=i: public_cell(r.figures[i]))
                        for i, (label, _definition) in enumerate(context["kpis"])
                    ),
                ],
                context["rows"],
            )
        }
        if context["with_profiles"]:
            cells = [(row, cell) for row in context["rows"] for cell in row.profiles]
            sheets["profielen"] = records_sheet(
                f"{_('Per profiel en intensiteit')} {period.label}",
                [
                    (_("Aanbieder"), lambda r: r[0].name),
                    (_("Ondersteuningsprofiel"), lambda r: r[1].profile),
                    (_("Intensiteit"), lambda r: r[1].intensity),
                    (_("Jeugdigen"), lambda r: public_cell(r[1].youths)),
                    # the page's columns: drop-out, goal realisation, client experience
                    *(
                        (label, lambda r, name=name: public_cell(getattr(r[1], name)))
                        for (label, _definition), name in zip(
                            context["kpis"], ("dropout", "goal", "experience"), strict=True
                        )
                    ),
                ],
                cells,
            )
        return sheets


def public_cell(cell):
    """A published figure as a spreadsheet cell: its value, or the page's text where the
    small-cell rule hides it (a hidden figure stays hidden in a download)."""
    if cell.hidden:
        return cell.text
    return cell.value


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
