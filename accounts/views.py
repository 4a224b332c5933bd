"""The region administrator's user pages, under /regios/<region>/gebruikers/.

Who may do what: the region administrator (``USER_MANAGERS``) and superusers; anyone else who
reads the region gets a 403; a region the user does not read at all is a 404, and so is a user
who has nothing to do with the URL's region (another region's users are never found). Every
change is one service call of ``accounts.services``; POST-only actions answer a GET with 405
(after those checks).
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.export import records_sheet
from core.roles import USER_MANAGERS
from core.scoping import scope_for
from core.ui.forms import add_service_errors, error_messages
from core.ui.views import PostOnlyMixin, RegionMixin, SheetExportMixin

from . import selectors, services
from .forms import InviteForm, RolesForm
from .models import MunicipalityMembership, RegionMembership, RegionUser

NOT_A_MANAGER = gettext_lazy("Alleen de regiobeheerder beheert de gebruikers van de regio.")
STATUS_BADGES = {
    "active": ("badge--ok", gettext_lazy("actief")),
    "invited": ("badge--warn", gettext_lazy("uitgenodigd")),
    "deactivated": ("badge--muted", gettext_lazy("gedeactiveerd")),
}


def base_url(request) -> str:
    """The app as the person acting reaches it: the links in mails point there."""
    return request.build_absolute_uri("/")


def person(user) -> str:
    return (user.get_full_name() or user.email or user.username) if user else ""


class UsersMixin(RegionMixin):
    """Every user page: the region from the URL (404), then the administrator's role (403),
    then the URL's user among the region's users (404)."""

    model = RegionUser

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not scope_for(request.user).has_role(self.region.pk, USER_MANAGERS):
                raise PermissionDenied(NOT_A_MANAGER)
            self.check(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, USER_MANAGERS)

    def check(self, request, **kwargs) -> None:
        """Fetch the URL's objects (404) before the method is looked at (405)."""

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"users:{name}", kwargs={"region": self.region.slug, **kwargs})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_url"] = self.url("user-list")
        context["section_label"] = _("Gebruikers")
        return context


class UserObjectMixin(UsersMixin):
    def check(self, request, **kwargs):
        self.row = selectors.region_user(region=self.region, pk=kwargs["pk"])
        if self.row is None:
            raise Http404
        self.person = self.row.user


def decorate(row):
    row.badge_class, row.status_label = STATUS_BADGES[row.status]
    return row


# ---------------------------------------------------------------- list and detail


class UserListView(SheetExportMixin, UsersMixin, generic.TemplateView):
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        status = status if status in STATUS_BADGES else ""
        rows = [decorate(r) for r in selectors.region_users(region=self.region)]
        counts = {key: sum(1 for r in rows if r.status == key) for key in STATUS_BADGES}
        context.update(
            title=_("Gebruikers"),
            rows=[r for r in rows if r.status == status] if status else rows,
            status=status,
            statuses=[(key, label, counts[key]) for key, (_c, label) in STATUS_BADGES.items()],
            total=len(rows),
        )
        context.pop("section_url")
        return context

    def export_sheets(self, context) -> dict:
        """The users of the status filter, as the table shows them."""

        def roles(row):
            if row.municipality:
                return _("Gemeente %(name)s") % {"name": row.municipality.name}
            return ", ".join(str(label) for label in row.role_labels)

        columns = [
            (_("Naam"), lambda r: r.user.get_full_name() or r.user.username),
            (_("E-mailadres"), "user.email"),
            (_("Rollen"), roles),
            (_("Status"), lambda r: str(r.status_label)),
            (_("Laatst ingelogd"), "user.last_login"),
        ]
        return {"gebruikers": records_sheet(_("Gebruikers"), columns, context["rows"])}


class UserDetailView(UserObjectMixin, generic.TemplateView):
    template_name = "accounts/user_detail.html"

    def history(self):
        """The audit trail of this user's roles and standing in this region (never another
        region's): the memberships are matched by their recorded name, which names the
        region or the municipality, so deleted ones are found too."""
        user, region = self.person, self.region
        type_of = ContentType.objects.get_for_model
        municipal_names = [f"{user} – {m}" for m in region.municipalities.all()]
        standing_ids = RegionUser.objects.filter(user=user, region=region).values_list(
            "pk", flat=True
        )
        return (
            LogEntry.objects.filter(
                Q(content_type=type_of(RegionUser), object_id__in=list(standing_ids))
                | Q(
                    content_type=type_of(RegionMembership),
                    object_repr__startswith=f"{user} – ",
                    object_repr__endswith=f"({region})",
                )
                | Q(
                    content_type=type_of(MunicipalityMembership),
                    object_repr__in=municipal_names,
                )
            )
            .select_related("actor")
            .order_by("-timestamp")[:50]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=person(self.person),
            row=decorate(self.row),
            person=self.person,
            invited_by=person(self.row.standing.invited_by) if self.row.standing else "",
            deactivated_by=person(self.row.standing.deactivated_by) if self.row.standing else "",
            is_self=self.person.pk == self.request.user.pk,
            entries=self.history(),
        )
        return context


