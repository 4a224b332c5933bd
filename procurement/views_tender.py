"""Pages under one procedure: documents, questions and answers, submissions, scoring, letters,
ranking and coverage. Every object comes through restrict(user, action); every change goes
through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.files import serve
from core.roles import ASSESSORS, PROCUREMENT_EDITORS
from core.scoping import scope_for
from core.ui.confirm import confirmation_response, is_confirmed
from core.ui.formatting import format_date as _d
from core.ui.formatting import format_moment
from core.ui.forms import error_messages as _errors
from core.ui.views import RegionMixin, SheetExportMixin
from providers import inbox

from . import documents, forms, letters, selectors, services
from .codes import ADMISSION_TYPES, SCORED_TYPES, Outcome, TenderState
from .models import Question, Score, Submission, SubmissionFile, Tender, TenderDocument
from .views import confidential, pdf_response


class TenderChildMixin(RegionMixin):
    """Pages under one tender; ``tender`` from the URL among the tenders the user may see."""

    model = Tender
    needs = "view"  # "view", "confidential", "edit" or "assess"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.tender = get_object_or_404(
            Tender.objects.restrict(request.user).filter(region=self.region), pk=kwargs["tender"]
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            scope = scope_for(request.user)
            if self.needs != "view" and not confidential(request.user, self.region):
                raise Http404
            if self.needs == "edit" and not scope.has_role(self.region.pk, PROCUREMENT_EDITORS):
                raise PermissionDenied(_("Alleen de inkoper van de regio mag dit wijzigen."))
            if self.needs == "assess" and not scope.has_role(self.region.pk, ASSESSORS):
                raise PermissionDenied(_("Alleen leden van de beoordelingscommissie scoren."))
        return super().dispatch(request, *args, **kwargs)

    def user_can_edit(self):
        return scope_for(self.request.user).has_role(self.region.pk, PROCUREMENT_EDITORS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.tender
        context["cancel_url"] = self.tender.get_absolute_url()
        context["confidential"] = confidential(self.request.user, self.region)
        return context

    def submission(self, pk):
        return get_object_or_404(
            Submission.objects.restrict(self.request.user)
            .filter(tender=self.tender)
            .select_related("provider", "lot__segment"),
            pk=pk,
        )


class DocumentCreateView(TenderChildMixin, generic.CreateView):
    needs = "edit"
    form_class = forms.DocumentForm
    template_name = "generic/form.html"

    def form_valid(self, form):
        services.document_add(tender=self.tender, document=form.instance)
        messages.success(self.request, _("Document toegevoegd."))
        return redirect(self.tender)


class DocumentDownloadView(TenderChildMixin, generic.View):
    def get(self, request, *args, **kwargs):
        doc = get_object_or_404(
            TenderDocument.objects.restrict(request.user).filter(tender=self.tender),
            pk=kwargs["pk"],
        )
        return FileResponse(doc.file.open("rb"), as_attachment=True)


class QnaView(TenderChildMixin, generic.TemplateView):
    template_name = "procurement/qna.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = Question.objects.restrict(self.request.user).filter(tender=self.tender)
        context["questions"] = questions.select_related("asked_by")
        context["confidential"] = confidential(self.request.user, self.region)
        context["title"] = _("Vragen en antwoorden")
        context["notas"] = sorted({q.published_in for q in questions if q.published_in is not None})
        if context["can_edit"]:
            context["question_form"] = kwargs.get("question_form") or forms.QuestionForm(
                tender=self.tender, user=self.request.user
            )
        return context

    def post(self, request, *args, **kwargs):
        if not self.user_can_edit():
            raise PermissionDenied
        form = forms.QuestionForm(request.POST, tender=self.tender, user=request.user)
        if form.is_valid():
            try:
                q = services.question_ask(
                    tender=self.tender,
                    text=form.cleaned_data["text"],
                    provider=form.cleaned_data["asked_by"],
                    reference=form.cleaned_data["reference"],
                )
            except ValidationError as exc:
                for e in _errors(exc):
                    messages.error(request, e)
            else:
                messages.success(request, _("%(q)s is vastgelegd.") % {"q": q})
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(question_form=form))


class AnswerView(TenderChildMixin, generic.FormView):
    needs = "edit"
    form_class = forms.AnswerForm
    template_name = "generic/form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.question = get_object_or_404(
            Question.objects.restrict(request.user).filter(tender=self.tender), pk=kwargs["pk"]
        )

    def get_initial(self):
        return {"answer": self.question.answer}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Antwoord op %(q)s") % {"q": self.question}
        context["intro"] = self.question.text
        return context

    def form_valid(self, form):
        try:
            services.question_answer(question=self.question, text=form.cleaned_data["answer"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Antwoord opgeslagen."))
        return redirect("procurement:qna", region=self.region.slug, tender=self.tender.pk)


class QnaPublishView(TenderChildMixin, generic.View):
    needs = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            number = services.answers_publish(tender=self.tender)
        except ValidationError as exc:
            for e in _errors(exc):
                messages.error(request, e)
        else:
            messages.success(
                request, _("Nota van inlichtingen %(n)s gepubliceerd.") % {"n": number}
            )
        return redirect("procurement:qna", region=self.region.slug, tender=self.tender.pk)


class QnaPdfView(TenderChildMixin, generic.View):
    def get(self, request, *args, **kwargs):
        number = kwargs["number"]
        if not self.tender.questions.filter(published_in=number).exists():
            raise Http404
        return pdf_response(
            documents.qna_pdf(self.tender, number),
            f"nota-van-inlichtingen-{self.tender.reference}-{number}.pdf",
        )


def eligibility_text(eligible) -> str:
    """A submission's eligibility as the pages show it: open, yes or no."""
    if eligible is None:
        return _("open")
    return _("ja") if eligible else _("nee")


