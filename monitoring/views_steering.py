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
from auditlog.registry import auditlog
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from contracts.codes import Direction, Kpi
from contracts.models import CONTRACT_EDITORS, KpiAgreement
from contracts.views import add_service_errors
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from providers import finance
from providers.models import AnnualAccount, Provider
from segments.models import Segment
from segments.viewmixins import RegionMixin, ScopedListView

from . import alerts, dialogues, services
from .forms_steering import (
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AnnualAccountForm,
    DialogueCreateForm,
    DialogueRecordForm,
    EscalationCloseForm,
    EscalationStartForm,
    KpiNormForm,
    NormDeleteForm,
    RiskWeightsForm,
    SignalCloseForm,
    SignalFilterSet,
)
from .models import (
    ESCALATION_ORDER,
    ActionStatus,
    DialogueAction,
    DialogueStatus,
    Escalation,
    EscalationStep,
    KpiNorm,
    Level,
    PerformanceDialogue,
    RiskWeight,
    Signal,
    SignalSource,
    SignalStatus,
)
from .norms import segment_norms

REGION_ONLY = gettext_lazy(
    "Deze pagina gaat over aanbieders en rekent met de gegevens van alle gemeenten; ze is "
    "alleen voor medewerkers van de regio."
)
NO_EDIT_ROLE = gettext_lazy("U hebt in deze regio geen rol waarmee u dit mag wijzigen.")


def _d(day) -> str:
    return day.strftime("%d-%m-%Y") if day else "—"


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
        attrs = {"class": "data-table signals-table"}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

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
        return dialogues.format_value(record.topic, record.value)

    def render_norm(self, record):
        return dialogues.format_value(record.topic, record.norm)

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
        return {"region": self.region}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Signal.objects.filter(region=self.region)
            .exclude(status=SignalStatus.CLOSED)
            .values_list("level")
            .annotate(n=Count("pk"))
        )
        context["open_red"] = counts.get(Level.RED, 0)
        context["open_amber"] = counts.get(Level.AMBER, 0)
        return context


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
        "value": dialogues.format_value(signal.topic, signal.value),
        "norm": dialogues.format_value(signal.topic, signal.norm),
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


class ProviderEscalationView(ProviderMixin, FormsPage):
    """The escalation steps taken with a provider, the current one, and the next step."""

    model = Escalation
    template_name = "monitoring/escalation.html"
    tab = "escalation"
    form_classes = {"start": EscalationStartForm, "close": EscalationCloseForm}

    def load(self, **kwargs):
        super().load(**kwargs)
        self.current = services.escalation_current(self.provider)

    def available_forms(self):
        return ["start", "close"] if self.current else ["start"]

    def initial(self, name):
        today = timezone.localdate()
        if name == "start":
            return {"step": next_step(self.current), "started_on": today}
        return {"closed_on": today}

    def handle_start(self, form):
        d = form.cleaned_data
        step = services.escalation_start(
            provider=self.provider,
            step=d["step"],
            started_on=d["started_on"],
            reason=d["reason"],
            user=self.request.user,
            region=self.region,
        )
        return _("De stap '%(step)s' is gestart per %(day)s.") % {
            "step": step.get_step_display(),
            "day": _d(step.started_on),
        }

    def handle_close(self, form):
        d = form.cleaned_data
        step = services.escalation_close(
            escalation=self.current,
            closed_on=d["closed_on"],
            outcome=d["outcome"],
            user=self.request.user,
        )
        return _("De stap '%(step)s' is afgesloten per %(day)s.") % {
            "step": step.get_step_display(),
            "day": _d(step.closed_on),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        history = list(
            Escalation.objects.visible_to(self.request.user)
            .filter(provider=self.provider)
            .select_related("recorded_by")
        )
        reached = {e.step for e in history}
        current_step = self.current.step if self.current else None
        context.update(
            history=history,
            current=self.current,
            framework=[
                {
                    "step": value,
                    "label": label,
                    "number": number,
                    "reached": value in reached,
                    "current": value == current_step,
                }
                for number, (value, label) in enumerate(EscalationStep.choices, start=1)
            ],
            open_signals=Signal.objects.filter(
                provider=self.provider, status__in=dialogues.ACTIVE_SIGNAL
            ).count(),
            risk=risk_of(self.region, self.provider),
        )
        return context


def next_step(current: Escalation | None) -> str:
    """The step after the current one (the first without one; the last stays the last)."""
    if current is None:
        return ESCALATION_ORDER[0]
    index = ESCALATION_ORDER.index(current.step)
    return ESCALATION_ORDER[min(index + 1, len(ESCALATION_ORDER) - 1)]


# ---------------------------------------------------------------- dialogues


def with_action_counts(queryset, today):
    return queryset.annotate(
        open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True),
        overdue_actions=Count(
            "actions",
            filter=Q(actions__status=ActionStatus.OPEN, actions__due_on__lt=today),
            distinct=True,
        ),
    )


