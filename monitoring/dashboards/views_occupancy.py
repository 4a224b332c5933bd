"""The occupancy page of a contract with availability arrangements (under
/regios/<region>/monitoring/contracten/<pk>/bezetting/)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import generic

from contracts.models import Contract
from core.export import records_sheet
from monitoring.dashboards import selectors
from monitoring.dashboards.views import DashboardMixin
from monitoring.steering import facilities
from monitoring.steering.models import Level


class ContractOccupancyView(DashboardMixin, generic.TemplateView):
    """Occupancy per facility of one contract (its availability arrangements), per month, with
    each facility's norm (see ``monitoring.steering.facilities``) and the contract's total."""

    template_name = "monitoring/contract_occupancy.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contract = get_object_or_404(
            Contract.objects.visible_to(request.user)
            .filter(region=self.region)
            .select_related("provider", "segment__parent__parent__parent"),
            pk=kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.contract
        context.update(
            contract=contract,
            title=_("Bezetting per voorziening"),
            red_margin=facilities.FACILITY_RED_MARGIN,
            **selectors.contract_occupancy(contract),
        )
        return context

    def export_sheets(self, context) -> dict:
        """Every facility's months in one sheet (a column names the facility), and the
        contract's total."""

        def level(row):
            value = row["level"] if isinstance(row, dict) else row.level
            return Level(value).label if value else None

        months = [(table.name, m) for table in context["facilities"] for m in table.months]
        return {
            "voorzieningen": records_sheet(
                f"{_('Bezetting per voorziening')} {self.contract.reference}",
                [
                    (_("Voorziening"), lambda row: row[0]),
                    (_("Maand"), lambda row: row[1].month),
                    (_("Plaatsen"), lambda row: row[1].places),
                    (_("Bezette dagen"), lambda row: row[1].occupied_days),
                    (_("Plaatsdagen"), lambda row: row[1].place_days),
                    (_("Bezettingsgraad"), lambda row: row[1].value),
                    (_("Norm"), lambda row: row[1].norm.amber if row[1].norm else None),
                    (_("Oordeel"), lambda row: level(row[1])),
                ],
                months,
            ),
            "totaal": records_sheet(
                f"{_('Bezetting contract totaal')} {self.contract.reference}",
                [
                    (_("Maand"), "month"),
                    (_("Bezette dagen"), "occupied"),
                    (_("Plaatsdagen"), "place_days"),
                    (_("Bezettingsgraad"), "value"),
                    (_("Oordeel"), level),
                ],
                context["totals"],
            ),
        }
