"""Pages that change development assignments (on a contract or a strategy): a new one, a
progress update and a status change. Read through ``restrict()`` (outside scope: 404); changing
needs the officer or contract manager role in the region (else 403); every change goes through
``contracts.development``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.ui.forms import add_service_errors
from core.ui.views import RegionMixin
from procurement.models import Strategy

from . import development
from .forms_development import (
    DevelopmentAssignmentForm,
    DevelopmentProgressForm,
    DevelopmentTransitionForm,
)
from .models import Contract
from .models_development import DevelopmentAssignment

SECTION = "#ontwikkelopdrachten"


class DevelopmentFormView(RegionMixin, generic.FormView):
    model = DevelopmentAssignment
    template_name = "contracts/contract_form.html"
    title = ""
    submit_label = gettext_lazy("Opslaan")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.owner = self.get_owner(kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(
                _("Alleen de inkoper of de contractmanager legt ontwikkelopdrachten vast.")
            )
        return super().dispatch(request, *args, **kwargs)

    #: whose assignments a create page adds to (Contract or Strategy); the pages of one
    #: assignment find the owner through the assignment instead
    owner_model = Contract

    def get_owner(self, pk):
        return get_object_or_404(
            self.owner_model.objects.visible_to(self.request.user).filter(region=self.region),
            pk=pk,
        )

    def owner_url(self) -> str:
        return self.owner.get_absolute_url() + SECTION

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.get_title(),
            intro=self.get_intro(),
            submit_label=self.submit_label,
            cancel_url=self.owner_url(),
            contract=self.owner if isinstance(self.owner, Contract) else None,
        )
        return context

    def get_title(self):
        return str(self.title)

    def get_intro(self):
        return ""

    def form_valid(self, form):
        try:
            message = self.act(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.owner_url())


class _CreateView(DevelopmentFormView):
    form_class = DevelopmentAssignmentForm
    submit_label = gettext_lazy("Ontwikkelopdracht toevoegen")

    def get_title(self):
        return _("Ontwikkelopdracht toevoegen: %(o)s") % {"o": self.owner}

    def act(self, data):
        owner_kwarg = "contract" if isinstance(self.owner, Contract) else "strategy"
        assignment = development.development_assignment_create(
            **{owner_kwarg: self.owner}, **data, user=self.request.user
        )
        return _("Ontwikkelopdracht %(t)s is vastgelegd.") % {"t": assignment.title}


class ContractAssignmentCreateView(_CreateView):
    owner_model = Contract


class StrategyAssignmentCreateView(_CreateView):
    owner_model = Strategy


class _AssignmentView(DevelopmentFormView):
    def get_owner(self, pk):
        self.assignment = get_object_or_404(
            DevelopmentAssignment.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .select_related("contract", "strategy"),
            pk=pk,
        )
        return self.assignment.contract or self.assignment.strategy


class AssignmentProgressView(_AssignmentView):
    form_class = DevelopmentProgressForm
    submit_label = gettext_lazy("Voortgang vastleggen")

    def get_title(self):
        return _("Voortgang: %(t)s") % {"t": self.assignment.title}

    def get_intro(self):
        return _("Status %(status)s, voortgang nu %(pct)s%%.") % {
            "status": self.assignment.get_status_display().lower(),
            "pct": self.assignment.progress_pct,
        }

    def get_initial(self):
        return {"on": timezone.localdate(), "percentage": self.assignment.progress_pct}

    def act(self, data):
        development.development_assignment_update_progress(
            assignment=self.assignment, **data, user=self.request.user
        )
        return _("Voortgang van %(t)s vastgelegd: %(pct)s%%.") % {
            "t": self.assignment.title,
            "pct": data["percentage"],
        }


class AssignmentTransitionView(_AssignmentView):
    form_class = DevelopmentTransitionForm
    submit_label = gettext_lazy("Status wijzigen")

    def get_title(self):
        return _("Status: %(t)s") % {"t": self.assignment.title}

    def get_intro(self):
        if not development.allowed_transitions(self.assignment):
            return _("De status %(s)s staat vast.") % {
                "s": self.assignment.get_status_display().lower()
            }
        return ""

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "choices": development.allowed_transitions(self.assignment),
        }

    def act(self, data):
        assignment = development.development_assignment_transition(
            assignment=self.assignment, to=data["to"], reason=data["reason"], user=self.request.user
        )
        return _("%(t)s is nu %(s)s.") % {
            "t": assignment.title,
            "s": assignment.get_status_display().lower(),
        }
