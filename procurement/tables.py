import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Framework, Strategy, Tender


class FrameworkTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Framework
        fields = ("title", "period", "status", "consultation_started_on", "adopted_on")


class StrategyTable(tables.Table):
    title = tables.Column(linkify=True)
    term = tables.Column(verbose_name=_("Looptijd"), accessor="term_label", orderable=False)
    funding = tables.Column(
        verbose_name=_("Bekostiging"), accessor="funding_models", orderable=False
    )

    class Meta:
        model = Strategy
        fields = ("title", "segment", "procedure_type", "funding", "term", "max_providers")

    def render_funding(self, record):
        return ", ".join(record.funding_model_labels())


class TenderTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    lot_count = tables.Column(verbose_name=_("Percelen"))
    submission_count = tables.Column(verbose_name=_("Lopende inschrijvingen"))

    class Meta:
        model = Tender
        fields = (
            "reference",
            "title",
            "procedure_type",
            "state",
            "submission_deadline",
            "lot_count",
            "submission_count",
        )

    def render_state(self, record):
        return format_html(
            '<span class="badge badge--state-{}">{}</span>',
            record.state,
            record.get_state_display(),
        )


class ThemeTable(tables.Table):
    name = tables.Column(linkify=True)
    n_views = tables.Column(verbose_name=_("Zienswijzen"))
    n_consultations = tables.Column(verbose_name=_("Consultaties"))

    class Meta:
        from .models import Theme

        model = Theme
        fields = ("name", "description", "n_views", "n_consultations")
