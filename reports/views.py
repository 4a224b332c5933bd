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
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.views import ExportMixin, PostOnlyMixin, RegionMixin

from . import progress, services
from .filters import ReportFilterSet
from .forms import (
    ReportRequestForm,
)
from .models import (
    CADENCE,
    PENDING_STATUSES,
    Report,
    ReportKind,
    ReportStatus,
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


class ReportListView(ExportMixin, ReportsMixin, SingleTableMixin, FilterView):
    export_name = gettext_lazy("Rapportages")
    template_name = "reports/report_list.html"
    table_class = ReportTable
    filterset_class = ReportFilterSet
    paginate_by = 25
    tab = "archive"

    def get_queryset(self):
        return self.reports().select_related("current")

    def run_progress(self) -> dict:
        """Filtered on one kind and one period (where "Nu uitvoeren" leads): how far that run
        is, while some of its reports are still being made."""
        kind, period = self.request.GET.get("soort", ""), self.request.GET.get("periode", "")
        if kind not in CADENCE or not period:
            return {}
        counts = progress.run_counts(self.reports().filter(kind=kind, period=period))
        if not counts["pending"]:
            return {}
        return {
            "run": counts,
            "run_text": progress.run_text(counts),
            "run_percentage": round(100 * counts["done"] / counts["total"]),
            "run_status_url": self.url("run-status", kind=kind, period=period),
        }

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
        context.update(self.run_progress())
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
            messages.success(self.request, requested_message(version, report))
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


def requested_message(version, report) -> str:
    """What a request for a new version says: without a broker the version may already be made
    by the time the page answers, so the message says what is true now (and never "in de
    wachtrij" next to "Klaar"); the status box below follows it from there."""
    version.refresh_from_db(fields=["status"])
    what = {"number": version.number, "report": report_title(report)}
    if version.status == ReportStatus.READY:
        return _("Versie %(number)s van %(report)s is gemaakt.") % what
    if version.status == ReportStatus.FAILED:
        return _("Versie %(number)s van %(report)s kon niet worden gemaakt.") % what
    return _("Versie %(number)s van %(report)s is aangevraagd.") % what


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
            progress_text=progress.version_text(latest),
            status_url=self.url("report-status", pk=report.pk),
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
            messages.success(request, requested_message(version, self.report))
        else:
            messages.info(
                request,
                _("Versie %(number)s wordt al gemaakt; wacht tot die klaar is.")
                % {"number": version.number},
            )
        return redirect(self.report.get_absolute_url())


class ReportStatusView(ReportObjectMixin, generic.View):
    """The report's newest version as JSON (state, done of 1, a sentence), polled by the
    report's page while it is made; scoped as the page."""

    def get(self, request, *args, **kwargs):
        latest = self.report.versions.order_by("-number").first()
        payload = progress.report_payload(self.report, latest, url=self.report.get_absolute_url())
        response = JsonResponse(payload)
        response["Cache-Control"] = "no-store"
        return response


class ReportRunStatusView(ReportsMixin, generic.View):
    """A run's progress as JSON: of the reports of one kind and period that the user may
    read, how many are done ("12 van 40"); polled by the archive filtered on that run."""

    def check(self, request, **kwargs):
        if kwargs["kind"] not in CADENCE:
            raise Http404

    def get(self, request, *args, **kwargs):
        kind, period = kwargs["kind"], kwargs["period"]
        counts = progress.run_counts(self.reports().filter(kind=kind, period=period))
        if not counts["total"]:
            raise Http404
        url = self.url("report-list") + f"?soort={kind}&periode={period}"
        response = JsonResponse(progress.run_payload(counts, url=url))
        response["Cache-Control"] = "no-store"
        return response


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
