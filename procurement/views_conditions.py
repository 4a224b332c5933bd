"""The admission conditions of a framework or procedure: listed, added, changed and removed through
``procurement.services``, by the officers of the owning region."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.ui.forms import error_messages as _errors
from core.ui.views import (
    ConfirmedDeleteMixin,
    RegionMixin,
    WriteMixin,
)

from . import forms, services
from .codes import (
    ProcedureType,
)
from .models import (
    AdmissionCondition,
    Strategy,
    Tender,
)


class ConditionOwnerMixin(RegionMixin):
    """The conditions of one strategy or one procedure (``owner_model``, from the URL's
    ``owner_kwarg``), reached through the owner's scope: outside it a 404."""

    model = AdmissionCondition
    owner_model = Strategy
    owner_kwarg = "strategy"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        owners = self.owner_model.objects.restrict(request.user, "view").filter(region=self.region)
        self.owner = get_object_or_404(owners, pk=kwargs[self.owner_kwarg])

    def conditions_url(self) -> str:
        return reverse(
            f"procurement:{self.owner_kwarg}-conditions",
            kwargs={"region": self.region.slug, self.owner_kwarg: self.owner.pk},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["owner"] = self.owner
        context["owner_kind"] = self.owner_kwarg
        context["can_edit"] = self.owner.can_change(self.request.user)
        context["cancel_url"] = self.conditions_url()
        return context


class ConditionEditMixin(ConditionOwnerMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.owner.can_change(request.user):
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(
            AdmissionCondition, **{self.owner_kwarg: self.owner}, pk=self.kwargs["pk"]
        )

    def get_success_url(self):
        return self.conditions_url()


class ConditionListView(ConditionOwnerMixin, generic.TemplateView):
    template_name = "procurement/condition_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        owner = self.owner
        context["conditions"] = owner.conditions.annotate(window_count=Count("windows"))
        if self.owner_kwarg == "tender":
            context["tender"] = owner
            context["inherited"] = (
                owner.strategy.conditions.annotate(window_count=Count("windows"))
                if owner.strategy_id
                else []
            )
        else:
            context["tenders"] = Tender.objects.visible_to(self.request.user).filter(
                strategy=owner, procedure_type=ProcedureType.CONDITIONAL_ADMISSION
            )
        return context


class ConditionCreateView(WriteMixin, ConditionEditMixin, generic.CreateView):
    form_class = forms.AdmissionConditionForm
    template_name = "generic/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner": self.owner}

    def write(self, form):
        return services.admission_condition_create(
            **{self.owner_kwarg: self.owner}, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Voorwaarde voor openen vastleggen: %(owner)s") % {"owner": self.owner}
        return context


class ConditionUpdateView(WriteMixin, ConditionEditMixin, generic.UpdateView):
    form_class = forms.AdmissionConditionForm
    template_name = "generic/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner": self.owner}

    def write(self, form):
        return services.admission_condition_update(
            admission_condition=self.object, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Wijzigen: %(object)s") % {"object": self.object.code}
        return context


class ConditionDeleteView(ConfirmedDeleteMixin, ConditionEditMixin, generic.DeleteView):
    template_name = "procurement/condition_confirm_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["window_count"] = self.object.windows.count()
        return context

    def form_valid(self, form):
        try:
            services.admission_condition_delete(admission_condition=self.object)
        except ValidationError as exc:
            for reason in _errors(exc):
                messages.error(self.request, reason)
            return HttpResponseRedirect(self.conditions_url())
        messages.success(
            self.request, _("Voorwaarde %(code)s is verwijderd.") % {"code": self.object.code}
        )
        return HttpResponseRedirect(self.conditions_url())