def weight_text(weight) -> str:
    """A criterion's weight as the page's header: 25, or 12,50."""
    if weight == weight.to_integral_value():
        return f"{weight:.0f}"
    return f"{weight:.2f}".replace(".", ",")


class SubmissionListView(SheetExportMixin, TenderChildMixin, generic.TemplateView):
    needs = "confidential"
    template_name = "procurement/submission_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subs = (
            Submission.objects.restrict(self.request.user)
            .filter(tender=self.tender)
            .select_related("provider", "lot")
        )
        outcome = self.request.GET.get("uitkomst")
        if outcome in Outcome.values:
            subs = subs.filter(outcome=outcome)
        context["submissions"] = subs
        context["outcomes"] = Outcome.choices
        context["chosen_outcome"] = outcome
        context["title"] = _("Inschrijvingen")
        context["accepting"] = services.tender_submission_refusal(
            tender=self.tender, at=timezone.now()
        )
        # before the deadline: only that submissions were received (restrict() hides them)
        context["sealed"] = selectors.sealed_receipts(self.tender)
        return context

    def export_sheets(self, context) -> dict:
        """The page's table: while sealed only the receipts (number, time), as the page."""
        title = _("Inschrijvingen %(tender)s") % {"tender": self.tender.reference}
        if context["sealed"] is not None:
            columns = [(_("Nr."), "number"), (_("Ontvangen"), "received_at")]
            return {"inschrijvingen": records_sheet(title, columns, context["sealed"])}
        columns = [
            (_("Nr."), "number"),
            (_("Inschrijver"), "provider.name"),
            (_("Samenwerkingsverband"), "provider.is_consortium"),
            (_("Perceel"), "lot.number"),
            (_("Ontvangen"), "received_at"),
            (_("Geschikt"), lambda s: eligibility_text(s.eligible)),
            (_("Score"), "total_score"),
            (_("Rang"), "rank"),
            (_("Gepreselecteerd"), "preselected"),
            (_("Uitkomst"), "get_outcome_display"),
        ]
        return {"inschrijvingen": records_sheet(title, columns, context["submissions"])}


