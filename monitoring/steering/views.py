"""Steering pages of monitoring: signals, escalation steps, performance dialogues, segment norms,
risk weights and provider finance.

These pages are about providers and are built from the production of every municipality, so
they are for region roles only: a municipal user gets a 403 (as on the procurement-effect page).
Objects outside the user's scope are a 404. Region roles read; the contract editors
(procurement officer, contract manager) change, always through a service or a form that checks
the rules; anyone else's POST is a 403. A refusal shows the service's reason next to the field.

A page with several forms posts a ``form`` field naming the one that was sent; after a change
the page redirects to itself (post/redirect/get) with a message.
"""

from __future__ import annotations

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import generic

from contracts.models import CONTRACT_EDITORS
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.forms import add_service_errors
from core.ui.views import RegionMixin, ScopedListView
from monitoring.kpis.definitions import format_figure
from monitoring.steering import alerts, dialogues
from monitoring.steering.forms import (
    SignalBulkForm,
    SignalCloseForm,
    SignalFilterSet,
)
from monitoring.steering.models import (
    Level,
    Signal,
    SignalSource,
    SignalStatus,
)
from providers.models import Provider

REGION_ONLY = gettext_lazy(
    "Deze pagina gaat over aanbieders en rekent met de gegevens van alle gemeenten; ze is "
    "alleen voor medewerkers van de regio."
)
NO_EDIT_ROLE = gettext_lazy("U hebt in deze regio geen rol waarmee u dit mag wijzigen.")


def optional_url(name: str, *args) -> str | None:
    """A URL of another part of monitoring (e.g. the dashboards), or ``None`` if it is not
    there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def provider_dashboard_url(region, provider_id) -> str:
    """The provider's dashboard; its signals page when there is no dashboard."""
    return optional_url("monitoring:provider", region.slug, provider_id) or reverse(
        "monitoring:provider-signals", args=[region.slug, provider_id]
    )


def light(level) -> dict | None:
    """A traffic light for templates: level, its text and a CSS modifier (never colour only)."""
    if not level:
        return None
    return {"level": level, "label": Level(level).label}


# ---------------------------------------------------------------- mixins


