"""Pages of the reports under /regios/<region>/rapportages/.

Who may do what:

* **read** (archive, a report, its HTML page and PDF, one's own subscriptions): everyone with a
  role in the region, and municipal users; ``Report.objects.visible_to`` gives a municipal user
  only their own municipality's reports and the board summary (another report is a 404).
* **request and regenerate** a report: ``REPORT_REQUESTERS`` (procurement officer, contract
  manager, region administrator); anyone else who reads the region gets a 403.
* **schedule and verdeelsleutel**: pages for region staff; a municipal user gets a 403. Region
  roles read them; ``REPORT_SCHEDULERS`` (the region administrator) edit the schedule and start
  a run, the contract editors (``BudgetShare.scope_edit_roles``) set the verdeelsleutel.
* a **subscription** is its owner's only: another user's is a 404, for everyone.

Objects of another region are a 404. POST-only actions answer a GET with 405 (after the checks
above, so a GET tells nobody more than a POST would).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.views import PostOnlyMixin, RegionMixin
from segments.models import Municipality

from . import periods, schedules, services
from .filters import ReportFilterSet
from .forms import (
    BudgetSharesForm,
    ReportRequestForm,
    RunForm,
    ScheduleForm,
    SubscriptionForm,
    format_percentage,
    subject_label,
)
from .models import (
    CADENCE,
    PENDING_STATUSES,
    BudgetShare,
    Report,
    ReportKind,
    ReportSchedule,
    ReportStatus,
    Subscription,
    Trigger,
)
from .tables import STATUS_CLASS, ReportTable, period_label

REGION_ONLY = gettext_lazy(
    "Deze pagina is alleen voor medewerkers van de regio; gemeenten vinden hun rapportages in "
    "het archief."
)
NOT_A_REQUESTER = gettext_lazy(
    "Alleen inkopers, contractmanagers en regiobeheerders laten een rapportage maken."
)
NOT_A_SCHEDULER = gettext_lazy("Alleen de regiobeheerder wijzigt het schema en start een run.")
NOT_A_SHARE_EDITOR = gettext_lazy(
    "Alleen inkopers en contractmanagers van de regio wijzigen de verdeelsleutel."
)
#: seconds between refreshes of a report page while its version is made
REFRESH_SECONDS = 3
#: years offered on the verdeelsleutel page around this year
SHARE_YEARS_BACK, SHARE_YEARS_AHEAD = 4, 1


class ReportsMixin(RegionMixin):
    """Every report page: the region from the URL (another region: 404), the section's tabs,
    and for staff pages a 403 for municipal users."""

    model = Report
    region_staff_only = False
    tab = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.scope = scope_for(request.user)
            if self.region_staff_only and not self.is_region_staff():
                raise PermissionDenied(REGION_ONLY)
            self.check(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check(self, request, **kwargs) -> None:
        """Fetch the URL's objects (404) and check the role (403), before the method (405)."""

    def is_region_staff(self) -> bool:
        return self.scope.has_role(self.region.pk, ALL_REGION_ROLES)

    def can_request(self) -> bool:
        return services.can_request(self.request.user, self.region)

    def can_schedule(self) -> bool:
        return services.can_schedule(self.request.user, self.region)

    def reports(self):
        return Report.objects.visible_to(self.request.user).filter(region=self.region)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"reports:{name}", kwargs={"region": self.region.slug, **kwargs})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_request"] = self.can_request()
        context["reports_tabs"] = self.tabs()
        return context

    def tabs(self) -> list[dict]:
        tabs = [
            ("archive", _("Archief"), "report-list"),
            ("subscriptions", _("Mijn abonnementen"), "subscription-list"),
        ]
        if self.is_region_staff():
            tabs += [
                ("schedule", _("Schema"), "schedule-list"),
                ("shares", _("Verdeelsleutel"), "budget-shares"),
            ]
        return [
            {"key": key, "label": label, "url": self.url(name), "current": key == self.tab}
            for key, label, name in tabs
        ]


# ---------------------------------------------------------------- archive and reports


class ReportListView(ReportsMixin, SingleTableMixin, FilterView):
    template_name = "reports/report_list.html"
    table_class = ReportTable
    filterset_class = ReportFilterSet
    paginate_by = 25
    tab = "archive"

    def get_queryset(self):
        return self.reports().select_related("current")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["region"] = self.region
        return kwargs

    def get_table_kwargs(self):
        return {"region": self.region}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Rapportages")
        context["result_count"] = context["table"].paginator.count
        return context