class DialogueListView(SteeringMixin, generic.TemplateView):
    """All dialogues of the region: upcoming first, then the earlier ones, newest first."""

    model = PerformanceDialogue
    template_name = "monitoring/dialogue_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        dialogues_qs = with_action_counts(
            PerformanceDialogue.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .select_related("provider"),
            today,
        )
        upcoming = dialogues_qs.filter(status=DialogueStatus.PLANNED, scheduled_on__gte=today)
        earlier = dialogues_qs.exclude(
            status=DialogueStatus.PLANNED, scheduled_on__gte=today
        ).order_by("-scheduled_on", "-pk")
        page = Paginator(earlier, 25).get_page(self.request.GET.get("page"))
        overdue = (
            DialogueAction.objects.visible_to(self.request.user)
            .filter(dialogue__region=self.region, status=ActionStatus.OPEN, due_on__lt=today)
            .select_related("dialogue__provider")
            .order_by("due_on", "pk")
        )
        context.update(
            title=_("Prestatiedialogen"),
            today=today,
            upcoming=upcoming.order_by("scheduled_on", "pk"),
            page_obj=page,
            earlier=page.object_list,
            overdue=overdue,
        )
        return context


class ProviderDialoguesView(ProviderMixin, generic.TemplateView):
    """The provider's dialogues, newest first, with agenda size, notes and actions."""

    model = PerformanceDialogue
    template_name = "monitoring/dialogue_history.html"
    tab = "dialogues"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        items = with_action_counts(
            PerformanceDialogue.objects.visible_to(self.request.user).filter(
                provider=self.provider
            ),
            today,
        ).prefetch_related("actions")
        rows = []
        for dialogue in items.annotate(agenda_count=Count("agenda", distinct=True)):
            actions = [
                {"action": a, "overdue": dialogues.is_overdue(a, today)}
                for a in dialogue.actions.all()
            ]
            rows.append({"dialogue": dialogue, "actions": actions})
        context.update(
            dialogues=rows,
            open_actions=[
                {"action": a, "overdue": dialogues.is_overdue(a, today)}
                for a in dialogues.open_actions(self.provider)
            ],
            today=today,
        )
        return context


