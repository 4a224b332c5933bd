from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import MunicipalityMembership, RegionMembership, User


class RegionMembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0


class MunicipalityMembershipInline(admin.TabularInline):
    model = MunicipalityMembership
    extra = 0
    autocomplete_fields = ()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RegionMembershipInline, MunicipalityMembershipInline]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