# ---------------------------------------------------------------- invite and roles


class UserInviteView(UsersMixin, generic.FormView):
    template_name = "generic/form.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["region"] = self.region
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Gebruiker uitnodigen"),
            intro=_(
                "De nieuwe gebruiker krijgt een e-mail met een link om een wachtwoord te kiezen "
                "en logt daarna in met het eigen e-mailadres."
            ),
            cancel_url=self.url("user-list"),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_invite(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                region=self.region,
                roles=data["roles"],
                municipality=data["municipality"],
                invited_by=self.request.user,
                base_url=base_url(self.request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is uitgenodigd; de uitnodiging is verstuurd naar %(email)s.")
            % {"name": person(user), "email": user.email},
        )
        return HttpResponseRedirect(self.url("user-detail", pk=user.pk))


class UserRolesView(UserObjectMixin, generic.FormView):
    """Change the roles of an active or invited user; for a deactivated user the same form
    reactivates them."""

    template_name = "generic/form.html"
    form_class = RolesForm

    @property
    def reactivating(self) -> bool:
        return self.row.status == "deactivated"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["region"] = self.region
        return kwargs

    def get_initial(self):
        if self.reactivating and self.row.standing:
            standing = self.row.standing
            return {
                "roles": standing.previous_roles,
                "municipality": standing.previous_municipality,
            }
        return {"roles": self.row.roles, "municipality": self.row.municipality}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = person(self.person)
        if self.reactivating:
            title = _("Opnieuw activeren: %(name)s") % {"name": name}
            intro = _(
                "Kies de rollen die %(name)s weer krijgt. Wie nog geen wachtwoord heeft gekozen, "
                "krijgt opnieuw een uitnodiging."
            ) % {"name": name}
        else:
            title = _("Rollen van %(name)s") % {"name": name}
            intro = _("Rollen in andere regio's blijven zoals ze zijn.")
        context.update(
            title=title, intro=intro, cancel_url=self.url("user-detail", pk=self.person.pk)
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if self.reactivating:
                services.user_reactivate(
                    user=self.person,
                    region=self.region,
                    roles=data["roles"],
                    municipality=data["municipality"],
                    reactivated_by=self.request.user,
                    base_url=base_url(self.request),
                )
                message = _("%(name)s is weer actief.")
            else:
                services.user_roles_set(
                    user=self.person,
                    region=self.region,
                    roles=data["roles"],
                    municipality=data["municipality"],
                    changed_by=self.request.user,
                )
                message = _("De rollen van %(name)s zijn opgeslagen.")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message % {"name": person(self.person)})
        return HttpResponseRedirect(self.url("user-detail", pk=self.person.pk))


# ---------------------------------------------------------------- actions


class UserActionView(PostOnlyMixin, UserObjectMixin, generic.View):
    """One service call; a refusal becomes error messages; back to the user's page."""

    def act(self, request) -> str:
        raise NotImplementedError(f"{type(self).__qualname__} must say which service it calls")

    def post(self, request, *args, **kwargs):
        try:
            message = self.act(request)
        except ValidationError as exc:
            for reason in error_messages(exc):
                messages.error(request, reason)
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.url("user-detail", pk=self.person.pk))


class UserDeactivateView(UserActionView):
    def act(self, request):
        services.user_deactivate(user=self.person, region=self.region, deactivated_by=request.user)
        return _("%(name)s is gedeactiveerd: de rollen in %(region)s zijn ingetrokken.") % {
            "name": person(self.person),
            "region": self.region.name,
        }


class UserInvitationResendView(UserActionView):
    def act(self, request):
        services.user_invitation_resend(
            user=self.person, region=self.region, sent_by=request.user, base_url=base_url(request)
        )
        return _("De uitnodiging is opnieuw verstuurd naar %(email)s.") % {
            "email": self.person.email
        }
