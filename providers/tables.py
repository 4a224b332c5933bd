import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Provider, ScreeningKind


class ProviderTable(tables.Table):
    name = tables.Column(linkify=True)
    care_form_count = tables.Column(verbose_name=_("Jeugdhulpvormen"))
    is_admissible = tables.Column(verbose_name=_("Toelaatbaar"))

    class Meta:
        model = Provider
        fields = ("name", "kind", "kvk_number", "reach", "city", "care_form_count", "is_admissible")
        # the verdict next to the name: at 1366 px it stays in view, the secondary columns
        # (reach, KvK number) scroll (docs/architecture.md, the page frame)
        sequence = (
            "name",
            "is_admissible",
            "kind",
            "city",
            "care_form_count",
            "reach",
            "kvk_number",
        )

    def render_is_admissible(self, value):
        if value:
            return format_html('<span class="badge badge--ok">{}</span>', _("Ja"))
        return format_html('<span class="badge badge--warn">{}</span>', _("Nee"))


class ScreeningKindTable(tables.Table):
    name = tables.Column(linkify=True)
    requirement = tables.Column(verbose_name=_("Vereist voor toelating"))
    validity_months = tables.Column(verbose_name=_("Geldig (maanden)"), default="—")
    screening_count = tables.Column(verbose_name=_("Screenings"))
    provider_count = tables.Column(verbose_name=_("Aanbieders met een screening"))
    active = tables.Column(verbose_name=_("In gebruik"))

    class Meta:
        model = ScreeningKind
        fields = (
            "name",
            "code",
            "requirement",
            "validity_months",
            "screening_count",
            "provider_count",
            "active",
        )

    def render_requirement(self, record, value):
        if record.requirement == "segments":
            codes = ", ".join(s.code for s in record.segments.all())
            return f"{value}: {codes}"
        return value

    def render_active(self, value):
        if value:
            return format_html('<span class="badge badge--ok">{}</span>', _("Ja"))
        return format_html('<span class="badge badge--muted">{}</span>', _("Niet meer in gebruik"))
