"""The tab "Bezwaar en bewijsstukken" of a procedure: the objection register, the admissibility
of the (prospective) winners with their recorded exceptions, and the evidence asked of the
provisional winners. Region roles read it (it names bidders); the procurement officer records
and decides. Every change goes through ``procurement.objections``; every object is found
through the tender in the URL, which ``restrict()`` scoped.

Also here: the staff download of a decision letter as it was kept in a provider's inbox."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.export import records_sheet
from core.files import serve
from core.ui.forms import DateInput, add_service_errors
from core.ui.views import SheetExportMixin
from providers.models import Provider

from . import award_rules, objections, selectors
from .models import EvidenceItem, EvidenceRequest, Objection, Submission
from .objection_models import ObjectionKind
from .views_tender import TenderChildMixin

DATE = DateInput()
DEFAULT_EVIDENCE = (
    "Uittreksel Kamer van Koophandel\nGedragsverklaring aanbesteden\nVerzekeringspolis "
    "beroeps- en bedrijfsaansprakelijkheid"
)


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Soort"), choices=ObjectionKind.choices)
    lot = forms.ModelChoiceField(
        label=gettext_lazy("Perceel"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("De hele procedure"),
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Ingediend door (inschrijver)"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Geen inschrijver: vul de naam in"),
    )
    submitter_name = forms.CharField(
        label=gettext_lazy("Naam van de indiener (geen inschrijver)"),
        required=False,
        max_length=200,
    )
    received_on = forms.DateField(label=gettext_lazy("Ontvangen op"), widget=DATE)
    grounds = forms.CharField(
        label=gettext_lazy("Gronden"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )

    def __init__(self, *args, tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = tender.lots.select_related("segment")
        self.fields["provider"].queryset = Provider.objects.filter(
            submissions__tender=tender
        ).distinct()


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Uitkomst"),
        choices=[(o.value, o.label) for o in objections.DECISION_OUTCOMES],
    )
    decided_on = forms.DateField(label=gettext_lazy("Beslist op"), widget=DATE)
    decision = forms.CharField(
        label=gettext_lazy("Beslissing en motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
    )
    document = forms.FileField(label=gettext_lazy("Beslisdocument (optioneel)"), required=False)


class WithdrawForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Ingetrokken op"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Toelichting"), required=False, max_length=2000)


class ExceptionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motivering van de uitzondering"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class EvidenceForm(forms.Form):
    items = forms.CharField(
        label=gettext_lazy("Bewijsstukken (één per regel)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=DEFAULT_EVIDENCE,
        max_length=4000,
    )
    due_on = forms.DateField(label=gettext_lazy("Uiterlijk op"), widget=DATE)
    text = forms.CharField(
        label=gettext_lazy("Toelichting aan de aanbieder"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class ItemCheckForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van afkeuren"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Alleen nodig bij afkeuren."),
    )


class ObjectionsView(SheetExportMixin, TenderChildMixin, generic.TemplateView):
    """The register and the award's safeguards of one procedure (GET); the officer's forms
    post here too (``action`` and ``target`` name what is changed)."""

    needs = "confidential"
    template_name = "procurement/objections.html"

    def export_sheets(self, context) -> dict:
        """The objection register as the page shows it."""
        columns = [
            (_("Nr."), "number"),
            (_("Soort"), "get_kind_display"),
            (_("Indiener"), lambda obj: str(obj.submitter)),
            (_("Perceel"), lambda obj: str(obj.lot) if obj.lot else _("Hele procedure")),
            (_("Ontvangen"), "received_on"),
            (_("Gronden"), "grounds"),
            (_("Status"), "get_status_display"),
            (_("Uitkomst"), "get_outcome_display"),
            (_("Beslist op"), "decided_on"),
            (_("Beslissing"), "decision"),
        ]
        title = _("Bezwaarregister %(reference)s") % {"reference": self.tender.reference}
        return {"bezwaren": records_sheet(title, columns, context["register"])}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tender, today = self.tender, timezone.localdate()
        bound = kwargs.get("bound", {})
        context["title"] = _("Bezwaar en bewijsstukken: %(t)s") % {"t": tender.reference}
        context["can_edit"] = self.user_can_edit()
        register = list(
            Objection.objects.restrict(self.request.user)
            .filter(tender=tender)
            .select_related("lot__segment", "provider")
        )
        for obj in register:
            obj.decide_form = bound.get(("decide", obj.pk)) or DecideForm(
                prefix=f"decide-{obj.pk}", initial={"decided_on": today}
            )
            obj.withdraw_form = bound.get(("withdraw", obj.pk)) or WithdrawForm(
                prefix=f"withdraw-{obj.pk}", initial={"on": today}
            )
        context["register"] = register
        context["objection_phase"] = tender.state in objections.OBJECTION_STATES
        context["evidence_phase"] = tender.state in objections.EVIDENCE_STATES
        context["objection_form"] = bound.get(("record", 0)) or ObjectionForm(
            tender=tender, prefix="record", initial={"received_on": today}
        )
        context["award_blockers"] = self.award_blockers()
        context["winners"] = self.winners(today, bound)
        return context

    def award_blockers(self):
        """Why the definitive award waits (the award step's own reasons), if it is the next step."""
        option = next(
            (o for o in selectors.transition_options(self.tender) if o.transition.name == "award"),
            None,
        )
        return option.blockers if option else None

    def winners(self, today, bound):
        """The (prospective) winners: admissibility, exceptions, evidence with its items."""
        rows = []
        visible = set(
            Submission.objects.restrict(self.request.user)
            .filter(tender=self.tender)
            .values_list("pk", flat=True)
        )
        candidates = [s for s in award_rules.award_candidates(self.tender) if s.pk in visible]
        requests = {}
        for request in (
            EvidenceRequest.objects.restrict(self.request.user)
            .filter(submission__in=[s.pk for s in candidates])
            .select_related("message")
            .prefetch_related("items", "message__answers__files")
        ):
            requests.setdefault(request.submission_id, []).append(request)
        for sub in candidates:
            sub_requests = requests.get(sub.pk, [])
            for request in sub_requests:
                for item in request.items.all():
                    item.form = bound.get(("item", item.pk)) or ItemCheckForm(
                        prefix=f"item-{item.pk}"
                    )
            rows.append(
                {
                    "submission": sub,
                    "judgement": sub.provider.admissibility(today, segment=sub.lot.segment_id),
                    "exceptions": list(sub.award_exceptions.select_related("recorded_by")),
                    "exception_form": bound.get(("exception", sub.pk))
                    or ExceptionForm(prefix=f"exception-{sub.pk}"),
                    "requests": sub_requests,
                    "evidence_form": bound.get(("evidence", sub.pk))
                    or EvidenceForm(prefix=f"evidence-{sub.pk}"),
                }
            )
        return rows

    # ------------------------------------------------------------ the officer's changes

    def post(self, request, *args, **kwargs):
        if not self.user_can_edit():
            raise PermissionDenied(_("Alleen de inkoper van de regio mag dit wijzigen."))
        action, target = request.POST.get("action", ""), request.POST.get("target", "0")
        handler = getattr(self, f"do_{action}", None)
        if handler is None or not target.isdigit():
            raise Http404
        form, done = handler(int(target))
        if done:
            messages.success(request, done)
            return redirect(
                reverse(
                    "procurement:objections",
                    kwargs={"region": self.region.slug, "tender": self.tender.pk},
                )
            )
        messages.error(request, _("Niet opgeslagen: zie de melding bij het formulier."))
        context = self.get_context_data(bound={(action, int(target)): form})
        return self.render_to_response(context, status=400)

    def _objection(self, pk):
        return get_object_or_404(
            Objection.objects.restrict(self.request.user).filter(tender=self.tender), pk=pk
        )

    def _submission(self, pk):
        return get_object_or_404(
            Submission.objects.restrict(self.request.user).filter(tender=self.tender), pk=pk
        )

    def do_record(self, _target):
        form = ObjectionForm(self.request.POST, tender=self.tender, prefix="record")
        if form.is_valid():
            try:
                obj = objections.objection_record(
                    tender=self.tender, user=self.request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return form, _("%(o)s is vastgelegd.") % {"o": obj}
        return form, None

    def do_decide(self, pk):
        obj = self._objection(pk)
        form = DecideForm(self.request.POST, self.request.FILES, prefix=f"decide-{pk}")
        if form.is_valid():
            try:
                obj = objections.objection_decide(objection=obj, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return form, _("Op %(o)s is beslist: %(outcome)s.") % {
                    "o": obj,
                    "outcome": obj.get_outcome_display().lower(),
                }
        return form, None

    def do_withdraw(self, pk):
        obj = self._objection(pk)
        form = WithdrawForm(self.request.POST, prefix=f"withdraw-{pk}")
        if form.is_valid():
            try:
                obj = objections.objection_withdraw(objection=obj, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return form, _("%(o)s is ingetrokken.") % {"o": obj}
        return form, None

    def do_exception(self, pk):
        sub = self._submission(pk)
        form = ExceptionForm(self.request.POST, prefix=f"exception-{pk}")
        if form.is_valid():
            try:
                objections.award_exception_record(
                    submission=sub, reason=form.cleaned_data["reason"], user=self.request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return form, _("De uitzondering voor %(p)s is vastgelegd.") % {"p": sub.provider}
        return form, None

    def do_evidence(self, pk):
        sub = self._submission(pk)
        form = EvidenceForm(self.request.POST, prefix=f"evidence-{pk}")
        if form.is_valid():
            try:
                objections.evidence_request_create(
                    submission=sub,
                    items=form.cleaned_data["items"].splitlines(),
                    due_on=form.cleaned_data["due_on"],
                    text=form.cleaned_data["text"],
                    user=self.request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return form, _("Het verzoek om bewijsstukken staat in het postvak van %(p)s.") % {
                    "p": sub.provider
                }
        return form, None

    def do_item(self, pk):
        item = get_object_or_404(
            EvidenceItem.objects.restrict(self.request.user).filter(
                request__submission__tender=self.tender
            ),
            pk=pk,
        )
        form = ItemCheckForm(self.request.POST, prefix=f"item-{pk}")
        verdict = self.request.POST.get("verdict")
        if verdict not in ("approve", "reject"):
            raise Http404
        if form.is_valid():
            try:
                item = objections.evidence_item_check(
                    item=item,
                    approve=verdict == "approve",
                    reason=form.cleaned_data["reason"],
                    user=self.request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return form, _("%(item)s: %(status)s.") % {
                    "item": item.title,
                    "status": item.get_status_display().lower(),
                }
        return form, None


class ObjectionDocumentView(TenderChildMixin, generic.View):
    """The decision document of an objection, through the register's scope."""

    needs = "confidential"

    def get(self, request, *args, **kwargs):
        obj = get_object_or_404(
            Objection.objects.restrict(request.user).filter(tender=self.tender),
            pk=kwargs["pk"],
        )
        if not obj.decision_document:
            raise Http404
        return serve(obj.decision_document, filename=obj.decision_document_name or None)
