from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core.ui.forms import add_service_errors
from core.ui.views import (
    ConfirmedDeleteMixin,
    RegionMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
)

from . import filters, forms, selectors, services, tables
from .models import Provider, ProviderKind, Screening


class ProviderListView(ScopedListView):
    model = Provider
    table_class = tables.ProviderTable
    filterset_class = filters.ProviderFilterSet
    create_url_name = "providers:provider-create"

    def get_queryset(self):
        return selectors.provider_list(user=self.request.user, region=self.region)


class ProviderDetailView(ScopedDetailView):
    model = Provider
    template_name = "providers/provider_detail.html"

    def get_queryset(self):
        return selectors.provider_detail_queryset(user=self.request.user, region=self.region)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider, user = self.object, self.request.user
        context["judgement"] = provider.admissibility(timezone.localdate())
        context["care_forms"] = provider.effective_care_forms().order_by("name")
        context["municipalities"] = provider.municipalities_served.all()
        context["screenings"] = provider.screenings.all()
        context["memberships"] = provider.members.all() if provider.is_consortium else []
        context["member_of"] = selectors.consortia_of(user=user, provider=provider)
        return context


class ProviderCreateView(ScopedCreateView):
    model = Provider
    create_service = services.provider_create
    form_class = forms.ProviderForm

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("kind") in ProviderKind.values:
            initial["kind"] = self.request.GET["kind"]
        return initial

    def get_success_url(self):
        if self.object.is_consortium:
            return reverse(
                "providers:consortium-members",
                kwargs={"region": self.region.slug, "pk": self.object.pk},
            )
        return self.object.get_absolute_url()


class ProviderUpdateView(ScopedUpdateView):
    model = Provider
    update_service = services.provider_update
    form_class = forms.ProviderForm


class ProviderDeleteView(ScopedDeleteView):
    model = Provider
    delete_service = services.provider_delete


class ProviderChildMixin(RegionMixin):
    """Views on something that hangs under a provider (screenings, consortium members)."""

    model = Provider

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.provider = get_object_or_404(
            Provider.objects.visible_to(request.user).filter(region=self.region),
            pk=kwargs["provider"] if "provider" in kwargs else kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.provider.can_change(request.user):
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provider"] = self.provider
        return context

    def get_success_url(self):
        return self.provider.get_absolute_url()


class ScreeningCreateView(ServiceFormMixin, ProviderChildMixin, generic.CreateView):
    form_class = forms.ScreeningForm
    template_name = "generic/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "provider": self.provider}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Screening vastleggen voor %(provider)s") % {"provider": self.provider}
        return context

    def form_valid(self, form):
        try:
            self.object = services.screening_create(
                provider=self.provider, **self.service_fields(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De screening is vastgelegd."))
        return redirect(self.get_success_url())


class ScreeningUpdateView(ServiceFormMixin, ProviderChildMixin, generic.UpdateView):
    form_class = forms.ScreeningForm
    template_name = "generic/form.html"
    pk_url_kwarg = "screening"

    def get_queryset(self):
        return Screening.objects.visible_to(self.request.user).filter(provider=self.provider)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "provider": self.provider}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Screening wijzigen: %(object)s") % {"object": self.object}
        return context

    def form_valid(self, form):
        try:
            services.screening_update(screening=self.object, **self.service_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(self.get_success_url())


class ScreeningDeleteView(ConfirmedDeleteMixin, ProviderChildMixin, generic.DeleteView):
    pk_url_kwarg = "screening"
    template_name = "generic/confirm_delete.html"

    def get_queryset(self):
        return Screening.objects.visible_to(self.request.user).filter(provider=self.provider)

    def form_valid(self, form):
        services.screening_delete(screening=self.object)
        return redirect(self.get_success_url())


class ConsortiumMembersView(ProviderChildMixin, generic.FormView):
    form_class = forms.ConsortiumMembersForm
    template_name = "providers/consortium_members.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not self.provider.is_consortium:
            raise Http404

    def get_form_kwargs(self):
        choices = selectors.member_choices(user=self.request.user, region=self.region)
        return {**super().get_form_kwargs(), "consortium": self.provider, "choices": choices}

    def get_initial(self):
        memberships = list(self.provider.members.all())
        return {
            "lead": next((m.member_id for m in memberships if m.is_lead), None),
            "members": [m.member_id for m in memberships if not m.is_lead],
        }

    def form_valid(self, form):
        try:
            services.consortium_set_members(
                consortium=self.provider,
                lead=form.cleaned_data["lead"],
                members=form.cleaned_data["members"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("De samenstelling van het samenwerkingsverband is opgeslagen.")
        )
        return redirect(self.provider)
