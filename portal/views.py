"""The provider portal (``/portaal/``): a provider user's pages, always for one provider
organisation they act for (``/portaal/<provider>/…``), found through the scope — a provider
the user does not act for is a 404 — and always after the second factor
(``core.boundary``)."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import generic
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.views import base_url
from core.boundary import is_portal_user, second_factor_passed
from core.export import records_sheet
from core.scoping import scope_for
from core.ui.forms import add_service_errors, error_messages
from core.ui.views import PostOnlyMixin, SheetExportMixin
from providers.models import Provider, ProviderUser

from . import forms, services


def acting_for(user):
    """The providers a portal user acts for: their organisation and the consortia it leads."""
    scope = scope_for(user)
    return (
        Provider.objects.filter(pk__in=scope.provider_ids)
        .select_related("region")
        .order_by("kind", "name")
    )


class PortalMixin:
    """``self.provider`` (from the URL, among those the user acts for), ``self.region`` and
    ``self.is_admin`` (the user administers this provider's portal users)."""

    portal_section = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not is_portal_user(request.user):
            raise Http404
        self.provider = get_object_or_404(acting_for(request.user), pk=kwargs["provider"])
        self.region = self.provider.region
        self.is_admin = self.provider.pk in scope_for(request.user).provider_admin_ids

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            provider=self.provider,
            portal_region=self.region,
            portal_is_admin=self.is_admin,
            portal_section=self.portal_section,
            portal_organisations=list(acting_for(self.request.user)),
        )
        return context


class PortalIndexView(generic.View):
    """``/portaal/``: straight to the user's organisation."""

    def get(self, request):
        if not is_portal_user(request.user):
            raise Http404
        first = acting_for(request.user).filter(kind__in=["institution", "solo", "certified"])
        provider = first.first() or acting_for(request.user).first()
        return redirect("portal:overview", provider=provider.pk)


class OverviewView(PortalMixin, generic.TemplateView):
    template_name = "portal/overview.html"
    portal_section = "overview"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.provider.name
        return context


# ---------------------------------------------------------------- colleagues


class InviteMixin:
    """The invitation form of a provider's portal users: the colleagues page here and the
    region's page of a provider (``views_staff``). ``users_url()`` is where both go back to."""

    form_class = forms.ProviderUserInviteForm

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
            _("%(email)s is uitgenodigd; de uitnodiging is per e-mail verstuurd.")
            % {"email": membership.user.email},
        )
        return redirect(self.users_url())


class MembershipActionMixin(PostOnlyMixin):
    """POST-only: remove a portal user or send the invitation again, then back to the list.
    The membership comes through the scope, within ``self.provider``."""

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
        return redirect(self.users_url())


class RemoveAction:
    def act(self, membership):
        name = membership.user.get_full_name() or membership.user.email
        services.provider_user_remove(provider_user=membership, removed_by=self.request.user)
        messages.success(self.request, _("%(name)s is verwijderd.") % {"name": name})


class ResendAction:
    def act(self, membership):
        services.provider_user_invitation_resend(
            provider_user=membership, sent_by=self.request.user, base_url=base_url(self.request)
        )
        messages.success(self.request, _("De uitnodiging is opnieuw verstuurd."))


class ColleaguesMixin(PortalMixin):
    portal_section = "colleagues"

    def users_url(self) -> str:
        return reverse("portal:colleagues", kwargs={"provider": self.provider.pk})


def users_sheet(title: str, memberships):
    """A provider's portal users as the users table shows them (never a password or a second
    factor: they are not on the page either)."""
    return records_sheet(
        title,
        [
            (_("Naam"), lambda m: m.user.get_full_name() or None),
            (_("E-mailadres"), "user.email"),
            (_("Rol"), "get_role_display"),
            (_("Status"), lambda m: _("Actief") if m.user.last_login else _("Uitgenodigd")),
            (_("Uitgenodigd op"), "invited_at"),
        ],
        memberships,
    )


class ColleaguesView(SheetExportMixin, InviteMixin, ColleaguesMixin, generic.FormView):
    template_name = "portal/colleagues.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Collega's")
        context["colleagues"] = (
            ProviderUser.objects.visible_to(self.request.user)
            .filter(provider=self.provider)
            .select_related("user")
        )
        if not self.is_admin:
            context.pop("form", None)
        return context

    def export_sheets(self, context) -> dict:
        return {"gebruikers": users_sheet(_("Collega's"), context["colleagues"])}

    def post(self, request, *args, **kwargs):
        if not self.is_admin:
            raise PermissionDenied(_("Alleen een beheerder van de aanbieder nodigt collega's uit."))
        return super().post(request, *args, **kwargs)


class ColleagueRemoveView(RemoveAction, MembershipActionMixin, ColleaguesMixin, generic.View):
    pass


class ColleagueResendView(ResendAction, MembershipActionMixin, ColleaguesMixin, generic.View):
    pass


# ---------------------------------------------------------------- the second factor


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and target.startswith("/portaal/"):
        return target
    return reverse("portal:home")


class SecondFactorMixin:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not is_portal_user(request.user):
            raise Http404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _next_url(self.request)
        return context


class OtpVerifyView(SecondFactorMixin, generic.FormView):
    """The code from the app, once per session."""

    template_name = "portal/otp_verify.html"
    form_class = forms.TokenForm

    def dispatch(self, request, *args, **kwargs):
        if not user_has_device(request.user, confirmed=True):
            return redirect(f"{reverse('portal:otp-setup')}?next={_next_url(request)}")
        if second_factor_passed(request.user):
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Tweestapsverificatie")
        return context

    def form_valid(self, form):
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=True).first()
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Te veel onjuiste codes; wacht even en probeer opnieuw."))
            return self.form_invalid(form)
        if not device.verify_token(form.cleaned_data["token"].strip().replace(" ", "")):
            form.add_error("token", _("Deze code klopt niet. Probeer de volgende code."))
            return self.form_invalid(form)
        otp_login(self.request, device)
        return redirect(_next_url(self.request))


class OtpSetupView(SecondFactorMixin, generic.FormView):
    """Enrol an authenticator app: the QR code (and the key to type), then one code. Someone
    with a confirmed app must pass it first (a stolen password cannot enrol a new app)."""

    template_name = "portal/otp_setup.html"
    form_class = forms.TokenForm

    def dispatch(self, request, *args, **kwargs):
        if user_has_device(request.user, confirmed=True) and not second_factor_passed(request.user):
            return redirect(f"{reverse('portal:otp-verify')}?next={_next_url(request)}")
        self.device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False
        ).first() or services.totp_device_start(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Tweestapsverificatie instellen")
        context["qr_svg"] = segno.make(self.device.config_url, error="m").svg_inline(
            scale=4, title=_("QR-code voor de authenticator-app")
        )
        context["secret"] = base64.b32encode(self.device.bin_key).decode().rstrip("=")
        return context

    def form_valid(self, form):
        try:
            device = services.totp_device_confirm(
                device=self.device, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        otp_login(self.request, device)
        messages.success(self.request, _("Tweestapsverificatie is ingesteld."))
        return redirect(_next_url(self.request))