class SteeringMixin(RegionMixin):
    """Region roles only (municipal users: 403); changes for the contract editors."""

    model = Signal
    editors_only = False  # also GET needs an editing role (a page that only changes)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not scope_for(request.user).has_role(self.region.pk, ALL_REGION_ROLES):
                raise PermissionDenied(REGION_ONLY)
            self.load(**kwargs)
            if (request.method == "POST" or self.editors_only) and not self.user_can_edit():
                raise PermissionDenied(NO_EDIT_ROLE)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch the objects of the URL (after the role check, so a municipal user gets 403)."""

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, CONTRACT_EDITORS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["monitoring_url"] = optional_url("monitoring:region", self.region.slug) or reverse(
            "monitoring:signals", args=[self.region.slug]
        )
        return context


class ProviderMixin(SteeringMixin):
    """A steering page of one provider of the region; ``self.provider`` from the URL."""

    tab = ""

    def load(self, **kwargs):
        self.provider = get_object_or_404(
            Provider.objects.visible_to(self.request.user).filter(region=self.region),
            pk=kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provider"] = self.provider
        context["provider_tabs"] = provider_tabs(self.region, self.provider, self.tab)
        context["dashboard_url"] = provider_dashboard_url(self.region, self.provider.pk)
        return context


def provider_tabs(region, provider, current: str) -> list[dict]:
    args = (region.slug, provider.pk)
    tabs = []
    dashboard = optional_url("monitoring:provider", *args)
    if dashboard:
        tabs.append({"key": "dashboard", "label": _("Dashboard"), "url": dashboard})
    tabs += [
        {
            "key": "signals",
            "label": _("Signalen"),
            "url": reverse("monitoring:provider-signals", args=args),
        },
        {
            "key": "escalation",
            "label": _("Escalatie"),
            "url": reverse("monitoring:provider-escalations", args=args),
        },
        {
            "key": "dialogues",
            "label": _("Prestatiedialogen"),
            "url": reverse("monitoring:provider-dialogues", args=args),
        },
        {
            "key": "finance",
            "label": _("Financiën"),
            "url": reverse("monitoring:provider-finance", args=args),
        },
    ]
    for tab in tabs:
        tab["current"] = tab["key"] == current
    return tabs


class FormsPage(generic.TemplateView):
    """A page with forms for editors; ``handle_<name>(form)`` acts and returns the message."""

    form_classes: dict = {}

    def form_kwargs(self, name: str) -> dict:
        return {}

    def initial(self, name: str) -> dict:
        return {}

    def make_form(self, name: str, data=None):
        return self.form_classes[name](
            data=data, initial=self.initial(name), prefix=name, **self.form_kwargs(name)
        )

    def available_forms(self) -> list[str]:
        return list(self.form_classes)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = {}
        if self.user_can_edit():
            forms = {name: self.make_form(name) for name in self.available_forms()}
            forms.update(bound or {})
        context["forms"] = forms
        return context

    def post(self, request, *args, **kwargs):
        name = request.POST.get("form", "")
        if name not in self.available_forms():
            return HttpResponseBadRequest(_("Onbekend formulier."))
        form = self.make_form(name, data=request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    message = getattr(self, f"handle_{name}")(form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.success_url(name))
        return self.render_to_response(self.get_context_data(bound={name: form}, **kwargs))

    def success_url(self, name: str) -> str:
        return self.request.path


# ---------------------------------------------------------------- signals


class SignalTable(tables.Table):
    #: a checkbox per signal for the bulk action (editors only; never in a download)
    select = tables.TemplateColumn(
        template_name="monitoring/signals_select_cell.html",
        verbose_name=gettext_lazy("Kiezen"),
        orderable=False,
        exclude_from_export=True,
        attrs={"th": {"class": "select-col"}, "td": {"class": "select-col"}},
    )
    period = tables.Column(verbose_name=gettext_lazy("Periode"))
    provider = tables.Column(verbose_name=gettext_lazy("Aanbieder"), order_by=("provider__name",))
    contract = tables.Column(
        verbose_name=gettext_lazy("Contract"), order_by=("contract__reference",), default="—"
    )
    topic = tables.Column(verbose_name=gettext_lazy("Onderwerp"))
    level = tables.TemplateColumn(
        template_name="monitoring/signals_level_cell.html", verbose_name=gettext_lazy("Niveau")
    )
    value = tables.Column(verbose_name=gettext_lazy("Waarde"), attrs={"td": {"class": "num"}})
    norm = tables.Column(
        verbose_name=gettext_lazy("Norm"), attrs={"td": {"class": "num"}}, default="—"
    )
    status = tables.Column(verbose_name=gettext_lazy("Status"))

    class Meta:
        model = Signal
        fields = ("period", "provider", "contract", "topic", "level", "value", "norm", "status")
        sequence = ("select", "...")
        attrs = {"class": "data-table signals-table"}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        if "select" in self.columns.names():
            # a narrow column: its header is for screen readers (the bar above has the label)
            self.columns["select"].column.verbose_name = format_html(
                '<span class="visually-hidden">{}</span>', _("Kiezen")
            )

    def render_period(self, record):
        if record.source == SignalSource.FINANCE:
            return str(record.period.year)
        return record.period.strftime("%m-%Y")

    def render_provider(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            provider_dashboard_url(self.region, record.provider_id),
            record.provider.name,
        )

    def render_contract(self, record):
        return record.contract.reference

    def render_topic(self, record):
        return dialogues.topic_label(record.topic)

    def render_value(self, record):
        return format_figure(record.topic, record.value)

    def render_norm(self, record):
        return format_figure(record.topic, record.norm)

    def render_status(self, record):
        return record.get_status_display()


class SignalListView(SteeringMixin, ScopedListView):
    """All signals of the region, filtered on provider, level, status, source and topic."""

    model = Signal
    table_class = SignalTable
    filterset_class = SignalFilterSet
    template_name = "monitoring/signals.html"
    title = gettext_lazy("Signalen")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("provider", "contract")
            .order_by("-period", "provider__name", "topic", "pk")
        )

    def get_table_kwargs(self):
        return {"region": self.region, "exclude": () if self.user_can_edit() else ("select",)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_handle"] = self.user_can_edit()
        counts = dict(
            Signal.objects.filter(region=self.region)
            .exclude(status=SignalStatus.CLOSED)
            .values_list("level")
            .annotate(n=Count("pk"))
        )
        context["open_red"] = counts.get(Level.RED, 0)
        context["open_amber"] = counts.get(Level.AMBER, 0)
        return context


class SignalBulkView(SteeringMixin, generic.TemplateView):
    """Handle several signals at once: the signals chosen on the list (``?signalen=…``), the
    action and its note, confirmed here; one ``signal_close`` per signal in one transaction
    (``dialogues.signals_close``): one refusal names its signal and saves nothing."""

    template_name = "monitoring/signals_bulk.html"
    editors_only = True
    title = gettext_lazy("Signalen in één keer afhandelen")

    def chosen(self, data) -> list[Signal]:
        ids = []
        for raw in data.getlist("signalen"):
            if raw.isdigit():
                ids.append(int(raw))
        return list(
            Signal.objects.editable_by(self.request.user)
            .filter(region=self.region, pk__in=ids)
            .select_related("provider", "contract")
            .order_by("provider__name", "-period", "topic", "pk")
        )

    def make_form(self, signals, data=None):
        return SignalBulkForm(
            data=data,
            initial={"signals": [s.pk for s in signals]},
            signal_ids=[s.pk for s in signals],
        )

    def get_context_data(self, form=None, signals=None, **kwargs):
        context = super().get_context_data(**kwargs)
        signals = self.chosen(self.request.GET) if signals is None else signals
        context.update(
            title=self.title,
            signals=[(s, dialogues.signal_title(s)) for s in signals],
            form=form or self.make_form(signals),
            list_url=reverse("monitoring:signals", args=[self.region.slug]),
        )
        return context

    def post(self, request, *args, **kwargs):
        signals = self.chosen(request.POST)
        data = request.POST.copy()
        data.setlist("signals", [str(s.pk) for s in signals])
        form = self.make_form(signals, data=data)
        if form.is_valid():
            try:
                closed = dialogues.signals_close(
                    signals=signals, user=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s signaal is afgehandeld.",
                        "%(n)s signalen zijn afgehandeld.",
                        len(closed),
                    )
                    % {"n": len(closed)},
                )
                return redirect("monitoring:signals", region=self.region.slug)
        return self.render_to_response(self.get_context_data(form=form, signals=signals))


class ProviderSignalsView(ProviderMixin, FormsPage):
    """The provider's signals, its risk score with the parts it is made of, and handling."""

    template_name = "monitoring/signals_provider.html"
    tab = "signals"
    form_classes = {"close": SignalCloseForm}

    def signals(self):
        return Signal.objects.visible_to(self.request.user).filter(provider=self.provider)

    def make_form(self, name, data=None):
        return SignalCloseForm(data=data, prefix="close")

    def handle_close(self, form):
        signal = get_object_or_404(
            Signal.objects.editable_by(self.request.user).filter(provider=self.provider),
            pk=form.cleaned_data["signal"],
        )
        dialogues.signal_close(
            signal=signal, user=self.request.user, note=form.cleaned_data["note"]
        )
        return _("Het signaal '%(s)s' is afgehandeld.") % {"s": dialogues.signal_title(signal)}

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(bound=bound, **kwargs)
        active = dialogues.active_signals(self.provider)
        closed = list(
            self.signals()
            .filter(status=SignalStatus.CLOSED)
            .select_related("contract")
            .order_by("-updated_at", "-pk")[:50]
        )
        notes = dialogues.closing_notes(closed)
        failed = (bound or {}).get("close")
        failed_id = failed.data.get("close-signal") if failed is not None else None
        rows = []
        for s in active:
            form = failed if failed is not None and str(s.pk) == str(failed_id) else None
            if form is None and context["forms"]:
                form = SignalCloseForm(prefix="close", initial={"signal": s.pk})
            rows.append({**shown(s), "form": form})
        context.update(
            active=rows,
            closed=[{**shown(s), "closing": notes.get(s.pk)} for s in closed],
            risk=risk_of(self.region, self.provider),
        )
        return context


def shown(signal) -> dict:
    """A signal with its title and its figures in their units."""
    return {
        "signal": signal,
        "title": dialogues.signal_title(signal),
        "value": format_figure(signal.topic, signal.value),
        "norm": format_figure(signal.topic, signal.norm),
    }


def risk_of(region, provider) -> dict | None:
    """The provider's risk score with its parts, labelled for display."""
    score = alerts.risk_scores(region.pk).get(provider.pk)
    if score is None:
        return None
    parts = [
        {
            "topic": dialogues.topic_label(p.topic),
            "weight": p.weight,
            "amber": p.amber,
            "red": p.red,
            "points": p.points,
        }
        for p in score.parts
    ]
    return {"score": score.score, "light": light(score.level), "parts": parts}


# ---------------------------------------------------------------- escalation
