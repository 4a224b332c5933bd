"""Pages of the reports' settings: subscriptions, the schedule (region administrators) and the
budget shares (verdeelsleutel)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.ui.formatting import format_date
from core.ui.views import PostOnlyMixin, SheetExportMixin
from segments.models import Municipality

from . import periods, schedules, services
from .forms import (
    BudgetSharesForm,
    RunForm,
    ScheduleForm,
    SubscriptionForm,
    format_percentage,
    subject_label,
)
from .models import (
    CADENCE,
    BudgetShare,
    ReportSchedule,
    Subscription,
    Trigger,
)
from .views import NOT_A_SCHEDULER, NOT_A_SHARE_EDITOR, ReportsMixin

#: years offered on the verdeelsleutel page around this year
SHARE_YEARS_BACK, SHARE_YEARS_AHEAD = 4, 1


# ---------------------------------------------------------------- subscriptions


class SubscriptionListView(ReportsMixin, generic.TemplateView):
    """The user's own subscriptions in this region, and the form to add one."""

    template_name = "reports/subscription_list.html"
    tab = "subscriptions"

    def subscriptions(self):
        return (
            Subscription.objects.visible_to(self.request.user)
            .filter(region=self.region, user=self.request.user)
            .select_related("provider", "segment", "municipality")
        )

    def make_form(self, data=None):
        return SubscriptionForm(data=data, user=self.request.user, region=self.region)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for sub in self.subscriptions():
            subject = sub.subject
            rows.append(
                {
                    "subscription": sub,
                    "subject": subject_label(sub.kind, subject) if subject else None,
                }
            )
        context.update(
            title=_("Mijn abonnementen"),
            rows=rows,
            form=form or self.make_form(),
            has_email=bool(self.request.user.email),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.subscription_create(
                    user=request.user,
                    region=self.region,
                    kind=data["kind"],
                    subject_key=data["subject_key"],
                    subject=data["subject"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Uw abonnement is toegevoegd."))
                return redirect(self.url("subscription-list"))
        return self.render_to_response(self.get_context_data(form=form), status=200)


class SubscriptionDeleteView(PostOnlyMixin, ReportsMixin, generic.View):
    def check(self, request, **kwargs):
        self.subscription = get_object_or_404(
            Subscription.objects.visible_to(request.user).filter(
                region=self.region, user=request.user
            ),
            pk=kwargs["pk"],
        )

    def post(self, request, *args, **kwargs):
        services.subscription_delete(subscription=self.subscription)
        messages.success(request, _("Het abonnement is opgezegd."))
        return redirect(self.url("subscription-list"))


# ---------------------------------------------------------------- schedule


class ScheduleListView(SheetExportMixin, ReportsMixin, generic.TemplateView):
    template_name = "reports/schedule_list.html"
    region_staff_only = True
    tab = "schedule"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_schedule = self.can_schedule()
        now = timezone.now()
        rows = []
        for schedule in schedules.ensure_schedules(self.region):
            task = schedule.periodic_task
            cadence = CADENCE[schedule.kind]
            rows.append(
                {
                    "schedule": schedule,
                    "cadence": cadence_text(cadence),
                    "next_runs": schedules.next_runs(schedule, 3, now=now)
                    if schedule.enabled
                    else [],
                    "last_run": task.last_run_at if task else None,
                    "covers": periods.last_complete(cadence, timezone.localdate()).label,
                    "run_form": RunForm(cadence=cadence, prefix=f"run{schedule.pk}")
                    if can_schedule
                    else None,
                }
            )
        context.update(title=_("Schema van de rapportages"), rows=rows, can_schedule=can_schedule)
        return context

    def export_sheets(self, context) -> dict:
        """The schedule per kind of report, in Dutch time, as the table shows it."""

        def moments(row):
            return ", ".join(
                f"{format_date(timezone.localtime(m))} {timezone.localtime(m):%H:%M}"
                for m in row["next_runs"]
            )

        columns = [
            (_("Soort"), "schedule.get_kind_display"),
            (_("Periode"), "cadence"),
            (_("Actief"), "schedule.enabled"),
            (_("Cron"), "schedule.crontab_text"),
            (_("Volgende keren"), moments),
            (_("Laatst uitgevoerd"), "last_run"),
        ]
        return {"schema": records_sheet(context["title"], columns, context["rows"])}


def cadence_text(cadence: str) -> str:
    return {
        periods.MONTH: _("over de laatst afgesloten maand"),
        periods.QUARTER: _("over het laatst afgesloten kwartaal"),
        periods.YEAR: _("over het laatst afgesloten jaar"),
    }[cadence]


class ScheduleObjectMixin(ReportsMixin):
    region_staff_only = True
    tab = "schedule"

    def check(self, request, **kwargs):
        self.schedule = get_object_or_404(
            ReportSchedule.objects.visible_to(request.user)
            .filter(region=self.region)
            .select_related("periodic_task"),
            pk=kwargs["pk"],
        )
        if not self.can_schedule():
            raise PermissionDenied(NOT_A_SCHEDULER)


class ScheduleUpdateView(ScheduleObjectMixin, generic.UpdateView):
    template_name = "reports/schedule_form.html"
    form_class = ScheduleForm
    context_object_name = "schedule"

    def get_object(self, queryset=None):
        return self.schedule

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Schema wijzigen: %(kind)s") % {
            "kind": self.schedule.get_kind_display()
        }
        context["cadence"] = cadence_text(CADENCE[self.schedule.kind])
        context["next_runs"] = schedules.next_runs(self.schedule, 3)
        return context

    def form_valid(self, form):
        schedule = services.schedule_update(
            schedule=self.schedule, user=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("Het schema van de %(kind)s is opgeslagen.")
            % {"kind": schedule.get_kind_display().lower()},
        )
        return redirect(self.url("schedule-list"))


class ScheduleRunView(PostOnlyMixin, ScheduleObjectMixin, generic.View):
    """Start the schedule's run now: one report per subject, for the chosen period."""

    def post(self, request, *args, **kwargs):
        schedule = self.schedule
        form = RunForm(request.POST, cadence=CADENCE[schedule.kind], prefix=f"run{schedule.pk}")
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("period", [_("Ongeldige periode.")])))
            return redirect(self.url("schedule-list"))
        period = form.cleaned_data["period"]
        result = services.report_run_start(
            region=self.region,
            kind=schedule.kind,
            period=period,
            trigger=Trigger.SCHEDULE,
            user=request.user,
        )
        messages.success(
            request,
            _("%(kind)s over %(period)s: %(queued)s aangevraagd, %(existing)s waren er al.")
            % {
                "kind": schedule.get_kind_display(),
                "period": period.label,
                "queued": len(result.queued),
                "existing": result.existing,
            },
        )
        return redirect(self.url("report-list") + f"?soort={schedule.kind}&periode={period.code}")


