"""Pages where the region administrator manages the region's API clients and their keys,
under /regios/<region>/api-clients/.

Who may do what: the region administrator (``CLIENT_MANAGERS``) and superusers see and change
everything here; anyone else who reads the region (other region roles, municipal users) gets a
403; a region the user does not read at all, or a client of another region, is a 404. POST-only
actions answer a GET with 405 (after those checks).

A key's token is shown once: after creating a client or a new key, the view puts it in the
session under a one-shot key and the detail page pops it (the token is never in a URL, never
logged, and the page that shows it is not cached).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.export import records_sheet
from core.scoping import scope_for
from core.ui.views import PostOnlyMixin, RegionMixin, SheetExportMixin

from . import services
from .forms import ApiClientCreateForm, ApiClientEditForm, RotateForm
from .models import CLIENT_MANAGERS, ApiClient, ApiKey, ClientKind

NOT_A_MANAGER = gettext_lazy("Alleen de regiobeheerder beheert de API-clients van de regio.")
#: the session key under which the token of a new key waits for the page that shows it once
SESSION_TOKEN = "apiclients_new_token"
#: CSS modifier of a key's status badge (the badge also says the status in words)
KEY_STATUS = {
    "geldig": ("badge--ok", gettext_lazy("geldig")),
    "verlopen": ("badge--muted", gettext_lazy("verlopen")),
    "ingetrokken": ("badge--failed", gettext_lazy("ingetrokken")),
}


class ClientsMixin(RegionMixin):
    """Every API-client page: the region from the URL (404), then the administrator's role
    (403), then the URL's objects (404)."""

    model = ApiClient

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not scope_for(request.user).has_role(self.region.pk, CLIENT_MANAGERS):
                raise PermissionDenied(NOT_A_MANAGER)
            self.check(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def check(self, request, **kwargs) -> None:
        """Fetch the URL's objects (404) before the method is looked at (405)."""

    def clients(self):
        return ApiClient.objects.editable_by(self.request.user).filter(region=self.region)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"apiclients:{name}", kwargs={"region": self.region.slug, **kwargs})


class ClientObjectMixin(ClientsMixin):
    def check(self, request, **kwargs):
        self.client = get_object_or_404(
            self.clients().select_related("municipality", "provider", "created_by"),
            pk=kwargs["pk"],
        )


def hand_over_token(request, client: ApiClient, token: str) -> None:
    """Keep the token for the one page view that shows it."""
    request.session[SESSION_TOKEN] = {"client": client.pk, "token": token}


def person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


# ---------------------------------------------------------------- list


class ClientListView(SheetExportMixin, ClientsMixin, generic.TemplateView):
    template_name = "apiclients/client_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        valid = Q(keys__revoked_at__isnull=True, keys__expires_at__gt=now)
        clients = (
            self.clients()
            .select_related("municipality", "provider")
            .annotate(
                valid_keys=Count("keys", filter=valid),
                nearest_expiry=Min("keys__expires_at", filter=valid),
                last_used=Max("keys__last_used_at"),
            )
            .order_by("name", "pk")
        )
        context.update(title=_("API-clients"), clients=clients, now=now)
        return context

    def export_sheets(self, context) -> dict:
        """The clients as the table shows them: never a key, its prefix or its hash."""

        def organisation(client):
            if client.municipality:
                return client.municipality.name
            return client.provider.name if client.provider else _("de regio")

        columns = [
            (_("Naam"), "name"),
            (_("Soort"), "get_kind_display"),
            (_("Organisatie"), organisation),
            (_("Rechten"), lambda c: ", ".join(str(s) for s in c.scope_labels)),
            (_("Actief"), "is_active"),
            (_("Geldige sleutels"), "valid_keys"),
            (_("Eerstvolgende verloopdatum"), "nearest_expiry"),
            (_("Laatst gebruikt"), "last_used"),
        ]
        return {"clients": records_sheet(_("API-clients"), columns, context["clients"])}


# ---------------------------------------------------------------- create and edit


class ClientCreateView(ClientsMixin, generic.FormView):
    template_name = "apiclients/client_form.html"
    form_class = ApiClientCreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(region=self.region, user=self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=_("Nieuwe API-client"), cancel_url=self.url("client-list"))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        client, token = services.api_client_create(
            region=self.region,
            user=self.request.user,
            expires_at=form.expires_at,
            **{name: data.get(name) for name in form.Meta.fields},
        )
        hand_over_token(self.request, client, token)
        messages.success(
            self.request,
            _("API-client %(name)s is aangemaakt, met een eerste sleutel.") % {"name": client},
        )
        return redirect(self.url("client-detail", pk=client.pk))


