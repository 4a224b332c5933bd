import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Provider


class ProviderTable(tables.Table):
    name = tables.Column(linkify=True)
    care_form_count = tables.Column(verbose_name=_("Jeugdhulpvormen"))
    is_admissible = tables.Column(verbose_name=_("Toelaatbaar"))

    class Meta:
        model = Provider
        fields = ("name", "kind", "kvk_number", "reach", "city", "care_form_count", "is_admissible")

    def render_is_admissible(self, value):
        if value:
            return format_html('<span class="badge badge--ok">{}</span>', _("Ja"))
        return format_html('<span class="badge badge--warn">{}</span>', _("Nee"))
