"""The table of the report archive."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Report, ReportStatus
from .periods import parse_period

#: a status badge's CSS modifier (the text always says the status too)
STATUS_CLASS = {
    ReportStatus.QUEUED: "badge--warn",
    ReportStatus.RUNNING: "badge--warn",
    ReportStatus.READY: "badge--ok",
    ReportStatus.FAILED: "badge--failed",
}


def period_label(report) -> str:
    """'oktober 2026' for a report's period code (the code itself if it cannot be read)."""
    try:
        return parse_period(report.cadence, report.period).label
    except ValueError:
        return report.period


def status_badge(status: str, label: str) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASS.get(status, ""), label)


class ReportTable(tables.Table):
    kind = tables.Column(verbose_name=_("Soort"))
    subject_name = tables.Column(verbose_name=_("Onderwerp"))
    period = tables.Column(verbose_name=_("Periode"), order_by=("period_start",))
    status = tables.Column(verbose_name=_("Status"))
    generated_at = tables.Column(
        verbose_name=_("Gemaakt op"),
        accessor="current__generated_at",
        order_by=("current__generated_at",),
        default="—",
    )
    version = tables.Column(
        verbose_name=_("Versie"),
        accessor="current__number",
        order_by=("current__number",),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
        default="—",
    )
    links = tables.Column(
        verbose_name=_("Downloaden"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "row-actions"}},
        exclude_from_export=True,
    )

    class Meta:
        model = Report
        fields = ("kind", "subject_name", "period", "status", "generated_at", "version", "links")
        attrs = {"class": "data-table reports-table"}
        empty_text = _("Geen rapportages gevonden.")
        order_by = ("-period",)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def _url(self, name, record):
        return reverse(f"reports:{name}", kwargs={"region": self.region.slug, "pk": record.pk})

    def render_kind(self, record):
        return record.get_kind_display()

    def render_subject_name(self, record):
        return format_html(
            '<a href="{}">{}</a>', self._url("report-detail", record), record.subject_name
        )

    def render_period(self, record):
        return period_label(record)

    def render_status(self, record):
        return status_badge(record.status, record.get_status_display())

    def render_generated_at(self, value):
        from django.utils import timezone
        from django.utils.formats import date_format

        return date_format(timezone.localtime(value), "d-m-Y H:i")

    def render_links(self, record):
        if record.current_id is None:
            return format_html('<span class="muted">{}</span>', _("nog geen"))
        what = f"{record.subject_name} {record.period}"
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a> '
            '<a href="{}" download>{}<span class="visually-hidden"> {}</span></a>',
            self._url("report-html", record),
            _("Bekijken"),
            what,
            self._url("report-pdf", record),
            _("PDF"),
            what,
        )


# header cells say what they head (WCAG 1.3.1)
for _column in ReportTable.base_columns.values():
    _column.attrs = {**_column.attrs, "th": {**_column.attrs.get("th", {}), "scope": "col"}}
