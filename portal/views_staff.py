"""The region's side of the portal: a provider's portal users, on the provider's page
(``/regios/<region>/aanbieders/<provider>/portaalgebruikers/``). The region's procurement
officer and administrator invite and remove them; other region roles read the list."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.views import RegionMixin, SheetExportMixin
from providers.models import Provider, ProviderUser

from . import services
from .views import InviteMixin, MembershipActionMixin, RemoveAction, ResendAction, users_sheet


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

    def users_url(self) -> str:
        return reverse(
            "portal-staff:users", kwargs={"region": self.region.slug, "provider": self.provider.pk}
        )


class PortalUsersView(SheetExportMixin, InviteMixin, StaffPortalUsersMixin, generic.FormView):
    template_name = "portal/staff_users.html"

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

    def export_sheets(self, context) -> dict:
        return {"gebruikers": users_sheet(context["title"], context["portal_users"])}

    def post(self, request, *args, **kwargs):
        if not self.user_can_edit():
            raise PermissionDenied(
                _("Alleen de inkoper of de regiobeheerder nodigt portaalgebruikers uit.")
            )
        return super().post(request, *args, **kwargs)


class PortalUserActionView(MembershipActionMixin, StaffPortalUsersMixin, generic.View):
    needs_edit = True


class PortalUserRemoveView(RemoveAction, PortalUserActionView):
    pass


class PortalUserResendView(ResendAction, PortalUserActionView):
    pass
