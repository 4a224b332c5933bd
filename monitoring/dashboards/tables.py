"""Tables of the drill-down list: the production lines a dashboard figure is made of.

A client shows as the first 8 characters of the pseudonym only: enough to see that two lines are
the same youth, never the whole key."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.ui.formatting import euro, format_number
from monitoring.imports.models import (
    Allocation,
    DatasetKind,
    Declaration,
    Occupancy,
    OutcomeMeasurement,
    Referral,
    Trajectory,
)

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
CLIENT_CHARS = 8


def client_label(value: str) -> str:
    return f"{value[:CLIENT_CHARS]}…" if value else ""


class LineTable(tables.Table):
    reference = tables.Column(verbose_name=_("Referentie"))
    contract = tables.Column(verbose_name=_("Contract"), order_by=("contract__reference",))
    provider = tables.Column(
        verbose_name=_("Aanbieder"),
        accessor="contract__provider__name",
        order_by=("contract__provider__name",),
    )

    class Meta:
        attrs = {"class": "data-table data-table--compact lines-table"}
        empty_text = _("Geen regels gevonden.")
        per_page = 50

    def render_contract(self, record):
        return record.contract.reference


class ClientLineTable(LineTable):
    municipality = tables.Column(verbose_name=_("Gemeente"), order_by=("municipality__name",))
    client_key = tables.Column(verbose_name=_("Cliënt (pseudoniem)"), orderable=False)

    def render_municipality(self, record):
        return record.municipality.name

    def render_client_key(self, value):
        return client_label(value)


class ProductLineTable(ClientLineTable):
    product = tables.Column(verbose_name=_("Product"), order_by=("product__code",))

    def render_product(self, record):
        return record.product.code


class DeclarationLineTable(ProductLineTable):
    month = tables.DateColumn(verbose_name=_("Maand"), format="m-Y")
    quantity = tables.Column(verbose_name=_("Aantal"), attrs=NUM)
    unit = tables.Column(verbose_name=_("Eenheid"))
    amount = tables.Column(verbose_name=_("Bedrag"), attrs=NUM)

    class Meta(LineTable.Meta):
        model = Declaration
        fields = (
            "reference",
            "month",
            "contract",
            "provider",
            "municipality",
            "client_key",
            "product",
            "quantity",
            "unit",
            "amount",
        )

    def render_quantity(self, value):
        return format_number(value, 2)

    def render_amount(self, value):
        return euro(value)


class TrajectoryLineTable(ProductLineTable):
    started_on = tables.DateColumn(verbose_name=_("Start"), format="d-m-Y")
    ended_on = tables.DateColumn(verbose_name=_("Einde"), format="d-m-Y", default="—")
    end_reason = tables.Column(verbose_name=_("Reden einde"), default="—")

    class Meta(LineTable.Meta):
        model = Trajectory
        fields = (
            "reference",
            "started_on",
            "ended_on",
            "end_reason",
            "contract",
            "provider",
            "municipality",
            "client_key",
            "product",
        )


class AllocationLineTable(ProductLineTable):
    start = tables.DateColumn(verbose_name=_("Ingang"), format="d-m-Y")
    end = tables.DateColumn(verbose_name=_("Einde"), format="d-m-Y", default="—")

    class Meta(LineTable.Meta):
        model = Allocation
        fields = (
            "reference",
            "start",
            "end",
            "contract",
            "provider",
            "municipality",
            "client_key",
            "product",
        )


class ReferralLineTable(ClientLineTable):
    referred_on = tables.DateColumn(verbose_name=_("Verwezen op"), format="d-m-Y")
    referrer = tables.Column(verbose_name=_("Verwijzer"))

    class Meta(LineTable.Meta):
        model = Referral
        fields = (
            "reference",
            "referred_on",
            "referrer",
            "contract",
            "provider",
            "municipality",
            "client_key",
        )


class OutcomeLineTable(ClientLineTable):
    moment = tables.Column(verbose_name=_("Meetmoment"))
    measured_on = tables.DateColumn(verbose_name=_("Gemeten op"), format="d-m-Y")
    goal_realisation = tables.Column(verbose_name=_("Doelrealisatie"), attrs=NUM, default="—")
    client_experience = tables.Column(verbose_name=_("Cliëntervaring"), attrs=NUM, default="—")
    measurement_kind = tables.Column(verbose_name=_("Eigen meting"), default="—")
    measurement_value = tables.Column(verbose_name=_("Waarde"), attrs=NUM, default="—")

    class Meta(LineTable.Meta):
        model = OutcomeMeasurement
        fields = (
            "reference",
            "measured_on",
            "moment",
            "goal_realisation",
            "client_experience",
            "measurement_kind",
            "measurement_value",
            "contract",
            "provider",
            "municipality",
            "client_key",
        )

    def render_goal_realisation(self, value):
        return f"{format_number(value, 1)}%"

    def render_client_experience(self, value):
        return format_number(value, 1)

    def value_measurement_value(self, value, record):
        if record.measurement_kind is not None and record.measurement_kind.value_type == "yes_no":
            return _("ja") if value else _("nee")
        return value

    def render_measurement_value(self, value, record):
        if record.measurement_kind is not None and record.measurement_kind.value_type == "yes_no":
            return _("ja") if value else _("nee")
        return format_number(value, 2)


class OccupancyLineTable(LineTable):
    month = tables.DateColumn(verbose_name=_("Maand"), format="m-Y")
    places = tables.Column(verbose_name=_("Plaatsen"), attrs=NUM)
    occupied_days = tables.Column(verbose_name=_("Bezette dagen"), attrs=NUM)

    class Meta(LineTable.Meta):
        model = Occupancy
        fields = ("reference", "month", "contract", "provider", "places", "occupied_days")

    def render_occupied_days(self, value):
        return format_number(value, 1)


TABLES = {
    DatasetKind.DECLARATIONS: DeclarationLineTable,
    DatasetKind.TRAJECTORIES: TrajectoryLineTable,
    DatasetKind.ALLOCATIONS: AllocationLineTable,
    DatasetKind.REFERRALS: ReferralLineTable,
    DatasetKind.OUTCOMES: OutcomeLineTable,
    DatasetKind.OCCUPANCY: OccupancyLineTable,
}
