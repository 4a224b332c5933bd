import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Contract


class ContractTable(tables.Table):
    reference = tables.Column(linkify=True)
    provider = tables.Column(order_by=("provider__name",))
    segment = tables.Column(order_by=("segment__code",))
    funding = tables.Column(verbose_name=_("Bekostiging"), accessor="pk", orderable=False)
    start_date = tables.DateColumn(format="d-m-Y", verbose_name=_("Ingang"))
    end_date = tables.DateColumn(format="d-m-Y", verbose_name=_("Einde looptijd"))
    final_end_date = tables.DateColumn(format="d-m-Y", verbose_name=_("Einde na alle opties"))
    status = tables.Column(verbose_name=_("Status"), accessor="pk", orderable=False)
    is_strategic_partner = tables.Column(verbose_name=_("Strategisch partner"))

    class Meta:
        model = Contract
        fields = (
            "reference",
            "provider",
            "segment",
            "funding",
            "start_date",
            "end_date",
            "final_end_date",
            "status",
            "is_strategic_partner",
        )

    def render_provider(self, record):
        return record.provider.name

    def render_funding(self, record):
        # ``arrangements`` is prefetched by the list view: no query per row.
        return selectors.funding_label(sorted({a.model for a in record.arrangements.all()})) or "—"

    def render_status(self, record):
        return format_html(
            '<span class="badge badge--contract-{}">{}</span>',
            record.status,
            record.get_status_display(),
        )

    def render_is_strategic_partner(self, value):
        return _("Ja") if value else _("Nee")
