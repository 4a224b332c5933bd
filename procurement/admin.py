"""Admin for procurement, through the same scoping. Procedure phases, submissions, scores and
decisions change only through the services (the pages), so here they are read-only."""

from django.contrib import admin

from core.admin import ScopedInline, ScopedModelAdmin

from . import models as m


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MunicipalViewInline(ScopedInline):
    model = m.MunicipalView
    fields = ("municipality", "received_on", "view", "response", "responded_on")


@admin.register(m.Framework)
class FrameworkAdmin(ScopedModelAdmin):
    list_display = ("title", "region", "status", "adopted_on")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = [MunicipalViewInline]


@admin.register(m.Strategy)
class StrategyAdmin(ScopedModelAdmin):
    list_display = ("title", "region", "segment", "procedure_type", "max_providers")
    list_filter = ("procedure_type",)
    search_fields = ("title",)


class LotInline(ReadOnlyMixin, ScopedInline):
    model = m.Lot
    fields = ("number", "segment", "title")


class EventInline(ReadOnlyMixin, ScopedInline):
    model = m.TenderEvent
    fields = ("at", "transition", "from_state", "to_state", "actor", "reason")


@admin.register(m.Tender)
class TenderAdmin(ScopedModelAdmin):
    list_display = ("reference", "title", "region", "procedure_type", "state")
    list_filter = ("procedure_type", "state")
    search_fields = ("reference", "title", "tenderned_reference")
    readonly_fields = ("state", "objection_started_on", "closing_reason")
    inlines = [LotInline, EventInline]


@admin.register(m.Submission)
class SubmissionAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = ("tender", "number", "provider", "eligible", "rank", "outcome")
    list_filter = ("outcome",)
    search_fields = ("provider__name", "tender__reference")