class ClientUpdateView(ClientObjectMixin, generic.UpdateView):
    template_name = "apiclients/client_form.html"
    form_class = ApiClientEditForm
    context_object_name = "api_client"

    def get_object(self, queryset=None):
        return self.client

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["region"] = self.region
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Wijzigen: %(name)s") % {"name": self.client},
            cancel_url=self.url("client-detail", pk=self.client.pk),
            editing=True,
        )
        return context

    def form_valid(self, form):
        client = services.api_client_update(
            client=self.client, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(self.request, _("%(name)s is opgeslagen.") % {"name": client})
        return redirect(self.url("client-detail", pk=client.pk))


# ---------------------------------------------------------------- detail


class ClientDetailView(ClientObjectMixin, generic.TemplateView):
    template_name = "apiclients/client_detail.html"

    def new_token(self) -> str | None:
        """The token of a key made just now, once: it is removed from the session here."""
        handed = self.request.session.pop(SESSION_TOKEN, None)
        if isinstance(handed, dict) and handed.get("client") == self.client.pk:
            return handed.get("token")
        return None

    def get_context_data(self, rotate_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        keys = list(self.client.keys.select_related("created_by"))
        for key in keys:
            key.badge_class, key.status_label = KEY_STATUS[key.status]
            key.created_by_name = person(key.created_by)
        context.update(
            title=str(self.client),
            api_client=self.client,
            keys=keys,
            new_token=self.new_token(),
            rotate_form=rotate_form or RotateForm(),
            created_by_name=person(self.client.created_by),
            organisation=self.client.municipality or self.client.provider,
            is_regional=self.client.kind == ClientKind.REGIONAL,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("new_token"):
            add_never_cache_headers(response)  # the token must not stay in a cache
        return response


# ---------------------------------------------------------------- actions


class ClientRotateView(ClientDetailView):
    """A new key; the current keys keep working for the chosen overlap (or stop now). An
    invalid choice shows the detail page again with the errors next to the fields."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        form = RotateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(rotate_form=form))
        token = services.api_key_rotate(
            client=self.client,
            user=request.user,
            expires_at=form.expires_at,
            overlap=form.overlap_delta,
        )
        hand_over_token(request, self.client, token)
        if form.cleaned_data["overlap"]:
            messages.success(
                request,
                _(
                    "Er is een nieuwe sleutel. De oude sleutels werken nog %(days)s dagen; zet "
                    "de nieuwe sleutel in die tijd in de koppeling."
                )
                % {"days": form.cleaned_data["overlap"]},
            )
        else:
            messages.success(
                request, _("Er is een nieuwe sleutel. De oude sleutels werken niet meer.")
            )
        return redirect(self.url("client-detail", pk=self.client.pk))


class KeyRevokeView(PostOnlyMixin, ClientObjectMixin, generic.View):
    def check(self, request, **kwargs):
        super().check(request, **kwargs)
        self.key = get_object_or_404(
            ApiKey.objects.editable_by(request.user).filter(client=self.client),
            pk=kwargs["key"],
        )

    def post(self, request, *args, **kwargs):
        if self.key.revoked_at is not None:
            messages.info(request, _("Sleutel %(key)s was al ingetrokken.") % {"key": self.key})
        else:
            services.api_key_revoke(key=self.key)
            messages.success(
                request,
                _("Sleutel %(key)s is ingetrokken en werkt niet meer.") % {"key": self.key},
            )
        return redirect(self.url("client-detail", pk=self.client.pk))


class ClientActiveView(PostOnlyMixin, ClientObjectMixin, generic.View):
    """Deactivate (no key of the client works) or activate the client again."""

    def post(self, request, *args, **kwargs):
        wanted = request.POST.get("actief") == "1"
        services.api_client_set_active(client=self.client, active=wanted)
        if wanted:
            messages.success(
                request,
                _("%(name)s is weer actief; zijn geldige sleutels werken weer.")
                % {"name": self.client},
            )
        else:
            messages.success(
                request,
                _("%(name)s is gedeactiveerd; geen van zijn sleutels werkt nog.")
                % {"name": self.client},
            )
        return redirect(self.url("client-detail", pk=self.client.pk))