class SubmissionCreateView(TenderChildMixin, generic.FormView):
    needs = "edit"
    form_class = forms.SubmissionForm
    template_name = "generic/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tender": self.tender, "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Inschrijving ontvangen")
        return context

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            sub = services.submission_create(
                lot=d["lot"],
                provider=d["provider"],
                care_form_ids=[f.pk for f in d["care_forms"]],
                at=d["received_at"],
                entered_by=self.request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    for e in errs:
                        form.add_error(field if field in form.fields else None, e)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        if self.tender.is_sealed():
            # sealed until the deadline, also for the officer who typed it in
            deadline = timezone.localtime(self.tender.submission_deadline)
            messages.success(
                self.request,
                _("Inschrijving nr. %(n)s is ontvangen en verzegeld tot %(deadline)s.")
                % {"n": sub.number, "deadline": format_moment(deadline)},
            )
            return redirect(
                "procurement:submission-list", region=self.region.slug, tender=self.tender.pk
            )
        messages.success(self.request, _("%(s)s is ontvangen.") % {"s": sub})
        return redirect(sub)


class SubmissionDetailView(TenderChildMixin, generic.TemplateView):
    needs = "confidential"
    template_name = "procurement/submission_detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.submission(kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sub, tender, user = self.object, self.tender, self.request.user
        scope = scope_for(user)
        context["object"] = sub
        context["title"] = str(sub)
        context["checks"] = sub.checks.select_related("requirement")
        context["files"] = (
            SubmissionFile.objects.restrict(user)
            .filter(submission=sub)
            .select_related("requirement", "request")
        )
        context["entered_by"] = sub.entered_by
        context["is_scored"] = tender.procedure_type in SCORED_TYPES
        context["is_admission"] = tender.procedure_type in ADMISSION_TYPES
        context["judgement"] = sub.provider.admissibility(
            timezone.localdate(), segment=sub.lot.segment_id
        )
        context["care_forms"] = sub.care_forms.all()
        context["consensus"] = sub.consensus.select_related("criterion")
        context["scores"] = (
            Score.objects.restrict(user)
            .filter(submission=sub)
            .select_related("criterion", "assessor")
        )
        can_edit = context["can_edit"]
        context["can_judge"] = (
            can_edit
            and sub.is_live
            and tender.state in (TenderState.ELIGIBILITY, TenderState.ADMISSION)
        )
        if context["can_judge"]:
            context["checklist"] = kwargs.get("checklist") or forms.ChecklistForm(
                checks=context["checks"]
            )
        context["can_score"] = (
            context["is_scored"]
            and tender.state == TenderState.SCORING
            and sub.eligible
            and sub.is_live
            and scope.has_role(self.region.pk, ASSESSORS)
        )
        context["can_decide_admission"] = (
            can_edit
            and context["is_admission"]
            and sub.is_live
            and sub.outcome == Outcome.PENDING
            and tender.state == TenderState.ADMISSION
        )
        context["admission_form"] = forms.AdmissionDecisionForm()
        context["can_set_outcome"] = (
            can_edit
            and tender.state == TenderState.PROVISIONAL_AWARD
            and sub.eligible
            and sub.outcome in (Outcome.PENDING, Outcome.AWARDED, Outcome.NOT_AWARDED)
        )
        context["can_withdraw"] = (
            can_edit
            and sub.is_live
            and sub.outcome != Outcome.ADMITTED
            and tender.is_open
            and tender.state not in (TenderState.DEFINITIVE_AWARD, TenderState.ADMISSION)
        ) or (can_edit and sub.is_live and sub.outcome == Outcome.PENDING)
        context["withdraw_form"] = forms.WithdrawForm()
        context["outcome_form"] = forms.OutcomeForm(
            initial={"outcome": sub.outcome, "outcome_reason": sub.outcome_reason}
        )
        context["can_negotiate"] = (
            can_edit
            and tender.state in (TenderState.NEGOTIATION, TenderState.PROVISIONAL_AWARD)
            and (sub.preselected or tender.procedure_type != "sas")
        )
        context["negotiation_form"] = forms.NegotiationForm(
            initial={"notes": sub.negotiation_notes}
        )
        context["letters"] = _letters(sub, tender)
        context.update(inbox_context(sub, tender, user))
        context["kept_letters"] = selectors.kept_letters(user, tender, sub)
        context["contract"] = getattr(sub, "contract", None) if hasattr(sub, "contract") else None
        return context

    def post(self, request, *args, **kwargs):
        """The eligibility checklist."""
        if not self.user_can_edit():
            raise PermissionDenied
        checks = self.object.checks.select_related("requirement")
        form = forms.ChecklistForm(request.POST, checks=checks)
        if form.is_valid():
            try:
                services.submission_record_checks(submission=self.object, rows=form.rows())
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for req_id, errs in exc.message_dict.items():
                        for e in errs:
                            form.add_error(f"evidence_{req_id}", e)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("De toets is opgeslagen."))
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(checklist=form))


def inbox_context(sub, tender, user) -> dict:
    """What went to the provider's inbox about this submission (letters, requests, notas of
    the procedure) with read receipts and answers, and which letters did not go out."""
    sent = list(
        inbox.messages_about(user, provider=sub.provider, submission_id=sub.pk, tender_id=tender.pk)
    )
    keys = {m.dedupe_key for m in sent}
    return {
        "inbox_messages": sent,
        "letters_unsent": [
            kind
            for kind in letters.expected_letters(sub, tender)
            if letters.letter_key(kind, sub.pk) not in keys
        ],
    }


class SubmissionFileView(TenderChildMixin, generic.View):
    """A file of a submission, found through ``restrict()``: sealed until the deadline."""

    needs = "confidential"

    def get(self, request, *args, **kwargs):
        row = get_object_or_404(
            SubmissionFile.objects.restrict(request.user).filter(
                submission__tender=self.tender, submission_id=kwargs["pk"]
            ),
            pk=kwargs["file"],
        )
        return serve(row.file, filename=row.name)


