"""The structured negotiation outcome of one submission (task, budget per year, agreements):
a form page under the submission, for the region's procurement officer in the negotiation
and provisional-award phases. Everything goes through ``negotiation.negotiation_outcome_record``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic

from core.ui.forms import error_messages

from . import negotiation
from .forms_negotiation import AssignmentFormSet, BudgetFormSet, NegotiationOutcomeForm
from .models_negotiation import NegotiationOutcome
from .views_tender import TenderChildMixin


class NegotiationOutcomeView(TenderChildMixin, generic.TemplateView):
    needs = "edit"
    template_name = "procurement/negotiation_outcome_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.sub = self.submission(kwargs["pk"])
        self.outcome = (
            NegotiationOutcome.objects.filter(submission=self.sub)
            .prefetch_related("budgets", "assignments")
            .first()
        )

    def forms(self, data=None):
        outcome = self.outcome
        return (
            NegotiationOutcomeForm(data, initial={"task": outcome.task if outcome else ""}),
            BudgetFormSet(
                data,
                prefix="budget",
                initial=[
                    {"year": b.year, "kind": b.kind, "amount": b.amount}
                    for b in (outcome.budgets.all() if outcome else [])
                ],
            ),
            AssignmentFormSet(
                data,
                prefix="afspraak",
                initial=[
                    {"title": a.title, "description": a.description, "due_on": a.due_on}
                    for a in (outcome.assignments.all() if outcome else [])
                ],
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            context["form"], context["budgets"], context["assignments"] = self.forms()
        term = negotiation.contract_term_for(self.tender, self.sub)
        context.update(
            object=self.sub,
            title=_("Onderhandelingsresultaat: %(p)s") % {"p": self.sub.provider},
            term=term,
            refusal=negotiation.negotiation_refusal(self.sub),
            cancel_url=self.sub.get_absolute_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form, budgets, assignments = self.forms(request.POST)
        valid = [f.is_valid() for f in (form, budgets, assignments)]
        service_errors = []
        if all(valid):
            try:
                negotiation.negotiation_outcome_record(
                    submission=self.sub,
                    task=form.cleaned_data["task"],
                    budgets=[r for r in budgets.cleaned_data if r],
                    assignments=[r for r in assignments.cleaned_data if r],
                    user=request.user,
                )
            except ValidationError as exc:
                service_errors = error_messages(exc)
            else:
                messages.success(request, _("Het onderhandelingsresultaat is vastgelegd."))
                return redirect(self.sub.get_absolute_url() + "#neg-title")
        return self.render_to_response(
            self.get_context_data(
                form=form,
                budgets=budgets,
                assignments=assignments,
                service_errors=service_errors,
            )
        )
