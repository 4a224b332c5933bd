"""Pages of the region's themes, the decision to adopt a framework without every view, and
the market consultations of a strategy. Objects come through ``restrict()``; writes through
``kader`` and ``consultations``."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.files import serve
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.views import (
    FormActionView,
    RegionMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WriteMixin,
)

from . import consultations, filters, forms_kader, kader, tables
from .models import Framework, MarketConsultation, Strategy, Theme

# ---------------------------------------------------------------- the region's themes


class ThemeMixin:
    """The region's list of themes: region roles read it, the officer and the region
    administrator keep it; a municipal user gets a 404 (they see the counts on a framework)."""

    model = Theme

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_role(
            self.region.pk, ALL_REGION_ROLES
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _themes_with_usage(queryset):
    return queryset.annotate(
        n_views=Count("views", distinct=True), n_consultations=Count("consultations", distinct=True)
    )


class ThemeListView(ThemeMixin, ScopedListView):
    table_class = tables.ThemeTable
    filterset_class = filters.ThemeFilterSet
    create_url_name = "procurement:theme-create"
    title = gettext_lazy("Thema's van zienswijzen en consultaties")

    def get_queryset(self):
        return _themes_with_usage(super().get_queryset()).order_by("name")


class ThemeDetailView(ThemeMixin, ScopedDetailView):
    template_name = "procurement/theme_detail.html"

    def get_queryset(self):
        return _themes_with_usage(super().get_queryset())


class ThemeCreateView(ThemeMixin, ScopedCreateView):
    form_class = forms_kader.ThemeForm
    create_service = kader.theme_create


class ThemeUpdateView(ThemeMixin, ScopedUpdateView):
    form_class = forms_kader.ThemeForm
    update_service = kader.theme_update


class ThemeDeleteView(ThemeMixin, ScopedDeleteView):
    """Refused, with the counts, while views or consultations carry the theme."""

    delete_service = kader.theme_delete


# ---------------------------------------------------------------- adoption without all views


class AdoptionDecisionView(FormActionView):
    """Record the decision to adopt the framework without the views still missing."""

    model = Framework
    form_class = forms_kader.AdoptionDecisionForm
    template_name = "generic/form.html"
    title = gettext_lazy("Besluit: vaststellen zonder alle zienswijzen")
    section = "adoptie"

    def get_initial(self):
        decision = getattr(self.object, "adoption_decision", None)
        if decision is not None:
            return {
                "decided_by": decision.decided_by,
                "decided_on": decision.decided_on,
                "reason": decision.reason,
            }
        return {"decided_by": self.object.adopted_by, "decided_on": timezone.localdate()}

    def get_intro(self):
        missing = kader.missing_municipalities(self.object)
        if not missing:
            return _("Alle gemeenten hebben een zienswijze gegeven.")
        return _("Geen zienswijze van: %(names)s.") % {"names": ", ".join(m.name for m in missing)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.object.get_absolute_url()
        return context

    def act(self, form):
        kader.adoption_decision_record(
            framework=self.object, user=self.request.user, **form.cleaned_data
        )
        return _("Het besluit om zonder alle zienswijzen door te gaan is vastgelegd.")


# ---------------------------------------------------------------- market consultations


class StrategyChildMixin(RegionMixin):
    """A consultation page of the URL's strategy, reached through the strategy's scope."""

    model = Strategy

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.strategy = get_object_or_404(self.scoped_queryset(), pk=kwargs["strategy"])

    def consultation(self, pk) -> MarketConsultation:
        return get_object_or_404(
            MarketConsultation.objects.restrict(self.request.user, "view"),
            strategy=self.strategy,
            pk=pk,
        )


class ConsultationEditMixin(WriteMixin, StrategyChildMixin):
    form_class = forms_kader.ConsultationForm
    template_name = "generic/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.strategy.can_change(request.user):
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "strategy": self.strategy}

    def get_success_url(self):
        return self.strategy.get_absolute_url() + "#consultaties"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context

    def fields_of(self, form) -> dict:
        data = dict(form.cleaned_data)
        data["minutes_file"] = data.get("minutes_file") or None
        return data


class ConsultationCreateView(ConsultationEditMixin, generic.CreateView):
    def write(self, form):
        data = self.fields_of(form)
        data.pop("clear_file", None)
        return consultations.consultation_create(strategy=self.strategy, **data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Marktconsultatie of ontwikkeltafel vastleggen")
        return context


class ConsultationUpdateView(ConsultationEditMixin, generic.UpdateView):
    def get_object(self, queryset=None):
        return self.consultation(self.kwargs["pk"])

    def write(self, form):
        return consultations.consultation_update(consultation=self.object, **self.fields_of(form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Wijzigen: %(object)s") % {"object": self.object}
        return context


class ConsultationDeleteView(ConsultationEditMixin, generic.DeleteView):
    template_name = "generic/confirm_delete.html"
    form_class = django_forms.Form

    def get_object(self, queryset=None):
        return self.consultation(self.kwargs["pk"])

    def get_form_kwargs(self):
        return generic.DeleteView.get_form_kwargs(self)

    def delete(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)

    def form_valid(self, form):
        label = str(self.object)
        consultations.consultation_delete(consultation=self.object)
        messages.success(self.request, _("%(object)s is verwijderd.") % {"object": label})
        return HttpResponseRedirect(self.get_success_url())


class ConsultationFileView(StrategyChildMixin, generic.View):
    """The minutes document, for whoever may see the strategy (outside its scope: 404)."""

    def get(self, request, *args, **kwargs):
        consultation = self.consultation(kwargs["pk"])
        if not consultation.minutes_file:
            raise Http404
        return serve(consultation.minutes_file)
