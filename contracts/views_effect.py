"""The procurement effect: a past period's production priced under other tariffs or as PxQ, per
segment, provider and contract."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.spreadsheet import safe_cell
from core.ui.charts import bar_chart
from core.ui.forms import add_service_errors
from core.ui.views import RegionMixin, SheetExportMixin
from segments.selectors import segment_subtree_ids as _with_sub_segments

from . import selectors, services
from .forms_money import (
    EffectForm,
    EffectScenarioForm,
    ScenarioCompareForm,
    ScenarioPriceFormSet,
)
from .models import Contract, EffectScenario
from .settlement import HUNDRED, ZERO, Period, effect_totals
from .views_money import is_region_staff
from .views_settlement import period_defaults

# ---------------------------------------------------------------- procurement effect


def _pct(current: Decimal, alternative: Decimal) -> Decimal | None:
    if not current:
        return None
    return ((alternative - current) * HUNDRED / current).quantize(Decimal("0.1"))


#: the chart shows this many providers at most (the largest differences); the table shows all
CHART_ROWS = 20


def effect_charts(totals: dict[str, list[dict]], period) -> dict:
    """The difference per segment and per provider as bar charts (the tables below hold the
    same figures): {"segment": svg, "provider": svg}; a provider chart longer than CHART_ROWS
    shows the largest differences."""
    titles = {
        "segment": _("Inkoopeffect per segment, %(period)s"),
        "provider": _("Inkoopeffect per aanbieder, %(period)s"),
    }
    charts = {}
    for key, rows in totals.items():
        if not rows:
            continue
        shown = rows
        title = titles[key] % {"period": period.label()}
        if len(rows) > CHART_ROWS:
            shown = sorted(rows, key=lambda r: -abs(r["difference"]))[:CHART_ROWS]
            title += " " + _("(de %(n)s grootste verschillen)") % {"n": CHART_ROWS}
        charts[key] = bar_chart(
            [(r["name"], r["difference"]) for r in shown],
            title=title,
            unit="euro",
            y_label=_("Verschil alternatief min huidig"),
            uid=f"effect-{key}",
        )
    return charts


def _row(name, current, alternative, **extra) -> dict:
    return {
        "name": name,
        "current": current,
        "alternative": alternative,
        "difference": alternative - current,
        "pct": _pct(current, alternative),
        **extra,
    }


class EffectView(RegionMixin, generic.TemplateView):
    """Inkoopeffect: the region's production of a period priced now and under a scenario."""

    model = Contract
    template_name = "contracts/effect.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_region_staff(request.user, self.region):
            raise PermissionDenied(
                _(
                    "Het inkoopeffect rekent met de productie van alle gemeenten en is alleen "
                    "voor medewerkers van de regio."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def contracts(self):
        return Contract.objects.visible_to(self.request.user).filter(region=self.region)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Inkoopeffect")
        today = timezone.localdate()
        first_year = self.contracts().aggregate(first=Min("start_date"))["first"]
        years = range(
            min(first_year.year if first_year else today.year, today.year), today.year + 2
        )
        submitted = "scenario" in self.request.GET
        initial = {**period_defaults(), "scenario": "tariffs_on", "on": today}
        form = EffectForm(
            self.request.GET if submitted else None,
            region=self.region,
            years=list(years),
            initial=initial,
        )
        context["form"] = form
        if submitted and form.is_valid():
            context.update(self.effect(form))
        return context

    def effect(self, form) -> dict:
        period = form.period()
        data = form.cleaned_data
        contracts = (
            self.contracts()
            .filter(start_date__lte=period.end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        )
        if data.get("segment") is not None:
            contracts = contracts.filter(segment__in=_with_sub_segments(data["segment"]))
        contracts = list(contracts.select_related("provider", "segment"))
        scenario, argument = data["scenario"], form.argument()
        effects, errors = selectors.effect_for(contracts, period, scenario, argument)
        warnings = [f"{e.contract}: {warning}" for e in effects for warning in e.warnings]
        by_reference = {c.reference: c for c in contracts}
        rows = sorted(
            (
                _row(
                    e.contract,
                    e.current,
                    e.alternative,
                    contract=by_reference.get(e.contract),
                    provider=e.provider,
                    segment=e.segment,
                )
                for e in effects
            ),
            key=lambda r: (r["provider"], r["name"]),
        )
        current = sum((e.current for e in effects), ZERO)
        alternative = sum((e.alternative for e in effects), ZERO)
        totals = {
            key: [_row(name, cur, alt) for name, cur, alt in effect_totals(effects, key)]
            for key in ("segment", "provider")
        }
        return {
            "period": period,
            "scenario_label": dict(form.fields["scenario"].choices)[scenario],
            "argument": argument,
            "scenario": scenario,
            "effect_errors": errors,
            "effect_warnings": warnings,
            "by_segment": totals["segment"],
            "by_provider": totals["provider"],
            "by_contract": rows,
            "total": _row(_("Totaal"), current, alternative),
            "effect_charts": effect_charts(totals, period),
            "computed": True,
        }


# ---------------------------------------------------------------- funding-model scenarios


def _money_cell(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}".replace(".", ",")


class ScenarioMixin(RegionMixin):
    """Region staff only (like the procurement effect): the scenarios price every
    municipality's production. Changing them needs a contract role."""

    model = EffectScenario
    needs_edit = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not is_region_staff(request.user, self.region):
                raise PermissionDenied(
                    _(
                        "Het inkoopeffect rekent met de productie van alle gemeenten en is "
                        "alleen voor medewerkers van de regio."
                    )
                )
            if self.needs_edit and not self.user_can_edit():
                raise PermissionDenied(
                    _("U hebt in deze regio geen rol waarmee u dit mag wijzigen.")
                )
        return super().dispatch(request, *args, **kwargs)

    def contracts(self):
        return Contract.objects.visible_to(self.request.user).filter(region=self.region)

    def scenarios(self):
        return selectors.effect_scenarios(self.region, self.request.user)

    def scenario_object(self):
        return get_object_or_404(self.scenarios(), pk=self.kwargs["pk"])

    def list_url(self):
        return reverse("contracts:effect-scenario-list", kwargs={"region": self.region.slug})


class EffectScenarioListView(SheetExportMixin, ScenarioMixin, generic.TemplateView):
    template_name = "contracts/effect_scenario_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Scenario's: inkoopeffect onder een andere bekostigingsvorm")
        scenarios = list(self.scenarios())
        context["scenarios"] = scenarios
        context["compare_form"] = ScenarioCompareForm(queryset=self.scenarios())
        return context

    def export_sheets(self, context) -> dict:
        """The saved scenarios as the table shows them (the results: each scenario's export)."""

        def reach(scenario):
            if scenario.segment:
                return str(scenario.segment)
            return ", ".join(p.code for p in scenario.products.all())

        columns = [
            (_("Naam"), "name"),
            (_("Bekostigingsvorm"), "get_model_display"),
            (_("Bereik"), reach),
            (_("Periode"), lambda s: f"{s.first_month}–{s.last_month} {s.year}"),
            (_("Gemaakt door"), "created_by"),
        ]
        return {"scenarios": records_sheet(_("Bewaarde scenario's"), columns, context["scenarios"])}


def _scenario_result(scenario, contracts) -> dict:
    """Everything the detail page, the comparison and the export show of one scenario."""
    effects, errors = selectors.scenario_result(scenario, contracts)
    by_reference = {
        c.reference: c for c in contracts.filter(reference__in=[e.contract for e in effects])
    }
    rows = [
        _row(
            e.contract,
            e.current,
            e.alternative,
            contract=by_reference.get(e.contract),
            provider=e.provider,
            segment=e.segment,
            effect=e,
        )
        for e in effects
    ]
    current = sum((e.current for e in effects), ZERO)
    alternative = sum((e.alternative for e in effects), ZERO)
    totals = {
        key: [_row(name, cur, alt) for name, cur, alt in effect_totals(effects, key)]
        for key in ("segment", "provider")
    }
    return {
        "scenario": scenario,
        "period": selectors.scenario_period(scenario),
        "effects": effects,
        "effect_errors": errors,
        "by_segment": totals["segment"],
        "by_provider": totals["provider"],
        "by_contract": rows,
        "effect_charts": effect_charts(totals, selectors.scenario_period(scenario)),
        "unpriced": [(e, u) for e in effects for u in e.unpriced],
        "notes": [f"{e.contract}: {note}" for e in effects for note in e.notes],
        "total": _row(_("Totaal"), current, alternative),
    }


class EffectScenarioDetailView(ScenarioMixin, generic.TemplateView):
    template_name = "contracts/effect_scenario_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scenario = self.scenario_object()
        context["title"] = scenario.name
        context["prices"] = scenario.prices.select_related(
            "product", "support_profile", "intensity", "provider"
        )
        context.update(_scenario_result(scenario, self.contracts()))
        return context


class EffectScenarioCsvView(ScenarioMixin, generic.View):
    """The scenario's result per contract, with the explanation lines, for a spreadsheet
    (semicolons, decimal commas; text that a spreadsheet would run as a formula stays text)."""

    def get(self, request, *args, **kwargs):
        scenario = self.scenario_object()
        result = _scenario_result(scenario, self.contracts())
        period = result["period"]
        filename = (
            f"inkoopeffect-scenario-{scenario.pk}-{period.start:%Y-%m}-{period.end:%Y-%m}.csv"
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("scenario"),
                _("periode"),
                _("contract"),
                _("aanbieder"),
                _("segment"),
                _("soort"),
                _("huidig"),
                _("alternatief"),
                _("verschil"),
                _("toelichting"),
            ]
        )

        def row(effect, kind, current="", alternative="", difference="", text=""):
            # texts (names a user typed) are neutralised, the amounts (formatted here) are
            # numbers and stay numbers, also when negative
            texts = (scenario.name, period.label(), effect.contract, effect.provider)
            writer.writerow(
                [
                    *(safe_cell(str(value)) for value in (*texts, effect.segment, kind)),
                    current,
                    alternative,
                    difference,
                    safe_cell(str(text)),
                ]
            )

        for effect in result["effects"]:
            row(
                effect,
                _("totaal"),
                _money_cell(effect.current),
                _money_cell(effect.alternative),
                _money_cell(effect.difference),
            )
            for line in effect.current_lines:
                row(effect, _("huidig"), text=line)
            for line in effect.lines:
                row(effect, _("alternatief"), text=line)
            for item in effect.unpriced:
                row(effect, _("niet te prijzen"), _money_cell(item.current), text=item.describe())
            for note in effect.notes:
                row(effect, _("let op"), text=note)
        return response


class EffectScenarioEditView(ScenarioMixin, generic.TemplateView):
    """New or changed scenario: the form, a row per price (filled with the products and
    providers of the scope on request), and the service that refuses what lacks a price."""

    template_name = "contracts/effect_scenario_form.html"
    needs_edit = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        scenario = self.scenario_object()
        if not scenario.can_change(self.request.user):
            raise PermissionDenied(_("U mag dit niet wijzigen."))
        return scenario

    def years(self) -> list[int]:
        today = timezone.localdate()
        first_year = self.contracts().aggregate(first=Min("start_date"))["first"]
        return list(
            range(min(first_year.year if first_year else today.year, today.year), today.year + 1)
        )

    def initial(self) -> dict:
        if self.object is None:
            year = timezone.localdate().year - 1
            return {"year": year, "first_month": 1, "last_month": 12, "model": "output"}
        s = self.object
        return {
            "name": s.name,
            "description": s.description,
            "segment": s.segment,
            "products": list(s.products.all()),
            "model": s.model,
            "output_payment": s.output_payment,
            "regional_amount": s.regional_amount,
            "year": s.year,
            "first_month": s.first_month,
            "last_month": s.last_month,
        }

    def rows(self) -> list[dict]:
        if self.object is None:
            return []
        return [
            {
                "product": r.product,
                "support_profile": r.support_profile,
                "intensity": r.intensity,
                "provider": r.provider,
                "amount": r.amount,
                "places": r.places,
            }
            for r in self.object.prices.select_related(
                "product", "support_profile", "intensity", "provider"
            )
        ]

    def forms(self, data=None, initial=None, rows=None):
        form = EffectScenarioForm(
            data, region=self.region, years=self.years(), initial=initial or self.initial()
        )
        formset = ScenarioPriceFormSet(
            data,
            prefix="prices",
            initial=rows if rows is not None else self.rows(),
            form_kwargs={"region": self.region},
        )
        return form, formset

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, formset = self.forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, formset = self.forms(request.POST)
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if "prefill" in request.POST:
            return self.prefill(form, formset)
        if form_ok and formset_ok:
            rows = [r for r in (f.row() for f in formset.forms) if r is not None]
            fields = form.scenario_fields()
            try:
                if self.object is None:
                    scenario = services.effect_scenario_create(
                        region=self.region,
                        user=request.user,
                        products=form.cleaned_data.get("products") or [],
                        prices=rows,
                        **fields,
                    )
                else:
                    scenario = services.effect_scenario_update(
                        scenario=self.object,
                        products=form.cleaned_data.get("products") or [],
                        prices=rows,
                        **fields,
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(object)s is opgeslagen.") % {"object": scenario})
                return HttpResponseRedirect(
                    reverse(
                        "contracts:effect-scenario-detail",
                        kwargs={"region": self.region.slug, "pk": scenario.pk},
                    )
                )
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def prefill(self, form, formset):
        """The rows of the scope: its products (output, PxQ, availability) and providers (task,
        availability), after the rows already filled in."""
        data = getattr(form, "cleaned_data", {})
        rows = [r for r in (f.row() for f in formset.forms if hasattr(f, "cleaned_data")) if r]
        year, first, last = data.get("year"), data.get("first_month"), data.get("last_month")
        period = (
            Period.months(year, first, last) if year and first and last and last >= first else None
        )
        if period is not None and (data.get("segment") or data.get("products")):
            products, providers = selectors.scenario_subjects(
                self.contracts(),
                period,
                segment=data.get("segment"),
                products=data.get("products") or None,
            )
            model = data.get("model")
            have = {(r["product"], r["provider"]) for r in rows}
            if model in ("output", "pxq", "availability"):
                rows += [{"product": p, "amount": None} for p in products if (p, None) not in have]
            if model in ("task", "availability"):
                rows += [
                    {"provider": p, "amount": None} for p in providers if (None, p) not in have
                ]
        form, formset = self.forms(initial=dict(data) or None, rows=rows)
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, prefilled=True)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["title"] = (
            _("Nieuw scenario")
            if self.object is None
            else _("Wijzigen: %(object)s") % {"object": self.object}
        )
        return context


class EffectScenarioDeleteView(ScenarioMixin, generic.TemplateView):
    template_name = "contracts/effect_scenario_delete.html"
    needs_edit = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.scenario_object()
        context["title"] = _("Verwijderen: %(object)s") % {"object": context["object"]}
        return context

    def post(self, request, *args, **kwargs):
        scenario = self.scenario_object()
        if not scenario.can_change(request.user):
            raise PermissionDenied(_("U mag dit niet wijzigen."))
        label = str(scenario)
        services.effect_scenario_delete(scenario=scenario)
        messages.success(request, _("%(object)s is verwijderd.") % {"object": label})
        return HttpResponseRedirect(self.list_url())


class EffectScenarioCompareView(ScenarioMixin, generic.TemplateView):
    """Two or three saved scenarios side by side: totals, and per provider a column each."""

    template_name = "contracts/effect_scenario_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Scenario's vergelijken")
        submitted = "scenarios" in self.request.GET
        form = ScenarioCompareForm(
            self.request.GET if submitted else None, queryset=self.scenarios()
        )
        context["form"] = form
        if not (submitted and form.is_valid()):
            return context
        chosen = sorted(form.cleaned_data["scenarios"], key=lambda s: s.name)
        results = [_scenario_result(s, self.contracts()) for s in chosen]
        periods = {r["period"] for r in results}
        providers = sorted({row["name"] for r in results for row in r["by_provider"]})
        table = []
        for name in providers:
            cells = []
            for result in results:
                found = next((row for row in result["by_provider"] if row["name"] == name), None)
                cells.append(found)
            table.append({"name": name, "cells": cells})
        context.update(
            {
                "results": results,
                "same_period": len(periods) == 1,
                "provider_rows": table,
                "compared": True,
            }
        )
        return context