class DialogueCreateView(ProviderMixin, FormsPage):
    """Plan a dialogue; the page shows the agenda that will be drafted from the signals."""

    model = PerformanceDialogue
    template_name = "monitoring/dialogue_form.html"
    tab = "dialogues"
    editors_only = True
    form_classes = {"plan": DialogueCreateForm}

    def initial(self, name):
        return {"scheduled_on": timezone.localdate()}

    def handle_plan(self, form):
        self.created = dialogues.dialogue_create(
            provider=self.provider,
            scheduled_on=form.cleaned_data["scheduled_on"],
            participants=form.cleaned_data["participants"],
            user=self.request.user,
        )
        return _("De prestatiedialoog van %(day)s is gepland; de agenda is opgesteld.") % {
            "day": _d(self.created.scheduled_on)
        }

    def success_url(self, name):
        return reverse("monitoring:dialogue-detail", args=[self.region.slug, self.created.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft"] = dialogues.draft_agenda(self.provider)
        context["title"] = _("Prestatiedialoog plannen")
        return context


class DialogueDetailView(SteeringMixin, FormsPage):
    """One dialogue: agenda, notes and actions, with the forms to record and follow it up."""

    model = PerformanceDialogue
    template_name = "monitoring/dialogue_detail.html"
    form_classes = {
        "record": DialogueRecordForm,
        "agenda": AgendaItemForm,
        "action": ActionForm,
        "update": ActionUpdateForm,
    }

    def load(self, **kwargs):
        self.dialogue = get_object_or_404(
            PerformanceDialogue.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .select_related("provider", "created_by"),
            pk=kwargs["pk"],
        )
        self.provider = self.dialogue.provider

    def available_forms(self):
        names = ["record", "action", "update"]
        if self.dialogue.status == DialogueStatus.PLANNED:
            names.insert(1, "agenda")
        return names

    def initial(self, name):
        if name == "record":
            return {"notes": self.dialogue.notes, "participants": self.dialogue.participants}
        return {}

    def action_of(self, data) -> DialogueAction:
        try:
            pk = int(data.get("action", ""))
        except ValueError as exc:
            raise Http404 from exc
        return get_object_or_404(
            DialogueAction.objects.editable_by(self.request.user).filter(dialogue=self.dialogue),
            pk=pk,
        )

    def make_form(self, name, data=None):
        if name == "update":
            if data is None:
                return None  # one form per action, made in get_context_data
            action = self.action_of(data)
            self.updating = action
            return ActionUpdateForm(data=data, prefix=f"update-{action.pk}")
        return super().make_form(name, data)

    def handle_record(self, form):
        held = self.dialogue.status == DialogueStatus.HELD
        dialogues.dialogue_record(
            dialogue=self.dialogue,
            notes=form.cleaned_data["notes"],
            participants=form.cleaned_data["participants"],
            user=self.request.user,
        )
        if held:
            return _("Het verslag is gewijzigd; de vorige tekst staat in de geschiedenis.")
        return _("Het verslag is vastgelegd; het gesprek staat op 'gevoerd'.")

    def handle_agenda(self, form):
        item = dialogues.agenda_item_add(
            dialogue=self.dialogue,
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
            user=self.request.user,
        )
        return _("Agendapunt '%(t)s' is toegevoegd.") % {"t": item.title}

    def handle_action(self, form):
        d = form.cleaned_data
        action = dialogues.action_add(
            dialogue=self.dialogue,
            description=d["description"],
            owner=d["owner"],
            due_on=d["due_on"],
            user=self.request.user,
        )
        return _("Actie voor %(owner)s (uiterlijk %(day)s) is toegevoegd.") % {
            "owner": action.owner,
            "day": _d(action.due_on),
        }

    def handle_update(self, form):
        action = dialogues.action_update(
            action=self.updating,
            status=form.cleaned_data["status"],
            follow_up=form.cleaned_data["follow_up"],
            user=self.request.user,
        )
        return _("De actie staat nu op '%(status)s'.") % {"status": action.get_status_display()}

    def success_url(self, name):
        anchors = {"record": "verslag", "agenda": "agenda", "action": "acties", "update": "acties"}
        return f"{self.request.path}#{anchors[name]}"

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(bound=bound, **kwargs)
        today = timezone.localdate()
        failed_update = (bound or {}).get("update")
        actions = []
        for action in self.dialogue.actions.all():
            form = None
            if context["forms"]:
                if failed_update is not None and self.updating.pk == action.pk:
                    form = failed_update
                else:
                    form = ActionUpdateForm(
                        prefix=f"update-{action.pk}",
                        initial={"status": action.status, "follow_up": action.follow_up},
                    )
            actions.append(
                {"action": action, "overdue": dialogues.is_overdue(action, today), "form": form}
            )
        agenda = [
            {"item": item, "light": light(item.signal.level) if item.signal else None}
            for item in self.dialogue.agenda.select_related("signal").order_by("position")
        ]
        context.update(
            dialogue=self.dialogue,
            provider=self.provider,
            provider_tabs=provider_tabs(self.region, self.provider, "dialogues"),
            dashboard_url=provider_dashboard_url(self.region, self.provider.pk),
            agenda=agenda,
            actions=actions,
            open_count=sum(1 for a in actions if a["action"].status == ActionStatus.OPEN),
            overdue_count=sum(1 for a in actions if a["overdue"]),
            has_history=auditlog.contains(PerformanceDialogue),
            today=today,
            title=_("Prestatiedialoog %(day)s") % {"day": _d(self.dialogue.scheduled_on)},
        )
        return context


# ---------------------------------------------------------------- norms and weights


class NormsView(SteeringMixin, FormsPage):
    """Segment norms per segment and KPI (inherited down the tree), and the contracts' own KPI
    agreements that override them."""

    model = KpiNorm
    template_name = "monitoring/norms.html"
    form_classes = {"norm": KpiNormForm, "delete": NormDeleteForm}

    def editing(self) -> KpiNorm | None:
        pk = self.request.POST.get("wijzig") or self.request.GET.get("wijzig")
        if not pk:
            return None
        try:
            pk = int(pk)
        except ValueError as exc:
            raise Http404 from exc
        return get_object_or_404(
            KpiNorm.objects.editable_by(self.request.user).filter(segment__region=self.region),
            pk=pk,
        )

    def make_form(self, name, data=None):
        if name == "delete":
            return NormDeleteForm(data=data, prefix="delete")
        return KpiNormForm(data=data, prefix="norm", region=self.region, instance=self.editing())

    def handle_norm(self, form):
        norm = form.save()
        return _("De norm '%(kpi)s' voor %(segment)s is opgeslagen.") % {
            "kpi": norm.get_kpi_display(),
            "segment": norm.segment,
        }

    def handle_delete(self, form):
        norm = get_object_or_404(
            KpiNorm.objects.editable_by(self.request.user).filter(segment__region=self.region),
            pk=form.cleaned_data["norm"],
        )
        label = {"kpi": norm.get_kpi_display(), "segment": norm.segment}
        norm.delete()
        return _("De norm '%(kpi)s' voor %(segment)s is verwijderd.") % label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        segments = list(
            Segment.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .select_related("parent__parent__parent")
            .order_by("code", "pk")
        )
        effective = segment_norms(segments)
        own = {
            (n.segment_id, n.kpi): n
            for n in KpiNorm.objects.visible_to(self.request.user).filter(
                segment__region=self.region
            )
        }
        by_pk = {s.pk: s for s in segments}
        blocks = []
        for segment in segments:
            rows = []
            for (sid, kpi), norm in sorted(effective.items(), key=lambda i: i[0][1]):
                if sid != segment.pk:
                    continue
                mine = own.get((segment.pk, kpi))
                source = None
                if mine is None:  # the nearest ancestor with its own norm for this KPI
                    source = next(
                        (by_pk.get(a) for a in ancestors(segment) if (a, kpi) in own), None
                    )
                rows.append(
                    {
                        "kpi": Kpi(kpi).label,
                        "direction": Direction(norm.direction).label,
                        "norm": norm.norm,
                        "amber": norm.amber,
                        "red": norm.red,
                        "own": mine,
                        "inherited_from": source,
                    }
                )
            blocks.append({"segment": segment, "rows": rows})
        agreements = (
            KpiAgreement.objects.visible_to(self.request.user)
            .filter(contract__region=self.region)
            .select_related("contract__provider", "contract__segment")
            .order_by("contract__reference", "kpi")
        )
        context.update(
            title=_("Normen"),
            blocks=blocks,
            agreements=[
                {"agreement": a, "segment_norm": effective.get((a.contract.segment_id, a.kpi))}
                for a in agreements
            ],
            editing=self.editing() if context["forms"] else None,
        )
        return context


def ancestors(segment) -> list[int]:
    ids, node = [], segment.parent
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return ids


class WeightsView(SteeringMixin, FormsPage):
    """The weight of each KPI and of the finance checks in the providers' risk score."""

    model = RiskWeight
    template_name = "monitoring/weights.html"
    form_classes = {"weights": RiskWeightsForm}

    def current(self) -> dict:
        return dict(
            RiskWeight.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .values_list("topic", "weight")
        )

    def form_kwargs(self, name):
        return {"weights": self.current()}

    def handle_weights(self, form):
        changed = form.save(self.region)
        return _("De risicoweging is opgeslagen (%(n)s gewijzigd).") % {"n": changed}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        weights = self.current()
        context.update(
            title=_("Risicoweging"),
            rows=[
                {"topic": topic, "label": label, "weight": weights.get(topic, 1)}
                for topic, label in dialogues.TOPICS
            ],
        )
        return context


# ---------------------------------------------------------------- provider finance


class ProviderFinanceView(ProviderMixin, FormsPage):
    """The provider's annual accounts with the margin and WNT checks, and a form per year."""

    model = AnnualAccount
    template_name = "monitoring/finance.html"
    tab = "finance"
    form_classes = {"account": AnnualAccountForm}

    def editing(self) -> AnnualAccount | None:
        year = self.request.POST.get("jaar") or self.request.GET.get("jaar")
        if not year:
            return None
        try:
            year = int(year)
        except ValueError as exc:
            raise Http404 from exc
        return get_object_or_404(
            AnnualAccount.objects.editable_by(self.request.user).filter(provider=self.provider),
            year=year,
        )

    def make_form(self, name, data=None):
        return AnnualAccountForm(
            data=data, prefix="account", provider=self.provider, instance=self.editing()
        )

    def handle_account(self, form):
        account = form.save()
        signals = alerts.finance_signals(account)
        raised = [s for s in signals or [] if getattr(s, "status", None) != SignalStatus.CLOSED]
        message = _("De jaarrekening %(year)s is opgeslagen.") % {"year": account.year}
        if raised:
            message += " " + _("Signalen: %(n)s.") % {"n": len(raised)}
        return message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = AnnualAccount.objects.visible_to(self.request.user).filter(
            provider=self.provider
        )
        rows = []
        for account in accounts.order_by("-year"):
            margin_check = finance.check_margin(account)
            wnt_check = finance.check_wnt(account)
            rows.append(
                {
                    "account": account,
                    "margin": finance.margin(account),
                    "margin_check": margin_check,
                    "margin_light": light(margin_check.level),
                    "wnt_maximum": finance.wnt_maximum(account),
                    "wnt_check": wnt_check,
                    "wnt_light": light(wnt_check.level),
                }
            )
        signals = (
            Signal.objects.visible_to(self.request.user)
            .filter(provider=self.provider, source=SignalSource.FINANCE)
            .order_by("-period", "topic")
        )
        context.update(
            title=_("Financiën"),
            rows=rows,
            finance_signals=[shown(s) for s in signals.select_related("contract")],
            editing=self.editing() if context["forms"] else None,
            margin_amber=finance.MARGIN_AMBER,
            margin_red=finance.MARGIN_RED,
        )
        return context
