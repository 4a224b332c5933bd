from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from core.admin import ScopedInline, ScopedModelAdmin

from .models import ConsortiumMembership, Provider, Screening, ScreeningKind


class ScreeningInline(ScopedInline):
    model = Screening
    fields = ("kind", "status", "date", "valid_until", "outcome_note")


class MembershipFormSet(BaseInlineFormSet):
    """One lead, nobody twice — checked over the whole set before anything is saved."""

    def clean(self):
        super().clean()
        if not self.instance.is_consortium:
            return
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        leads = [row for row in rows if row.get("is_lead")]
        if rows and len(leads) != 1:
            raise ValidationError(_("Een samenwerkingsverband heeft precies één hoofdaannemer."))
        members = [row["member"].pk for row in rows if row.get("member")]
        if len(members) != len(set(members)):
            raise ValidationError(_("Een aanbieder staat twee keer in het samenwerkingsverband."))


class MembershipInline(ScopedInline):
    model = ConsortiumMembership
    fk_name = "consortium"
    formset = MembershipFormSet
    fields = ("member", "is_lead")
    verbose_name_plural = _("Leden (alleen bij een samenwerkingsverband)")


@admin.register(Provider)
class ProviderAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "kvk_number", "reach", "region")
    list_filter = ("region", "kind", "reach", "identity_bound")
    search_fields = ("name", "kvk_number", "agb_code", "city")
    filter_horizontal = ("care_forms", "municipalities_served")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline, ScreeningInline]


@admin.register(Screening)
class ScreeningAdmin(ScopedModelAdmin):
    list_display = ("provider", "kind", "status", "date", "valid_until")
    list_filter = ("status", "provider__region")
    search_fields = ("provider__name",)
    list_select_related = ("provider", "kind")


@admin.register(ScreeningKind)
class ScreeningKindAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "requirement", "validity_months", "active", "region")
    list_filter = ("region", "requirement", "active")
    search_fields = ("name", "code")
    filter_horizontal = ("segments",)


@admin.register(ConsortiumMembership)
class ConsortiumMembershipAdmin(ScopedModelAdmin):
    list_display = ("consortium", "member", "is_lead")
    list_filter = ("is_lead", "consortium__region")
    search_fields = ("consortium__name", "member__name")
