from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import generic

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.forms import add_service_errors, error_messages
from core.ui.views import (
    ConfirmedDeleteMixin,
    RegionMixin,
    RetireView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
)

from . import filters, forms, selectors, services, tables
from .models import Provider, ProviderKind, ProviderUser, Screening, ScreeningKind


class ProviderListView(ScopedListView):
    model = Provider
    table_class = tables.ProviderTable
    filterset_class = filters.ProviderPageFilterSet
    create_url_name = "providers:provider-create"

    def get_queryset(self):
        return selectors.provider_list(user=self.request.user, region=self.region)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).has_role(self.region.pk, ALL_REGION_ROLES):
            url = reverse("providers:screeningkind-list", kwargs={"region": self.region.slug})
            context["page_links"] = [{"url": url, "label": _("Screeningsinstrument")}]
            if self.user_can_edit():
                batch = reverse("providers:screening-batch", kwargs={"region": self.region.slug})
                context["page_links"].append(
                    {"url": batch, "label": _("Screenings in één keer vastleggen")}
                )
        return context


class ScreeningBatchView(RegionMixin, generic.FormView):
    """Record one screening of one kind for several providers at once: choose the providers
    (a "select all" checkbox and the count chosen), the kind, date and outcome; one screening
    per provider through ``services.screenings_record`` (all or nothing)."""

    model = Provider
    form_class = forms.ScreeningBatchForm
    template_name = "providers/screening_batch.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def providers(self):
        return (
            Provider.objects.editable_by(self.request.user)
            .filter(region=self.region)
            .order_by("name", "pk")
        )

    def query(self) -> str:
        return " ".join(self.request.GET.get("q", "").split())[:100]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "providers": self.providers(), "region": self.region}

    def get_initial(self):
        return {"date": timezone.localdate(), "status": "passed"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.providers()
        if self.query():
            shown = shown.filter(name__icontains=self.query())
        form = context["form"]
        chosen = {str(v) for v in (form.data.getlist("providers") if form.is_bound else [])}
        context.update(
            title=_("Screenings in één keer vastleggen"),
            shown=list(shown.only("pk", "name", "city")),
            chosen=chosen,
            q=self.query(),
            list_url=reverse("providers:provider-list", kwargs={"region": self.region.slug}),
        )
        return context

    def form_valid(self, form):
        try:
            made = services.screenings_record(
                providers=form.cleaned_data["providers"],
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                status=form.cleaned_data["status"],
                valid_until=form.cleaned_data["valid_until"],
                outcome_note=form.cleaned_data["outcome_note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(n)s screening %(kind)s is vastgelegd.",
                "%(n)s screenings %(kind)s zijn vastgelegd.",
                len(made),
            )
            % {"n": len(made), "kind": form.cleaned_data["kind"].name},
        )
        return redirect("providers:provider-list", region=self.region.slug)


class ProviderDetailView(ScopedDetailView):
    model = Provider
    template_name = "providers/provider_detail.html"

    def get_queryset(self):
        return selectors.provider_detail_queryset(user=self.request.user, region=self.region)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider, user = self.object, self.request.user
        today = timezone.localdate()
        verdicts = selectors.provider_verdicts(provider=provider, user=user, today=today)
        context["judgement"] = verdicts.region
        context["segment_verdicts"] = verdicts.segments
        context["requires_screening"] = verdicts.requires_any
        context["sees_instrument"] = scope_for(user).has_role(self.region.pk, ALL_REGION_ROLES)
        context["care_forms"] = provider.effective_care_forms().order_by("name")
        context["municipalities"] = provider.municipalities_served.all()
        context["screenings"] = provider.screenings.all()
        context["memberships"] = verdicts.members
        context["member_of"] = selectors.consortia_of(user=user, provider=provider)
        context["sees_portal_users"] = context["sees_instrument"]
        if context["sees_portal_users"]:
            context["portal_user_count"] = (
                ProviderUser.objects.visible_to(user).filter(provider=provider).count()
            )
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


# ---------------------------------------------------------------- the screening instrument


class InstrumentMixin:
    """The region's screening instrument: region roles only (its pages show how many
    screenings use each kind); a municipal user gets a 404, like anyone without a role here."""

    model = ScreeningKind

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_role(
            self.region.pk, ALL_REGION_ROLES
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ScreeningKindListView(InstrumentMixin, ScopedListView):
    table_class = tables.ScreeningKindTable
    filterset_class = filters.ScreeningKindFilterSet
    create_url_name = "providers:screeningkind-create"
    title = gettext_lazy("Screeningsinstrument")

    def get_queryset(self):
        return selectors.screening_kind_list(user=self.request.user, region=self.region)


class ScreeningKindDetailView(InstrumentMixin, ScopedDetailView):
    template_name = "providers/screeningkind_detail.html"

    def get_queryset(self):
        return selectors.screening_kind_list(user=self.request.user, region=self.region)


class ScreeningKindCreateView(InstrumentMixin, ScopedCreateView):
    create_service = services.screening_kind_create
    form_class = forms.ScreeningKindForm


class ScreeningKindUpdateView(InstrumentMixin, ScopedUpdateView):
    update_service = services.screening_kind_update
    form_class = forms.ScreeningKindForm

    def object_kwarg(self) -> str:
        return "screening_kind"


class ScreeningKindDeleteView(InstrumentMixin, ScopedDeleteView):
    """Refused, with the counts, while screenings of the kind are on record."""

    delete_service = services.screening_kind_delete

    def object_kwarg(self) -> str:
        return "screening_kind"

    def get_success_url(self):
        return reverse("providers:screeningkind-list", kwargs={"region": self.region.slug})

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(self.request, message)
            return redirect(self.object)


class ScreeningKindRetireView(InstrumentMixin, RetireView):
    retire_service = services.screening_kind_retire
