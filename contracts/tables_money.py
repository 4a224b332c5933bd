"""The tariff list as a table (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.ui.formatting import euro, format_date
from segments.codes import Unit

from .models import TariffVersion

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class TariffTable(tables.Table):
    product = tables.Column(
        verbose_name=_("Product"), order_by=("product__code", "contract__reference", "valid_from")
    )
    unit = tables.Column(verbose_name=_("Eenheid"), accessor="product__unit", orderable=False)
    contract = tables.Column(
        verbose_name=_("Contract"), order_by=("contract__reference",), default=""
    )
    valid_from = tables.DateColumn(verbose_name=_("Geldig vanaf"), format="d-m-Y")
    valid_until = tables.DateColumn(
        verbose_name=_("Geldig tot en met"), format="d-m-Y", default=_("doorlopend")
    )
    amount = tables.Column(verbose_name=_("Tarief"), attrs=NUM)
    origin = tables.Column(verbose_name=_("Herkomst"))
    detail = tables.Column(
        verbose_name=_("Details"), accessor="pk", orderable=False, empty_values=()
    )

    class Meta:
        model = TariffVersion
        fields = (
            "product",
            "unit",
            "contract",
            "valid_from",
            "valid_until",
            "amount",
            "origin",
            "detail",
        )
        empty_text = _("Geen tariefversies gevonden.")

    def render_product(self, record):
        return format_html(
            "{} <span class='muted'>{}</span>", record.product.code, record.product.name
        )

    def render_unit(self, value):
        return Unit(value).label if value in Unit.values else value

    def render_contract(self, record):
        if record.contract_id is None:
            return format_html('<span class="badge badge--muted">{}</span>', _("regionaal"))
        return format_html(
            "{} <span class='muted'>{}</span>",
            record.contract.reference,
            record.contract.provider.name,
        )

    def value_contract(self, record):
        return record.contract.reference if record.contract_id else _("regionaal")

    def render_amount(self, value):
        return euro(value)

    def render_detail(self, record):
        url = reverse(
            "contracts:tariff-detail", kwargs={"region": record.region.slug, "pk": record.pk}
        )
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {} {} {}</span></a>',
            url,
            _("Bekijk"),
            record.product.code,
            _("vanaf"),
            format_date(record.valid_from),
        )
