"""Pages of procurement. Every object comes through ``restrict(user, action)``; every change
goes through ``services``; a refused change is shown with the service's own reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.charts import timeline_chart
from core.ui.confirm import ConfirmActionMixin
from core.ui.formatting import format_date as _d
from core.ui.forms import error_messages as _errors
from core.ui.views import (
    ActionView,
    FormActionView,
    RegionMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WriteMixin,
)

from . import documents, filters, forms, kader, selectors, services, tables
from .codes import (
    ADMISSION_TYPES,
    SCORED_TYPES,
    FrameworkStatus,
    Outcome,
    TenderState,
)
from .models import (
    Framework,
    MunicipalView,
    Strategy,
    Submission,
    Tender,
)
from .signatory import signatory_for
from .strategy_panels import strategy_panels


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- frameworks


class FrameworkListView(ScopedListView):
    model = Framework
    table_class = tables.FrameworkTable
    filterset_class = filters.FrameworkFilterSet
    create_url_name = "procurement:framework-create"


class FrameworkDetailView(ScopedDetailView):
    model = Framework
    template_name = "procurement/framework_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["views"] = self.object.views.select_related("municipality").prefetch_related(
            "themes"
        )
        context["strategies"] = self.object.strategies.select_related("segment")
        order = services.FRAMEWORK_ORDER
        index = order.index(self.object.status)
        context["next_status"] = (
            FrameworkStatus(order[index + 1]) if index + 1 < len(order) else None
        )
        context["advance_form"] = forms.FrameworkAdvanceForm(initial={"on": timezone.localdate()})
        context.update(kader.framework_context(framework=self.object, views=context["views"]))
        return context


class FrameworkCreateView(ScopedCreateView):
    model = Framework
    form_class = forms.FrameworkForm
    create_service = services.framework_create


class FrameworkUpdateView(ScopedUpdateView):
    model = Framework
    form_class = forms.FrameworkForm
    update_service = services.framework_update


class FrameworkDeleteView(ScopedDeleteView):
    model = Framework
    delete_service = services.framework_delete


class FrameworkAdvanceView(ActionView):
    model = Framework

    def act(self, request):
        form = forms.FrameworkAdvanceForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Vul een geldige datum in."))
        status = request.POST.get("status", "")
        if status not in FrameworkStatus.values:
            raise ValidationError(_("Onbekende status."))
        services.framework_advance(framework=self.object, status=status, on=form.cleaned_data["on"])
        return _("Status gewijzigd in '%(s)s'.") % {"s": self.object.get_status_display()}


class FrameworkPdfView(ScopedDetailView):
    model = Framework

    def render_to_response(self, context, **kwargs):
        return pdf_response(
            documents.response_note_pdf(self.object), f"nota-van-reactie-{self.object.pk}.pdf"
        )


class FrameworkStrategiesView(ScopedDetailView):
    """Every regionally bought (sub-)segment with its strategy under this framework: was →
    wordt for procedure and funding, planned start, term and maximum number of providers."""

    model = Framework
    template_name = "procurement/strategy_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.strategy_overview(user=self.request.user, framework=self.object)
        return context


class FrameworkStrategiesPdfView(ScopedDetailView):
    model = Framework

    def render_to_response(self, context, **kwargs):
        rows = selectors.strategy_overview(user=self.request.user, framework=self.object)
        return pdf_response(
            documents.strategy_overview_pdf(self.object, rows),
            f"strategieoverzicht-{self.object.pk}.pdf",
        )


class FrameworkChildMixin(WriteMixin, RegionMixin):
    model = Framework

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.framework = get_object_or_404(self.scoped_queryset(), pk=kwargs["framework"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.framework.can_change(request.user):
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "framework": self.framework}

    def get_success_url(self):
        return self.framework.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.framework.get_absolute_url()
        return context


class MunicipalViewCreateView(FrameworkChildMixin, generic.CreateView):
    form_class = forms.MunicipalViewForm
    template_name = "generic/form.html"

    def write(self, form):
        return services.municipal_view_create(framework=self.framework, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Zienswijze vastleggen")
        return context


class MunicipalViewUpdateView(FrameworkChildMixin, generic.UpdateView):
    form_class = forms.MunicipalViewForm
    template_name = "generic/form.html"

    def get_object(self, queryset=None):
        return get_object_or_404(MunicipalView, framework=self.framework, pk=self.kwargs["pk"])

    def write(self, form):
        return services.municipal_view_update(municipal_view=self.object, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Wijzigen: %(object)s") % {"object": self.object}
        return context


# ---------------------------------------------------------------- strategies


class StrategyListView(ScopedListView):
    model = Strategy
    table_class = tables.StrategyTable
    filterset_class = filters.StrategyFilterSet
    create_url_name = "procurement:strategy-create"

    def get_queryset(self):
        return super().get_queryset().select_related("segment", "framework")


class StrategyDetailView(ScopedDetailView):
    model = Strategy
    template_name = "procurement/strategy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tenders"] = Tender.objects.visible_to(self.request.user).filter(
            strategy=self.object
        )
        context["start_form"] = forms.StartTenderForm()
        context["conditions"] = self.object.conditions.all()
        context["strategy_panels"] = strategy_panels(
            user=self.request.user, strategy=self.object, region=self.region
        )
        context["consultations"] = kader.consultations_for(
            user=self.request.user, strategy=self.object
        )
        return context


class StrategyCreateView(ScopedCreateView):
    model = Strategy
    form_class = forms.StrategyForm
    create_service = services.strategy_create


class StrategyUpdateView(ScopedUpdateView):
    model = Strategy
    form_class = forms.StrategyForm
    update_service = services.strategy_update


class StrategyDeleteView(ScopedDeleteView):
    model = Strategy
    delete_service = services.strategy_delete


class StrategyStartTenderView(ActionView):
    model = Strategy

    def act(self, request):
        form = forms.StartTenderForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Vul het kenmerk van de procedure in."))
        self.tender = services.tender_create_from_strategy(
            strategy=self.object, **form.cleaned_data
        )
        return _("Procedure %(t)s aangemaakt als concept.") % {"t": self.tender}

    def success_url(self):
        tender = getattr(self, "tender", None)
        if tender is None:
            return self.object.get_absolute_url()
        return reverse(
            "procurement:tender-setup", kwargs={"region": self.region.slug, "pk": tender.pk}
        )


# ---------------------------------------------------------------- tenders


class TenderListView(ScopedListView):
    model = Tender
    table_class = tables.TenderTable
    filterset_class = filters.TenderFilterSet
    create_url_name = "procurement:tender-create"

    def get_queryset(self):
        return selectors.tender_list(user=self.request.user, region=self.region)


def confidential(user, region) -> bool:
    """Submissions, scores and letters: region roles only, never municipal users."""
    return scope_for(user).has_role(region.pk, ALL_REGION_ROLES)


def milestone_chart(tender, timeline: list[dict]):
    """The timeline as planned against actual bars (None when no milestone has a date)."""
    bars = [
        (
            str(row["milestone"].get_kind_display()),
            row["milestone"].planned_on,
            row["milestone"].actual_on,
        )
        for row in timeline
    ]
    if not any(planned or actual for _label, planned, actual in bars):
        return None
    return timeline_chart(
        bars,
        title=_("Tijdlijn %(tender)s: gepland en werkelijk") % {"tender": tender.reference},
        today=timezone.localdate(),
        uid="tender-timeline",
    )


class TenderDetailView(ScopedDetailView):
    model = Tender
    template_name = "procurement/tender_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tender, user = self.object, self.request.user
        context["timeline"] = selectors.timeline(tender)
        context["timeline_chart"] = milestone_chart(tender, context["timeline"])
        context["lots"] = tender.lots.select_related("segment")
        context["criteria"] = tender.criteria.all()
        context["requirements"] = tender.requirements.all()
        context["document_requests"] = tender.document_requests.all()
        context["documents"] = tender.documents.all()
        context["is_scored"] = tender.procedure_type in SCORED_TYPES
        context["is_admission"] = tender.procedure_type in ADMISSION_TYPES
        context["confidential"] = confidential(user, self.region)
        if context["can_edit"]:
            context["options"] = selectors.transition_options(tender)
        if context["confidential"]:
            context["sealed"] = selectors.sealed_receipts(tender)
            subs = Submission.objects.visible_to(user).filter(tender=tender)
            context["counts"] = {
                "total": subs.count(),
                "live": subs.filter(is_live=True).count(),
                "preselected": subs.filter(preselected=True).count(),
                "awarded": subs.filter(outcome__in=[Outcome.AWARDED, Outcome.ADMITTED]).count(),
                "excluded": subs.filter(outcome=Outcome.EXCLUDED).count(),
            }
            context["events"] = tender.events.select_related("actor")
        context["windows"] = tender.windows.select_related("condition")
        context["window_open_form"] = forms.WindowOpenForm(
            tender=tender, initial={"on": timezone.localdate()}
        )
        context["has_conditions"] = selectors.admission_conditions_for(tender).exists()
        context["window_close_form"] = forms.WindowCloseForm(initial={"on": timezone.localdate()})
        context["open_window"] = tender.windows.filter(closed_on__isnull=True).first()
        context["accepting"] = services.tender_submission_refusal(tender=tender, at=timezone.now())
        context["questions_published"] = tender.questions.filter(published_in__isnull=False).count()
        if context["confidential"]:  # the signature and the letters kept (docs/letters.md)
            context["letter_signatory"] = signatory_for(tender, self.region)
            context["kept_letter_count"] = selectors.kept_letters(user, tender).count()
        return context


class TenderCreateView(ScopedCreateView):
    model = Tender
    form_class = forms.TenderForm
    create_service = services.tender_create

    def get_success_url(self):
        return reverse(
            "procurement:tender-setup", kwargs={"region": self.region.slug, "pk": self.object.pk}
        )


class TenderUpdateView(ScopedUpdateView):
    model = Tender
    form_class = forms.TenderForm
    update_service = services.tender_update

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        try:
            services.tender_check_editable(tender=obj)
        except ValidationError as exc:
            raise PermissionDenied(exc.messages[0]) from exc
        return obj


class TenderDeleteView(ScopedDeleteView):
    model = Tender
    delete_service = services.tender_delete

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        try:
            services.tender_check_deletable(tender=obj)
        except ValidationError as exc:
            raise PermissionDenied(exc.messages[0]) from exc
        return obj


class TenderSetupView(RegionMixin, generic.TemplateView):
    """Lots, requirements, award criteria and planned milestones of one procedure."""

    model = Tender
    template_name = "procurement/tender_setup.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.tender = get_object_or_404(self.scoped_queryset(), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.tender.can_change(request.user):
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def formsets(self, data=None):
        draft = self.tender.state == TenderState.DRAFT
        sets = {"milestones": forms.MilestoneFormSet(data, instance=self.tender, prefix="ms")}
        if draft:
            sets["lots"] = forms.LotFormSet(data, instance=self.tender, prefix="lots")
            sets["requirements"] = forms.RequirementFormSet(
                data, instance=self.tender, prefix="req"
            )
            if self.tender.procedure_type in SCORED_TYPES:
                sets["criteria"] = forms.CriterionFormSet(data, instance=self.tender, prefix="crit")
            sets["document_requests"] = forms.DocumentRequestFormSet(
                data, instance=self.tender, prefix="docs"
            )
        return sets

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.tender
        context["confidential"] = True
        context["title"] = _("Opzet: %(t)s") % {"t": self.tender}
        context.setdefault("sets", self.formsets())
        return context

    def post(self, request, *args, **kwargs):
        sets = self.formsets(request.POST)
        if all(fs.is_valid() for fs in sets.values()):
            try:
                services.tender_setup_save(
                    tender=self.tender, **{k: fs.cleaned_data for k, fs in sets.items()}
                )
            except ValidationError as exc:
                for reason in _errors(exc):
                    messages.error(request, reason)
                return self.render_to_response(self.get_context_data(sets=sets))
            messages.success(request, _("De opzet van de procedure is opgeslagen."))
            return redirect(self.tender)
        messages.error(request, _("Niet opgeslagen: verbeter de gemarkeerde velden."))
        return self.render_to_response(self.get_context_data(sets=sets))


#: the legal steps of a procedure that first show what will be recorded (core.ui.confirm)
CONFIRMED_STEPS = ("publish", "provisional_award", "start_objection", "award")


class TenderTransitionView(ConfirmActionMixin, ActionView):
    """A step of the procedure's workflow. Publishing and awarding (provisional, the decision
    sent, definitive) first show a confirmation page; a step the workflow refuses now goes back
    to the procedure with the reasons, before or after confirming."""

    model = Tender

    def needs_confirmation(self) -> bool:
        return self.kwargs["step"] in CONFIRMED_STEPS

    def confirm_title(self) -> str:
        return str(self.step.label)

    def confirmation_context(self) -> dict:
        return {**super().confirmation_context(), "eyebrow": self.object.reference}

    def confirmation(self, request):
        tender, name = self.object, self.kwargs["step"]
        self.step = step = selectors.transition_check(tender, name)
        today = _d(timezone.localdate())
        target = str(TenderState(step.target).label)
        summaries = {
            "publish": _(
                "Procedure %(ref)s wordt gepubliceerd op %(day)s; de fase wordt '%(state)s'."
            ),
            "provisional_award": _(
                "Procedure %(ref)s wordt voorlopig gegund op %(day)s; de fase wordt '%(state)s'."
            ),
            "start_objection": _(
                "De gunningsbeslissing van procedure %(ref)s wordt op %(day)s verstuurd naar "
                "de inschrijvers; de bezwaartermijn start en de fase wordt '%(state)s'."
            ),
            "award": _(
                "Procedure %(ref)s wordt op %(day)s definitief gegund; de contracten van de "
                "gegunde inschrijvingen worden aangemaakt en de fase wordt '%(state)s'."
            ),
        }
        items = [
            (_("Procedure"), f"{tender.reference} – {tender.title}"),
            (_("Huidige fase"), tender.get_state_display()),
            (_("Nieuwe fase"), target),
        ]
        if name in ("start_objection", "award"):
            awarded = selectors.awarded_provider_names(tender)
            items.append((_("Gegund aan"), "\n".join(awarded) or "—"))
        return {
            "summary": summaries[name] % {"ref": tender.reference, "day": today, "state": target},
            "items": items,
        }

    def act(self, request):
        name = self.kwargs["step"]
        reason = forms.ReasonForm(request.POST)
        reason.is_valid()
        tender = services.tender_transition(
            tender=self.object,
            name=name,
            user=request.user,
            reason=reason.cleaned_data.get("reason", ""),
        )
        return _("De procedure is nu in de fase '%(state)s'.") % {
            "state": tender.get_state_display()
        }


class WindowOpenView(FormActionView):
    """The decision to open a window of a conditional admission; a condition not defined for
    this procedure, or none defined at all, is refused at the condition field."""

    model = Tender
    form_class = forms.WindowOpenForm
    template_name = "procurement/window_open.html"
    title = gettext_lazy("Toelatingsvenster openen")
    section = "windows-title"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tender": self.object}

    def get_initial(self):
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tender"] = self.object
        context["has_conditions"] = selectors.admission_conditions_for(self.object).exists()
        context["cancel_url"] = self.object.get_absolute_url()
        return context

    def act(self, form):
        d = form.cleaned_data
        services.window_open(
            tender=self.object,
            condition=d["condition"],
            decision=d["decision"],
            on=d["on"],
            user=self.request.user,
        )
        return _("Het toelatingsvenster is geopend.")


class WindowDecisionPdfView(RegionMixin, generic.View):
    """The decision record of one window (PDF): the procedure, the condition's code and full
    text, the decision and who took it."""

    model = Tender

    def get(self, request, *args, **kwargs):
        tender = get_object_or_404(self.scoped_queryset(), pk=kwargs["tender"])
        window = get_object_or_404(tender.windows, pk=kwargs["pk"])
        return pdf_response(
            documents.window_decision_pdf(window),
            f"besluit-venster-{tender.reference}-{window.pk}.pdf",
        )


class WindowCloseView(ActionView):
    model = Tender

    def act(self, request):
        form = forms.WindowCloseForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Vul een geldige datum in."))
        services.window_close(
            tender=self.object, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
        )
        return _("Het toelatingsvenster is gesloten.")
