"""Pages for production imports: the list, the upload, a batch's progress and errors.

Imports are for region roles: everyone with a role in the region sees the list and the batches;
only the contract editors (procurement officer, contract manager) upload (others: 403).
Municipal users get a 404 on every import page (a batch has no municipal scope). The upload is
spooled to ``IMPORT_SPOOL_DIR`` under a random name, the batch is created and the task queued
when the transaction commits; the task deletes the file when it is done.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.spreadsheet import safe_row
from core.ui.views import RegionMixin, SheetExportMixin
from monitoring.imports import services
from monitoring.imports.formats import COLUMNS, human_size
from monitoring.imports.forms import ImportForm
from monitoring.imports.models import DatasetKind, ImportBatch, ImportStatus
from monitoring.imports.progress import counts, progress_text, status_payload

ERRORS_PER_PAGE = 100
DOCS = Path(settings.BASE_DIR) / "docs" / "import.md"


class ImportMixin(RegionMixin):
    """Region roles only; a municipal user (or anyone without a role here) gets a 404."""

    model = ImportBatch

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_role(
            self.region.pk, ALL_REGION_ROLES
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def batches(self):
        return ImportBatch.objects.visible_to(self.request.user).filter(region=self.region)


class ImportListView(SheetExportMixin, ImportMixin, generic.ListView):
    template_name = "monitoring/import_list.html"
    paginate_by = 25
    context_object_name = "batches"

    def get_queryset(self):
        return self.batches().select_related("created_by").order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Imports van productiegegevens")
        for batch in context["batches"]:
            batch.href = reverse(
                "monitoring:import-detail", kwargs={"region": self.region.slug, "pk": batch.pk}
            )
        return context

    def export_sheets(self, context) -> dict:
        """Every batch of the list (not only the page's 25), as the table shows them."""
        return {"imports": batches_sheet(_("Imports"), self.get_queryset(), _("opdrachtregel"))}


def batches_sheet(title: str, batches, without_user: str):
    """Batches as the import table shows them (the import list, the portal's deliveries)."""

    def by(batch):
        user = batch.created_by
        return (user.get_full_name() or user.username) if user else without_user

    columns = [
        (_("Aangeboden"), "created_at"),
        (_("Soort"), "get_kind_display"),
        (_("Bestand"), "file_name"),
        (_("Status"), "get_status_display"),
        (_("Regels"), "rows_total"),
        (_("Toegevoegd"), "rows_added"),
        (_("Correcties"), "rows_corrected"),
        (_("Al aanwezig"), "rows_unchanged"),
        (_("Fouten"), "error_count"),
        (_("Door"), by),
    ]
    return records_sheet(title, columns, batches)


def column_help() -> list[dict]:
    """The columns of every kind, from the column spec (so the help cannot drift)."""
    return [
        {"kind": kind, "label": label, "columns": COLUMNS[kind]}
        for kind, label in DatasetKind.choices
    ]


class ImportCreateView(ImportMixin, generic.FormView):
    form_class = ImportForm
    template_name = "monitoring/import_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            scope = scope_for(request.user)
            if not scope.has_role(self.region.pk, ALL_REGION_ROLES):
                raise Http404
            if not self.user_can_edit():
                raise PermissionDenied(
                    _("Alleen inkopers en contractmanagers van de regio importeren gegevens.")
                )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("soort") in DatasetKind.values:
            initial["kind"] = self.request.GET["soort"]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Productiegegevens importeren")
        context["kinds"] = column_help()
        context["max_size"] = human_size(settings.IMPORT_MAX_BYTES)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        uploads = data["files"]
        path, file_name = services.spool_upload(uploads, data["file_format"])
        batch = services.import_offer(
            region=self.region,
            kind=data["kind"],
            file_format=data["file_format"],
            path=path,
            file_name=file_name,
            file_size=sum(u.size for u in uploads),
            user=self.request.user,
            run="queue",
        )
        batch.refresh_from_db()  # in the tests (no broker, no thread) it has already run
        if not batch.is_finished:
            messages.success(
                self.request,
                _("%(name)s is ontvangen en wordt geïmporteerd.") % {"name": batch.file_name},
            )
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportDetailView(ImportMixin, generic.DetailView):
    template_name = "monitoring/import_detail.html"
    context_object_name = "batch"

    def get_queryset(self):
        return self.batches().select_related("created_by", "region")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        context["title"] = _("Import %(pk)s: %(name)s") % {"pk": batch.pk, "name": batch.file_name}
        context["can_edit"] = batch.can_change(self.request.user)
        context["refresh"] = not batch.is_finished
        context["progress_text"] = progress_text(batch)
        context["counts"] = counts(batch)
        context["status_url"] = reverse(
            "monitoring:import-status", kwargs={"region": self.region.slug, "pk": batch.pk}
        )
        paginator = Paginator(batch.errors or [], ERRORS_PER_PAGE)
        context["error_page"] = paginator.get_page(self.request.GET.get("pagina"))
        context["errors_hidden"] = max(0, batch.error_count - len(batch.errors or []))
        context["months"] = [date.fromisoformat(m) for m in batch.months or []]
        context["size"] = human_size(batch.file_size)
        context["status_class"] = STATUS_CLASS.get(batch.status, "")
        if batch.sha256:
            context["earlier"] = (
                self.batches()
                .filter(sha256=batch.sha256, status=ImportStatus.SUCCEEDED)
                .exclude(pk=batch.pk)
                .filter(created_at__lt=batch.created_at)
                .order_by("-created_at")
                .first()
            )
        return context


class ImportStatusView(ImportMixin, generic.detail.SingleObjectMixin, generic.View):
    """A batch's progress as JSON (state, counts, percentage, a sentence), polled by its
    page while it runs; scoped as the page."""

    def get_queryset(self):
        return self.batches()

    def get(self, request, *args, **kwargs):
        return status_response(self.get_object())


def status_response(batch: ImportBatch, url: str | None = None) -> JsonResponse:
    """The JSON status of ``batch`` (also the provider portal's), never cached."""
    response = JsonResponse(status_payload(batch, url=url or batch.get_absolute_url()))
    response["Cache-Control"] = "no-store"
    return response


STATUS_CLASS = {
    ImportStatus.QUEUED: "badge--warn",
    ImportStatus.RUNNING: "badge--warn",
    ImportStatus.SUCCEEDED: "badge--ok",
    ImportStatus.REJECTED: "badge--failed",
    ImportStatus.FAILED: "badge--failed",
}


class ImportErrorsCsvView(ImportMixin, generic.detail.SingleObjectMixin, generic.View):
    """The errors of a batch as CSV (UTF-8 with BOM and ';', so that Excel opens it)."""

    def get_queryset(self):
        return self.batches()

    def get(self, request, *args, **kwargs):
        return errors_csv(self.get_object())


def errors_csv(batch: ImportBatch) -> HttpResponse:
    """The errors of ``batch`` as a CSV download (also the provider portal's). The messages
    are the batch's own: a BSN in them is already masked at the door (``validate.mask_bsn``,
    ``services._scrub``). Cells that a spreadsheet would run as a formula are made text."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importfouten-{batch.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("regel"), _("kolom"), _("melding")])
    for error in batch.errors or []:
        # column names and quoted values come from the uploaded file (a provider's, too)
        writer.writerow(safe_row([error["row"] or "", error["column"], error["message"]]))
    hidden = batch.error_count - len(batch.errors or [])
    if hidden > 0:
        writer.writerow(
            ["", "", _("… en nog %(count)s fouten; verbeter eerst deze.") % {"count": hidden}]
        )
    return response


class ImportHelpView(ImportMixin, generic.View):
    """docs/import.md, as plain text."""

    def get(self, request, *args, **kwargs):
        if not DOCS.exists():
            raise Http404
        return FileResponse(
            open(DOCS, "rb"),  # noqa: SIM115 - FileResponse closes it
            content_type="text/plain; charset=utf-8",
            as_attachment=False,
        )
