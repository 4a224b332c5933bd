"""Admin for contracts, through the same scoping. Events, tariff versions, indexations, budgets
and revisions are history: they change only through the services (the pages), so here they are
read-only; the contract's own fields likewise change by amendment."""

from django.contrib import admin

from core.admin import ScopedModelAdmin

from . import models as m


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Contract)
class ContractAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = (
        "reference",
        "provider",
        "segment",
        "start_date",
        "end_date",
        "final_end_date",
        "is_strategic_partner",
    )
    search_fields = ("reference", "provider__name")
    list_filter = ("is_strategic_partner", "region")


@admin.register(m.ContractEvent)
class ContractEventAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("contract", "kind", "effective_on", "years", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("contract__reference",)


@admin.register(m.TariffVersion)
class TariffVersionAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("product", "contract", "valid_from", "valid_until", "amount", "origin")
    list_filter = ("origin", "region")
    search_fields = ("product__code", "product__name", "contract__reference")


@admin.register(m.TariffIndexation)
class TariffIndexationAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("region", "contract", "percentage", "valid_from", "performed_by")


@admin.register(m.FundingArrangement)
class FundingArrangementAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("contract", "model", "valid_from", "valid_until")
    list_filter = ("model",)
    search_fields = ("contract__reference",)


@admin.register(m.Budget)
class BudgetAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("contract", "year", "kind", "support_profile", "amount")
    list_filter = ("kind", "year")
    search_fields = ("contract__reference",)


@admin.register(m.KpiAgreement)
class KpiAgreementAdmin(ScopedModelAdmin):
    list_display = ("contract", "kpi", "direction", "norm", "amber_threshold", "red_threshold")
    list_filter = ("kpi",)
