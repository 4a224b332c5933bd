import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import CareForm, Municipality, Product


class MunicipalityTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Naam"))
    cbs_code = tables.Column(verbose_name=_("CBS-code"))
    provider_count = tables.Column(verbose_name=_("Aanbieders"), orderable=True)

    class Meta:
        model = Municipality
        fields = ("name", "cbs_code", "provider_count")


class CareFormTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Naam"))
    provider_count = tables.Column(verbose_name=_("Aanbieders"))
    product_count = tables.Column(verbose_name=_("Producten"))

    class Meta:
        model = CareForm
        fields = ("code", "name", "provider_count", "product_count")


class ProductTable(tables.Table):
    code = tables.Column(linkify=True)
    care_form = tables.Column(order_by=("care_form__name",))

    class Meta:
        model = Product
        fields = ("code", "name", "care_form", "category", "unit", "support_profile", "intensity")
