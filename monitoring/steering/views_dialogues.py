"""Steering pages of the performance dialogues: the lists, a new dialogue, and one dialogue
with its agenda, record and actions."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.files import serve
from core.ui.formatting import format_date
from core.ui.views import SheetExportMixin
from monitoring.steering import dialogues
from monitoring.steering.forms import (
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    DialogueCreateForm,
    DialogueRecordForm,
)
from monitoring.steering.models import (
    ActionStatus,
    DialogueAction,
    DialogueActionProgress,
    DialogueStatus,
    PerformanceDialogue,
)
from monitoring.steering.views import (
    FormsPage,
    ProviderMixin,
    SteeringMixin,
    light,
    provider_dashboard_url,
    provider_tabs,
)


def with_action_counts(queryset, today):
    return queryset.annotate(
        open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True),
        overdue_actions=Count(
            "actions",
            filter=Q(actions__status=ActionStatus.OPEN, actions__due_on__lt=today),
            distinct=True,
        ),
    )


class DialogueListView(SheetExportMixin, SteeringMixin, generic.TemplateView):
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
        self.all_dialogues = (context["upcoming"], earlier)
        return context

    def export_sheets(self, context) -> dict:
        """Every dialogue (planned first, the earlier ones not paged) and the overdue actions."""
        dialogues = (d for rows in self.all_dialogues for d in rows.iterator())
        sheets = {
            "gesprekken": records_sheet(
                _("Prestatiedialogen"),
                [
                    (_("Datum"), "scheduled_on"),
                    (_("Aanbieder"), "provider.name"),
                    (_("Status"), "get_status_display"),
                    (_("Open acties"), "open_actions"),
                    (_("Verlopen"), "overdue_actions"),
                ],
                dialogues,
            ),
            "acties": records_sheet(
                _("Verlopen acties"),
                [
                    (_("Uiterlijk"), "due_on"),
                    (_("Aanbieder"), "dialogue.provider.name"),
                    (_("Afspraak"), "description"),
                    (_("Eigenaar"), "owner"),
                    (_("Gesprek"), "dialogue.scheduled_on"),
                ],
                context["overdue"],
            ),
        }
        if not context["overdue"]:  # the page shows no table of them (nor a button)
            del sheets["acties"]
        return sheets


class ProviderDialoguesView(SheetExportMixin, ProviderMixin, generic.TemplateView):
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

    def export_sheets(self, context) -> dict:
        """The open actions, the dialogues (newest first) and every action of each, as the
        page shows them."""
        name = self.provider.name
        action_columns = [
            (_("Afspraak"), "action.description"),
            (_("Eigenaar"), "action.owner"),
            (_("Uiterlijk"), "action.due_on"),
            (_("Verlopen"), "overdue"),
            (_("Status"), "action.get_status_display"),
            (_("Afgerond op"), "action.closed_on"),
            (_("Opvolging"), "action.follow_up"),
        ]
        return {
            "openstaand": records_sheet(
                _("Openstaande acties %(provider)s") % {"provider": name},
                [(_("Gesprek"), "action.dialogue.scheduled_on"), *action_columns],
                context["open_actions"],
            ),
            "gesprekken": records_sheet(
                _("Prestatiedialogen %(provider)s") % {"provider": name},
                [
                    (_("Datum"), "dialogue.scheduled_on"),
                    (_("Status"), "dialogue.get_status_display"),
                    (_("Agendapunten"), "dialogue.agenda_count"),
                    (_("Open acties"), "dialogue.open_actions"),
                    (_("Verlopen acties"), "dialogue.overdue_actions"),
                    (_("Deelnemers"), "dialogue.participants"),
                    (_("Verslag"), "dialogue.notes"),
                ],
                context["dialogues"],
            ),
            "acties": records_sheet(
                _("Acties uit de gesprekken met %(provider)s") % {"provider": name},
                [(_("Gesprek"), "dialogue.scheduled_on"), *action_columns],
                (
                    {**action, "dialogue": row["dialogue"]}
                    for row in context["dialogues"]
                    for action in row["actions"]
                ),
            ),
        }


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
            "day": format_date(self.created.scheduled_on)
        }

    def success_url(self, name):
        return reverse("monitoring:dialogue-detail", args=[self.region.slug, self.created.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["draft"] = dialogues.group_agenda(dialogues.draft_agenda(self.provider))
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
            "day": format_date(action.due_on),
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
        posts = DialogueActionProgress.objects.visible_to(self.request.user).select_related(
            "posted_by"
        )
        for action in self.dialogue.actions.prefetch_related(Prefetch("progress", queryset=posts)):
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
                {
                    "action": action,
                    "overdue": dialogues.is_overdue(action, today),
                    "form": form,
                    "posts": action.progress.all(),
                }
            )
        agenda = [
            {**entry, "light": light(entry["level"])}
            for entry in dialogues.group_agenda(
                list(self.dialogue.agenda.select_related("signal").order_by("position"))
            )
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
            title=_("Prestatiedialoog %(day)s") % {"day": format_date(self.dialogue.scheduled_on)},
        )
        return context


class DialogueProgressFileView(SteeringMixin, generic.View):
    """A file a provider posted with its progress on an action, through the scope."""

    def load(self, **kwargs):
        self.progress = get_object_or_404(
            DialogueActionProgress.objects.visible_to(self.request.user).filter(
                action__dialogue__region=self.region, action__dialogue_id=kwargs["pk"]
            ),
            pk=kwargs["progress"],
        )
        if not self.progress.file:
            raise Http404

    def get(self, request, *args, **kwargs):
        return serve(self.progress.file)


# ---------------------------------------------------------------- norms and weights