# ---------------------------------------------------------------- verdeelsleutel


class BudgetSharesView(ReportsMixin, generic.TemplateView):
    """Each municipality's share of the region's budget in a year (the verdeelsleutel), used by
    the municipal reports to set its spend against its part of the budget."""

    template_name = "reports/budget_shares.html"
    region_staff_only = True
    tab = "shares"

    def check(self, request, **kwargs):
        self.year = self.chosen_year(request.POST.get("jaar") or request.GET.get("jaar"))
        if request.method == "POST" and not self.can_edit_shares():
            raise PermissionDenied(NOT_A_SHARE_EDITOR)

    @staticmethod
    def chosen_year(value) -> int:
        try:
            year = int(value)
        except (TypeError, ValueError):
            return timezone.localdate().year
        return year if 2000 <= year <= 2100 else timezone.localdate().year

    def can_edit_shares(self) -> bool:
        return self.scope.has_role(self.region.pk, BudgetShare.scope_edit_roles)

    def municipalities(self):
        return (
            Municipality.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .order_by("name", "pk")
        )

    def current_shares(self) -> dict:
        return dict(
            BudgetShare.objects.visible_to(self.request.user)
            .filter(region=self.region, year=self.year)
            .values_list("municipality_id", "percentage")
        )

    def make_form(self, data=None):
        return BudgetSharesForm(
            data=data, municipalities=self.municipalities(), shares=self.current_shares()
        )

    def years(self) -> list[int]:
        this = timezone.localdate().year
        known = set(
            BudgetShare.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .values_list("year", flat=True)
        )
        wanted = set(range(this - SHARE_YEARS_BACK, this + SHARE_YEARS_AHEAD + 1))
        return sorted(known | wanted | {self.year}, reverse=True)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        shares = self.current_shares()
        total = sum(shares.values(), start=0)
        can_edit = self.can_edit_shares()
        rows = [{"municipality": m, "share": shares.get(m.pk)} for m in self.municipalities()]
        context.update(
            title=_("Verdeelsleutel"),
            year=self.year,
            years=self.years(),
            rows=rows,
            total=format_percentage(total),
            unassigned=format_percentage(100 - total) if total <= 100 else None,
            can_edit_shares=can_edit,
            form=(form or self.make_form()) if can_edit else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.budget_share_set(region=self.region, year=self.year, shares=form.shares())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("De verdeelsleutel van %(year)s is opgeslagen (samen %(total)s%%).")
            % {"year": self.year, "total": format_percentage(form.cleaned_data["total"])},
        )
        return redirect(self.url("budget-shares") + f"?jaar={self.year}")
