"""The procurement effect: a past period's production priced under other tariffs or as PxQ, per
segment, provider and contract."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.ui.views import RegionMixin
from segments.selectors import segment_subtree_ids as _with_sub_segments

from . import selectors
from .forms_money import EffectForm
from .models import Contract
from .settlement import HUNDRED, ZERO, effect_totals
from .views_money import is_region_staff, period_defaults

# ---------------------------------------------------------------- procurement effect


def _pct(current: Decimal, alternative: Decimal) -> Decimal | None:
    if not current:
        return None
    return ((alternative - current) * HUNDRED / current).quantize(Decimal("0.1"))


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
            "computed": True,
        }