class ReportCreateView(ReportsMixin, generic.FormView):
    template_name = "reports/report_form.html"
    form_class = ReportRequestForm
    tab = "archive"

    def check(self, request, **kwargs):
        if not self.can_request():
            raise PermissionDenied(NOT_A_REQUESTER)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, region=self.region)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("soort")
        if kind in CADENCE:
            initial["kind"] = kind
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Nieuwe rapportage maken")
        context["cadences_json"] = json.dumps({str(k): str(c) for k, c in CADENCE.items()})
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        report = services.report_ensure(
            region=self.region, kind=data["kind"], subject=data["subject"], period=data["period"]
        )
        version, created = services.report_version_request(
            report=report, trigger=Trigger.DEMAND, user=self.request.user
        )
        what = {"report": report_title(report)}
        if created:
            messages.success(self.request, _("In de wachtrij gezet: %(report)s.") % what)
        elif version.status == ReportStatus.READY:
            messages.info(
                self.request,
                _(
                    "%(report)s bestaat al; hieronder staat de laatste versie. Met 'Opnieuw "
                    "maken' maakt u een nieuwe."
                )
                % what,
            )
        else:
            messages.info(self.request, _("%(report)s wordt al gemaakt.") % what)
        return HttpResponseRedirect(report.get_absolute_url())


def report_title(report) -> str:
    return f"{report.get_kind_display()} {report.subject_name}, {period_label(report)}"


def person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class ReportDetailView(ReportsMixin, generic.DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"
    tab = "archive"

    def get_queryset(self):
        return self.reports().select_related(
            "region", "current", "provider", "segment", "municipality"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        versions = list(report.versions.select_related("requested_by").order_by("-number"))
        latest = versions[0] if versions else None
        context.update(
            title=report_title(report),
            period_label=period_label(report),
            versions=versions,
            latest=latest,
            current=report.current,
            status_class=STATUS_CLASS.get(report.status, ""),
            refresh=latest is not None and latest.status in PENDING_STATUSES,
            refresh_seconds=REFRESH_SECONDS,
            subject_url=subject_url(report)
            if self.is_region_staff() or report.kind == ReportKind.MUNICIPALITY
            else None,
        )
        return context


def subject_url(report) -> str | None:
    """The dashboard of the report's subject (for region staff; a municipal user's own
    municipality), or None."""
    from django.urls import NoReverseMatch

    names = {
        "provider": ("monitoring:provider", report.provider_id),
        "segment": ("monitoring:segment", report.segment_id),
        "municipality": ("monitoring:municipality", report.municipality_id),
        "board": ("monitoring:region", None),
    }
    name, pk = names[report.kind]
    kwargs = {"region": report.region.slug}
    if pk is not None:
        kwargs["pk"] = pk
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


class ReportObjectMixin(ReportsMixin):
    """A page of one report (``pk`` in the URL), fetched among those the user may read."""

    def check(self, request, **kwargs):
        self.report = get_object_or_404(
            self.reports().select_related("region", "current"), pk=kwargs["pk"]
        )

    def ready_version(self):
        """``?versie=N`` or the current version; 404 if that is not ready."""
        number = self.request.GET.get("versie")
        if number:
            try:
                number = int(number)
            except ValueError as exc:
                raise Http404 from exc
            version = self.report.versions.filter(number=number, status=ReportStatus.READY).first()
        else:
            version = self.report.current
        if version is None or version.status != ReportStatus.READY or not version.file:
            raise Http404(_("Van deze rapportage is (nog) geen versie klaar."))
        version.report = self.report
        return version


class ReportRegenerateView(PostOnlyMixin, ReportObjectMixin, generic.View):
    def check(self, request, **kwargs):
        super().check(request, **kwargs)
        if not self.can_request():
            raise PermissionDenied(NOT_A_REQUESTER)

    def post(self, request, *args, **kwargs):
        version, created = services.report_version_request(
            report=self.report, trigger=Trigger.REGENERATE, user=request.user, force=True
        )
        if created:
            messages.success(
                request,
                _("Versie %(number)s van %(report)s is in de wachtrij gezet.")
                % {"number": version.number, "report": report_title(self.report)},
            )
        else:
            messages.info(
                request,
                _("Versie %(number)s wordt al gemaakt; wacht tot die klaar is.")
                % {"number": version.number},
            )
        return redirect(self.report.get_absolute_url())


class ReportHtmlView(ReportObjectMixin, generic.View):
    """The report as a web page, from the snapshot of the version (so it shows exactly what
    the PDF shows)."""

    def get(self, request, *args, **kwargs):
        from . import render as report_render

        version = self.ready_version()
        context = dict(report_render.page_context(version.snapshot))
        context.update(
            region=self.region,
            report=self.report,
            version=version,
            title=report_title(self.report),
            detail_url=self.report.get_absolute_url(),
            pdf_url=self.url("report-pdf", pk=self.report.pk) + f"?versie={version.number}",
        )
        return render(request, "reports/report_html.html", context)


class ReportPdfView(ReportObjectMixin, generic.View):
    def get(self, request, *args, **kwargs):
        version = self.ready_version()
        return FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.filename,
            content_type="application/pdf",
        )


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


class ScheduleListView(ReportsMixin, generic.TemplateView):
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
            _(
                "%(kind)s over %(period)s: %(queued)s in de wachtrij gezet, %(existing)s waren "
                "er al."
            )
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
