"""The portal's procedures: the region's published procedures with their documents, Q&A,
requirements and award criteria; questions; the provider's own submissions (or applications)
per lot, changed or withdrawn until the deadline and sealed after it. Every object comes
through ``visible_to(user)`` (the provider scope) and, for submissions, belongs to
``self.provider``; every change goes through ``procurement.services``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.files import serve
from core.ui.formatting import format_moment
from core.ui.forms import add_service_errors, error_messages
from core.ui.views import PostOnlyMixin, SheetExportMixin
from procurement import admission, documents, selectors, services
from procurement.codes import ADMISSION_TYPES, AdmissionMode, ProcedureType, TenderState
from procurement.models import (
    Lot,
    Question,
    Submission,
    SubmissionFile,
    Tender,
    TenderDocument,
)

from . import forms_procedures as forms
from .views import PortalMixin


@dataclass
class Timing:
    """When a procedure takes submissions, as the provider reads it."""

    open: bool  # it takes a submission now
    deadline: object = None  # a datetime (tenders)
    window_from: date | None = None  # the admission window / moment now open
    window_until: date | None = None
    next_moment: date | None = None
    continuous: bool = False


def procedure_timing(tender: Tender, now=None) -> Timing:
    now = now or timezone.now()
    today = timezone.localdate(now)
    is_open = services.tender_submission_refusal(tender=tender, at=now) is None
    if tender.procedure_type not in ADMISSION_TYPES:
        return Timing(is_open, deadline=tender.submission_deadline)
    if tender.procedure_type == ProcedureType.CONDITIONAL_ADMISSION:
        window = next((w for w in tender.windows.all() if w.closed_on is None), None)
        return Timing(is_open, window_from=window.opened_on if window else None)
    if tender.admission_mode == AdmissionMode.MOMENTS:
        current = admission.moment_window(
            tender.admission_months, tender.admission_window_days, today
        )
        return Timing(
            is_open,
            window_from=current[0] if current else None,
            window_until=current[1] if current else None,
            next_moment=admission.next_moment(tender.admission_months, today),
        )
    return Timing(is_open, continuous=True)


def published_procedures(*, user, region):
    """The region's procedures a provider may read (never a draft), newest first."""
    return (
        Tender.objects.visible_to(user)
        .filter(region=region)
        .prefetch_related("lots__segment", "windows")
        .order_by("-created_at", "reference")
    )


def own_submissions(*, user, provider):
    return (
        Submission.objects.visible_to(user)
        .filter(provider=provider)
        .select_related("tender", "lot__segment")
        .order_by("-received_at")
    )


class ProcedureListView(SheetExportMixin, PortalMixin, generic.TemplateView):
    template_name = "portal/procedures/list.html"
    portal_section = "procedures"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        tenders = list(published_procedures(user=self.request.user, region=self.region))
        context["title"] = _("Procedures")
        context["rows"] = [(t, procedure_timing(t, now)) for t in tenders]
        return context

    def export_sheets(self, context) -> dict:
        def timing(row):
            tender, when = row
            return render_to_string(
                "portal/procedures/_timing.html", {"tender": tender, "timing": when}
            ).strip()

        def lots(row):
            return "; ".join(
                f"{lot.number}. {lot.title or lot.segment.name}" for lot in row[0].lots.all()
            )

        columns = [
            (_("Kenmerk"), lambda r: r[0].reference),
            (_("Procedure"), lambda r: r[0].title),
            (_("Soort"), lambda r: r[0].get_procedure_type_display()),
            (_("Fase"), lambda r: r[0].get_state_display()),
            (_("Open voor inschrijving"), lambda r: bool(r[1].open)),
            (_("Termijn of toelating"), timing),
            (_("Percelen"), lots),
        ]
        return {"procedures": records_sheet(_("Procedures"), columns, context["rows"])}


