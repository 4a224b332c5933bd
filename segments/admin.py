from django.contrib import admin

from core.admin import ScopedInline, ScopedModelAdmin

from .models import CareForm, Municipality, Participation, Product, Region, Segment, SupportProfile


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    list_display = ("name", "slug", "contracting_authority")
    search_fields = ("name", "contracting_authority")
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Municipality)
class MunicipalityAdmin(ScopedModelAdmin):
    list_display = ("name", "cbs_code", "region")
    list_filter = ("region",)
    search_fields = ("name", "cbs_code")


class ParticipationInline(ScopedInline):
    model = Participation
    fields = ("municipality", "level", "note")


@admin.register(Segment)
class SegmentAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "region", "parent", "bought_regionally")
    list_filter = ("region", "bought_regionally")
    search_fields = ("code", "name", "description")
    filter_horizontal = ("care_forms",)
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(ScopedModelAdmin):
    list_display = ("municipality", "segment", "level")
    list_filter = ("level", "municipality__region")
    search_fields = ("municipality__name", "segment__name", "note")


@admin.register(CareForm)
class CareFormAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(SupportProfile)
class SupportProfileAdmin(ScopedModelAdmin):
    list_display = ("number", "name", "region")
    list_filter = ("region",)


@admin.register(Product)
class ProductAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "care_form", "category", "unit", "region")
    list_filter = ("region", "category", "unit")
    search_fields = ("code", "name")
    list_select_related = ("care_form", "region")
