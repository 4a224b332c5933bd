from django.contrib import admin

from core.admin import ScopedModelAdmin

from .models import Contract


@admin.register(Contract)
class ContractAdmin(ScopedModelAdmin):
    list_display = ("reference", "provider", "segment", "start_date", "is_strategic_partner")
    search_fields = ("reference", "provider__name")
    list_filter = ("is_strategic_partner",)