class ProcedureMixin(PortalMixin):
    """``self.tender``: a procedure of the provider's region the user may read."""

    portal_section = "procedures"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.tender = get_object_or_404(
            published_procedures(user=request.user, region=self.region), pk=kwargs["tender"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.tender
        return context


class ProcedureDetailView(ProcedureMixin, generic.TemplateView):
    template_name = "portal/procedures/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, tender = self.request.user, self.tender
        questions = Question.objects.visible_to(user).filter(tender=tender)
        published = questions.filter(published_in__isnull=False).order_by("published_in", "number")
        subs = own_submissions(user=user, provider=self.provider).filter(tender=tender)
        live_lots = {s.lot_id for s in subs if s.is_live}
        timing = procedure_timing(tender)
        context.update(
            title=str(tender),
            timing=timing,
            lots=[(lot, lot.pk in live_lots) for lot in tender.lots.select_related("segment")],
            documents=TenderDocument.objects.visible_to(user).filter(tender=tender),
            published=published,
            notas=sorted({q.published_in for q in published}),
            own_questions=questions.filter(asked_by=self.provider, published_in__isnull=True),
            requirements=tender.requirements.all(),
            criteria=tender.criteria.all(),
            document_requests=tender.document_requests.all(),
            submissions=subs,
            is_admission=tender.procedure_type in ADMISSION_TYPES,
            can_ask=tender.state in (TenderState.PUBLISHED, TenderState.QNA, TenderState.ADMISSION),
        )
        return context


class ProcedureDocumentView(ProcedureMixin, generic.View):
    def get(self, request, *args, **kwargs):
        doc = get_object_or_404(
            TenderDocument.objects.visible_to(request.user).filter(tender=self.tender),
            pk=kwargs["pk"],
        )
        return serve(doc.file)


class ProcedureNotaView(ProcedureMixin, generic.View):
    """A published nota van inlichtingen (the askers anonymised)."""

    def get(self, request, *args, **kwargs):
        number = kwargs["number"]
        published = Question.objects.visible_to(request.user).filter(
            tender=self.tender, published_in=number
        )
        if not published.exists():
            raise Http404
        response = HttpResponse(
            documents.qna_pdf(self.tender, number), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="nota-van-inlichtingen-{self.tender.reference}-{number}.pdf"'
        )
        return response


class ProcedureQuestionView(ProcedureMixin, generic.FormView):
    template_name = "portal/procedures/question.html"
    form_class = forms.PortalQuestionForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Vraag stellen")
        context["closed"] = self.tender.state not in (
            TenderState.PUBLISHED,
            TenderState.QNA,
            TenderState.ADMISSION,
        )
        return context

    def form_valid(self, form):
        try:
            question = services.question_ask(
                tender=self.tender,
                text=form.cleaned_data["text"],
                reference=form.cleaned_data["reference"],
                provider=self.provider,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Uw vraag is ontvangen als vraag %(n)s. Het antwoord verschijnt in een nota van "
                "inlichtingen, zonder uw naam."
            )
            % {"n": question.number},
        )
        return redirect("portal:procedure-detail", provider=self.provider.pk, tender=self.tender.pk)


class LotMixin(ProcedureMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.lot = get_object_or_404(
            Lot.objects.visible_to(request.user).filter(tender=self.tender), pk=kwargs["lot"]
        )
        self.lot.tender = self.tender


class SubmissionFormMixin:
    template_name = "portal/procedures/submission_form.html"
    form_class = forms.PortalSubmissionForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "lot": self.lot,
            "provider": self.form_provider(),
            "submission": getattr(self, "object", None),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lot"] = self.lot
        context["coverage_url"] = _coverage_url(self.provider, self.tender, self.lot)
        return context


def _coverage_url(provider, tender, lot) -> str:
    return reverse(
        "portal:procedure-coverage",
        kwargs={"provider": provider.pk, "tender": tender.pk, "lot": lot.pk},
    )


class SubmissionCreateView(SubmissionFormMixin, LotMixin, generic.FormView):
    """Submit (or apply) in one lot, for ``self.provider``; received at the server's time."""

    def form_provider(self):
        return self.provider

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = (
            _("Aanmelden: %(lot)s")
            if self.tender.procedure_type in ADMISSION_TYPES
            else _("Inschrijven: %(lot)s")
        ) % {"lot": self.lot}
        context["refusal"] = services.tender_submission_refusal(
            tender=self.tender, at=timezone.now()
        )
        return context

    def form_valid(self, form):
        try:
            sub = services.submission_submit(
                lot=self.lot,
                provider=self.provider,
                user=self.request.user,
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Uw inschrijving is ontvangen op %(at)s onder nummer %(n)s.")
            % {"at": format_moment(sub.received_at, seconds=True), "n": sub.number},
        )
        return redirect("portal:procedure-submission", provider=self.provider.pk, pk=sub.pk)


class CoverageCheckView(LotMixin, generic.View):
    """The coverage rule for the care forms ticked so far (``?zorgvorm=…``), as JSON: the same
    pure rule the service checks again on submit."""

    def get(self, request, *args, **kwargs):
        try:
            ids = [int(v) for v in request.GET.getlist("zorgvorm")]
        except ValueError:
            return JsonResponse({"problems": [_("Onbekende jeugdhulpvorm.")]}, status=400)
        problems = selectors.coverage_problems_for(
            lot=self.lot, provider=self.provider, care_form_ids=ids
        )
        return JsonResponse({"ok": not problems, "problems": [str(p) for p in problems]})


class OwnSubmissionMixin(PortalMixin):
    """``self.object``: a submission of ``self.provider`` (any other: 404)."""

    portal_section = "procedures"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            own_submissions(user=request.user, provider=self.provider), pk=kwargs["pk"]
        )
        self.tender = self.object.tender
        self.lot = self.object.lot
        self.lot.tender = self.tender

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, tender=self.tender)
        context["refusal"] = services.submission_change_refusal(submission=self.object)
        return context