def _letters(sub, tender) -> list[tuple[str, str]]:
    """Which award letters exist for this submission (kind, label)."""
    letters = []
    decided = sub.outcome not in (Outcome.PENDING, Outcome.WITHDRAWN)
    if decided and tender.state in (
        TenderState.OBJECTION,
        TenderState.DEFINITIVE_AWARD,
        TenderState.IMPLEMENTATION,
        TenderState.PROVISIONAL_AWARD,
    ):
        letters.append(("provisional", _("Voorlopige gunningsbeslissing")))
    if sub.outcome in (Outcome.AWARDED, Outcome.ADMITTED) and tender.state in (
        TenderState.DEFINITIVE_AWARD,
        TenderState.IMPLEMENTATION,
        TenderState.ADMISSION,
        TenderState.ENDED,
    ):
        letters.append(("definitive", _("Definitieve gunning")))
    return letters


class SubmissionActionView(TenderChildMixin, generic.View):
    needs = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        sub = self.submission(kwargs["pk"])
        action = kwargs["action"]
        if action == "toelating" and not is_confirmed(request):
            # admitting or refusing is a legal decision: first what will be recorded
            try:
                return self.confirm_admission(sub, request)
            except ValidationError as exc:
                for e in _errors(exc):
                    messages.error(request, e)
                return redirect(sub)
        try:
            message = self.act(action, sub, request.POST)
        except ValidationError as exc:
            for e in _errors(exc):
                messages.error(request, e)
        else:
            messages.success(request, message)
        return redirect(sub)

    def confirm_admission(self, sub, request):
        """The confirmation page of an admission decision (the service's checks run first,
        nothing is written); a refusal raises ``ValidationError``."""
        form = forms.AdmissionDecisionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Kies toelaten of afwijzen en motiveer het besluit."))
        admit = form.cleaned_data["decision"] == "admit"
        services.submission_admission_check(
            submission=sub, admit=admit, reason=form.cleaned_data["outcome_reason"]
        )
        values = {
            "provider": sub.provider.name,
            "tender": self.tender.reference,
            "day": _d(timezone.localdate()),
        }
        if admit:
            summary = _(
                "%(provider)s wordt op %(day)s toegelaten tot %(tender)s; het contract wordt "
                "aangemaakt en de beslissing gaat als brief naar de aanbieder."
            )
        else:
            summary = _(
                "De aanmelding van %(provider)s voor %(tender)s wordt op %(day)s afgewezen; de "
                "beslissing gaat als brief naar de aanbieder."
            )
        return confirmation_response(
            request,
            title=_("Toelaten") if admit else _("Afwijzen"),
            summary=summary % values,
            items=[
                (_("Aanbieder"), sub.provider.name),
                (_("Perceel"), str(sub.lot)),
                (_("Besluit"), _("toelaten") if admit else _("afwijzen")),
                (_("Motivering"), form.cleaned_data["outcome_reason"]),
            ],
            danger=not admit,
            back_url=sub.get_absolute_url(),
            context={"region": self.region, "eyebrow": f"{self.tender.reference} · {sub}"},
        )

    def act(self, action, sub, data):
        if action == "uitkomst":
            form = forms.OutcomeForm(data)
            if not form.is_valid():
                raise ValidationError(_("Kies een uitkomst en motiveer die."))
            services.submission_set_outcome(
                submission=sub,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["outcome_reason"],
            )
            return _("Uitkomst opgeslagen.")
        if action == "toelating":
            form = forms.AdmissionDecisionForm(data)
            if not form.is_valid():
                raise ValidationError(_("Kies toelaten of afwijzen en motiveer het besluit."))
            services.submission_decide_admission(
                submission=sub,
                admit=form.cleaned_data["decision"] == "admit",
                reason=form.cleaned_data["outcome_reason"],
                user=self.request.user,
            )
            return _("Besluit vastgelegd: %(o)s.") % {"o": sub.get_outcome_display()}
        if action == "onderhandeling":
            form = forms.NegotiationForm(data)
            if not form.is_valid():
                raise ValidationError(_("Vul het verslag in."))
            services.submission_record_negotiation(submission=sub, notes=form.cleaned_data["notes"])
            return _("Verslag opgeslagen.")
        if action == "intrekken":
            form = forms.WithdrawForm(data)
            if not form.is_valid():
                raise ValidationError(_("Geef de reden van intrekking."))
            services.submission_withdraw(submission=sub, reason=form.cleaned_data["reason"])
            return _("Inschrijving ingetrokken.")
        raise Http404


class LetterView(TenderChildMixin, generic.View):
    needs = "confidential"

    def get(self, request, *args, **kwargs):
        sub = self.submission(kwargs["pk"])
        kind = kwargs["kind"]
        if kind not in dict(_letters(sub, self.tender)):
            raise Http404
        return pdf_response(
            documents.award_letter_pdf(sub, kind),
            f"{'voorlopige' if kind == 'provisional' else 'definitieve'}-gunning-"
            f"{self.tender.reference}-{sub.number}.pdf",
        )
