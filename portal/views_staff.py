"""The region's side of the portal: a provider's portal users, on the provider's page
(``/regios/<region>/aanbieders/<provider>/portaalgebruikers/``). The region's procurement
officer and administrator invite and remove them; other region roles read the list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from accounts.views import base_url
from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.forms import add_service_errors, error_messages
from core.ui.views import PostOnlyMixin, RegionMixin
from providers.models import Provider, ProviderUser

from . import forms, services


class StaffPortalUsersMixin(RegionMixin):
    model = ProviderUser
    needs_edit = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.provider = get_object_or_404(
            Provider.objects.visible_to(request.user).filter(region=self.region),
            pk=kwargs["provider"],
        )

    def dispatch(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        if request.user.is_authenticated and not scope.has_role(self.region.pk, ALL_REGION_ROLES):
            raise PermissionDenied(
                _("Alleen de regio ziet de portaalgebruikers van een aanbieder.")
            )
        if self.needs_edit and request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(
                _("Alleen de inkoper of de regiobeheerder beheert portaalgebruikers.")
            )
        return super().dispatch(request, *args, **kwargs)

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, services.STAFF_INVITERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provider"] = self.provider
        return context


class PortalUsersView(StaffPortalUsersMixin, generic.FormView):
    template_name = "portal/staff_users.html"
    form_class = forms.ProviderUserInviteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Portaalgebruikers van %(provider)s") % {"provider": self.provider}
        context["portal_users"] = (
            ProviderUser.objects.visible_to(self.request.user)
            .filter(provider=self.provider)
            .select_related("user", "invited_by")
        )
        if not context["can_edit"] or self.provider.is_consortium:
            context.pop("form", None)
        return context

    def post(self, request, *args, **kwargs):
        if not self.user_can_edit():
            raise PermissionDenied(
                _("Alleen de inkoper of de regiobeheerder nodigt portaalgebruikers uit.")
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            membership = services.provider_user_invite(
                provider=self.provider,
                invited_by=self.request.user,
                base_url=base_url(self.request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(email)s is uitgenodigd voor het aanbiedersportaal.")
            % {"email": membership.user.email},
        )
        return redirect("portal-staff:users", region=self.region.slug, provider=self.provider.pk)


class PortalUserActionView(PostOnlyMixin, StaffPortalUsersMixin, generic.View):
    needs_edit = True

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            ProviderUser.objects.visible_to(request.user).filter(provider=self.provider),
            pk=kwargs["pk"],
        )
        try:
            self.act(membership)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        return redirect("portal-staff:users", region=self.region.slug, provider=self.provider.pk)


class PortalUserRemoveView(PortalUserActionView):
    def act(self, membership):
        name = membership.user.get_full_name() or membership.user.email
        services.provider_user_remove(provider_user=membership, removed_by=self.request.user)
        messages.success(
            self.request, _("%(name)s is uit het portaal verwijderd.") % {"name": name}
        )


class PortalUserResendView(PortalUserActionView):
    def act(self, membership):
        services.provider_user_invitation_resend(
            provider_user=membership, sent_by=self.request.user, base_url=base_url(self.request)
        )
        messages.success(self.request, _("De uitnodiging is opnieuw verstuurd."))
