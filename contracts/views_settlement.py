"""A contract's settlement page and its CSV: what is due, paid and held per month and funding
model, for region roles only (a municipal user gets a 404). The figures come from
``contracts.settlement``; the page only reads them."""

from __future__ import annotations

import csv
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from contracts.views_money import COMPONENT_LABELS, CONSENT_FLAGS, is_region_staff
from core.spreadsheet import safe_cell
from core.ui.charts import budget_bars_chart
from core.ui.formatting import month_label
from core.ui.views import RegionMixin

from . import selectors
from .codes import ArrangementModel, BudgetKind
from .forms_money import SettlementForm, last_complete_months
from .models import Contract
from .settlement import ZERO, SettlementError, flag_label


def period_defaults() -> dict:
    year, first, last = last_complete_months()
    return {"year": year, "first_month": first, "last_month": last}


class ContractSettlementView(RegionMixin, generic.TemplateView):
    """What a contract owes for a period: per arrangement the lines that explain it."""

    model = Contract
    template_name = "contracts/settlement.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contract = get_object_or_404(
            Contract.objects.restrict(request.user)
            .filter(region=self.region)
            .select_related("provider", "segment", "region"),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        # Amounts built from every municipality's production: region roles only.
        if request.user.is_authenticated and not is_region_staff(request.user, self.region):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def period_form(self) -> SettlementForm:
        defaults = period_defaults()
        last = self.contract.final_end_date or self.contract.end_date or self.contract.start_date
        years = set(range(self.contract.start_date.year, last.year + 1)) | {defaults["year"]}
        data = self.request.GET if "year" in self.request.GET else defaults
        return SettlementForm(data, years=sorted(years))

    def settle(self, form):
        """(settlement, errors): the settlement, or the list of what is wrong."""
        try:
            settlement, self.by_month = selectors.settlement_for(
                self.contract, form.period(), months=True
            )
            return settlement, []
        except SettlementError as error:
            return None, error.errors

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.period_form()
        context.update(form=form, contract=self.contract)
        context["title"] = _("Afrekening %(contract)s") % {"contract": self.contract.reference}
        if form.is_valid():
            settlement, errors = self.settle(form)
            context["period"] = form.period()
            context["errors"] = errors
            context["settlement"] = settlement
            if settlement is not None:
                context["groups"] = self.groups(settlement)
                context["by_model"] = [
                    (ArrangementModel(model).label, amount)
                    for model, amount in sorted(settlement.by_model().items())
                ]
                context["flags"] = [
                    {
                        "kind": f.kind,
                        "label": flag_label(f.kind),
                        "message": f.message,
                        "consent_url": self.consent_url(f),
                    }
                    for f in settlement.flags
                    if not f.kind.endswith("_consented")
                ]
                context["notes"] = [
                    {"kind": f.kind, "label": flag_label(f.kind), "message": f.message}
                    for f in settlement.flags
                    if f.kind.endswith("_consented")
                ]
                context["csv_query"] = urlencode(form.cleaned_data)
                context.update(self.monthly(form.period()))
        return context

    def monthly(self, period) -> dict:
        """The settlement per month of the year so far against the budget: a chart and the
        same figures as a table."""
        data = getattr(self, "by_month", None) or selectors.settlement_by_month(
            self.contract, period
        )
        if not data["months"]:
            return {}
        running, rows = ZERO, []
        for month, amount in data["months"]:
            running += amount
            share = (
                (running * 100 / data["budget"]).quantize(Decimal("0.1"))
                if data["budget"]
                else None
            )
            rows.append(
                {
                    "month": month_label(month),
                    "amount": amount,
                    "cumulative": running,
                    "share": share,
                }
            )
        title = _("Afgerekend per maand in %(year)s, opgeteld, tegen het budget") % {
            "year": period.end.year
        }
        return {
            "monthly_rows": rows,
            "monthly_budget": data["budget"],
            "monthly_budget_label": BudgetKind(data["budget_kind"]).label
            if data["budget_kind"]
            else "",
            "monthly_title": title,
            "monthly_chart": budget_bars_chart(
                data["months"], title=title, budget=data["budget"], uid="settlement-months"
            ),
        }

    def consent_url(self, flag) -> str:
        """'Instemming vastleggen' for a stacking or switch signal, prefilled with the family,
        products and days (for the contract editors only)."""
        if flag.kind not in CONSENT_FLAGS or not flag.family:
            return ""
        if not hasattr(self, "_can_edit"):
            self._can_edit = self.contract.can_change(self.request.user)
        if not self._can_edit:
            return ""
        # a stacking names both profiles; a switch the profile the family switches to
        codes = flag.product_codes if flag.kind == "stacking" else flag.product_codes[-1:]
        query = {
            "family": flag.family,
            "kind": CONSENT_FLAGS[flag.kind],
            "products": ",".join(codes),
        }
        if flag.start:
            query["valid_from"] = flag.start.isoformat()
        if flag.end:
            query["valid_until"] = flag.end.isoformat()
        url = reverse(
            "contracts:profile-consent-create",
            kwargs={"region": self.region.slug, "pk": self.contract.pk},
        )
        return f"{url}?{urlencode(query)}"

    @staticmethod
    def groups(settlement) -> list[dict]:
        groups: dict[str, dict] = {}
        for line in settlement.lines:
            model = str(ArrangementModel(line.model).label)
            group = groups.setdefault(
                line.arrangement,
                {
                    "name": line.arrangement,
                    # The model next to a named arrangement ('Crisisbedden (Beschikbaarheid)').
                    "model": model if model != line.arrangement else "",
                    "lines": [],
                    "total": ZERO,
                },
            )
            group["lines"].append(line)
            group["total"] += line.amount
        return list(groups.values())


def _csv_number(value) -> str:
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _csv_money(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}".replace(".", ",")


class ContractSettlementCsvView(ContractSettlementView):
    """The settlement's lines as CSV for a spreadsheet: semicolons, decimal commas."""

    def get(self, request, *args, **kwargs):
        form = self.period_form()
        settlement = None
        if form.is_valid():
            settlement, _errors = self.settle(form)
        if settlement is None:
            url = reverse(
                "contracts:contract-settlement",
                kwargs={"region": self.region.slug, "pk": self.contract.pk},
            )
            query = request.GET.urlencode()
            return HttpResponseRedirect(f"{url}?{query}" if query else url)
        period = settlement.period
        filename = (
            f"afrekening-{self.contract.reference}-{period.start:%Y-%m}-{period.end:%Y-%m}.csv"
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("contract"),
                _("periode"),
                _("bekostigingsafspraak"),
                _("bekostigingsvorm"),
                _("onderdeel"),
                _("productcode"),
                _("profiel"),
                _("aantal"),
                _("prijs"),
                _("bedrag"),
                _("toelichting"),
            ]
        )
        for line in settlement.lines:
            # texts (names and codes a user typed) are neutralised against formulas; the
            # numbers are formatted here and stay numbers, a negative amount too
            texts = [
                self.contract.reference,
                period.label(),
                line.arrangement,
                ArrangementModel(line.model).label,
                COMPONENT_LABELS.get(line.component, line.component),
                line.product_code,
                line.profile or "",
            ]
            writer.writerow(
                [
                    *(safe_cell(str(text)) for text in texts),
                    _csv_number(line.quantity),
                    _csv_money(line.unit_price) if line.unit_price is not None else "",
                    _csv_money(line.amount),
                    safe_cell(str(line.description)),
                ]
            )
        return response