class SubmissionDetailView(OwnSubmissionMixin, generic.TemplateView):
    template_name = "portal/procedures/submission_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sub = self.object
        context["title"] = _("Inschrijving nr. %(n)s") % {"n": sub.number}
        context["checks"] = sub.checks.select_related("requirement")
        context["care_forms"] = sub.care_forms.all()
        context["files"] = (
            SubmissionFile.objects.visible_to(self.request.user)
            .filter(submission=sub)
            .select_related("requirement", "request")
        )
        context["is_admission"] = self.tender.procedure_type in ADMISSION_TYPES
        return context


class SubmissionUpdateView(SubmissionFormMixin, OwnSubmissionMixin, generic.FormView):
    def form_provider(self):
        return self.object.provider

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Inschrijving nr. %(n)s wijzigen") % {"n": self.object.number}
        return context

    def dispatch(self, request, *args, **kwargs):
        refusal = services.submission_change_refusal(submission=self.object)
        if refusal and request.user.is_authenticated:
            messages.error(request, refusal)
            return redirect(
                "portal:procedure-submission", provider=self.provider.pk, pk=self.object.pk
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.submission_change(
                submission=self.object, user=self.request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Uw inschrijving is gewijzigd."))
        return redirect("portal:procedure-submission", provider=self.provider.pk, pk=self.object.pk)


class SubmissionWithdrawView(PostOnlyMixin, OwnSubmissionMixin, generic.View):
    def post(self, request, *args, **kwargs):
        try:
            services.submission_withdraw_by_provider(submission=self.object, user=request.user)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Uw inschrijving is ingetrokken."))
        return redirect("portal:procedure-submission", provider=self.provider.pk, pk=self.object.pk)


class SubmissionFileView(OwnSubmissionMixin, generic.View):
    def get(self, request, *args, **kwargs):
        row = get_object_or_404(
            SubmissionFile.objects.visible_to(request.user).filter(submission=self.object),
            pk=kwargs["file"],
        )
        return serve(row.file, filename=row.name)
