"""The portal after the award (``/portaal/<provider>/…``): the provider's contracts with their
tariffs, budgets and ceilings; delivering production (upload) and following the deliveries;
the provider's API keys.

Every object is found through the user's scope (``visible_to``) and then through the provider of
the page: another provider's contract, batch or API client is a 404. Production goes through the
import service (``portal.services_contracts.provider_production_offer``); API keys are created
and revoked by the provider's administrator only (an employee sees them: a POST is a 403).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.ui.forms import add_service_errors, error_messages
from core.ui.views import PostOnlyMixin, SheetExportMixin, export_format
from monitoring.imports.formats import human_size
from monitoring.imports.forms import ImportForm
from monitoring.imports.progress import counts, progress_text
from monitoring.imports.views import (
    ERRORS_PER_PAGE,
    STATUS_CLASS,
    batches_sheet,
    column_help,
    errors_csv,
    status_response,
)

from . import selectors_contracts as selectors
from . import services_contracts as services
from .forms_contracts import ProviderApiClientForm
from .views import PortalMixin

#: the session key under which a new key's token waits for the one page view that shows it
SESSION_TOKEN = "portal_new_api_token"


# ---------------------------------------------------------------- contracts


class ContractListView(SheetExportMixin, PortalMixin, generic.TemplateView):
    template_name = "portal/contracts/contract_list.html"
    portal_section = "contracts"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Contracten")
        context["contracts"] = selectors.provider_contracts(
            user=self.request.user, provider=self.provider
        )
        return context

    def export_sheets(self, context) -> dict:
        columns = [
            (_("Kenmerk"), "reference"),
            (_("Contractpartij"), "provider.name"),
            (_("Segment"), lambda c: str(c.segment)),
            (_("Perceel"), lambda c: str(c.lot) if c.lot else None),
            (_("Ingangsdatum"), "start_date"),
            (_("Einde huidige looptijd"), "end_date"),
            (_("Status"), "get_status_display"),
        ]
        return {"contracten": records_sheet(_("Contracten"), columns, context["contracts"])}


class ContractDetailView(SheetExportMixin, PortalMixin, generic.TemplateView):
    template_name = "portal/contracts/contract_detail.html"
    portal_section = "contracts"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contracts = selectors.provider_contracts(user=self.request.user, provider=self.provider)
        contract = get_object_or_404(contracts.select_related("region"), pk=self.kwargs["pk"])
        context.update(
            selectors.contract_view(user=self.request.user, contract=contract),
            contract=contract,
            title=f"{contract.reference} {contract.segment}",
        )
        return context

    def export_sheets(self, context) -> dict:
        """The contract's tariffs (every version of every product) and its budgets."""
        reference = context["contract"].reference
        tariffs = [
            {"product": row["product"], "version": line["version"], "in_force": line["in_force"]}
            for row in context["tariffs"]
            for line in row["lines"]
        ]
        return {
            "tarieven": records_sheet(
                f"{_('Tarieven')} {reference}",
                [
                    (_("Productcode"), "product.code"),
                    (_("Product"), "product.name"),
                    (_("Eenheid"), "product.get_unit_display"),
                    (_("Geldig vanaf"), "version.valid_from"),
                    (_("Geldig tot en met"), "version.valid_until"),
                    (_("Tarief"), "version.amount"),
                    (_("Geldt nu"), "in_force"),
                    (_("Herkomst"), "version.get_origin_display"),
                    (
                        _("Tarief van"),
                        lambda r: _("Contract") if r["version"].contract_id else _("Regionaal"),
                    ),
                    (_("Indexatie (%)"), "version.indexation.percentage"),
                ],
                tariffs,
            ),
            "budgetten": records_sheet(
                f"{_('Budgetten')} {reference}",
                [
                    (_("Jaar"), "year"),
                    (_("Soort"), "get_kind_display"),
                    (_("Profiel"), lambda b: str(b.support_profile) if b.support_profile else None),
                    (_("Oorspronkelijk"), "amount"),
                    (_("Huidig"), "current_amount"),
                    (
                        _("Herijkingen"),
                        lambda b: "; ".join(
                            f"{r.effective_on.isoformat()}: {r.amount} – {r.reason}"
                            for r in b.revisions.all()
                        ),
                    ),
                ],
                context["budgets"],
            ),
        }


# ---------------------------------------------------------------- production


class ProductionListView(SheetExportMixin, PortalMixin, generic.ListView):
    template_name = "portal/contracts/production_list.html"
    portal_section = "production"
    paginate_by = 25
    context_object_name = "batches"

    def get_queryset(self):
        return selectors.provider_batches(user=self.request.user, provider=self.provider)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Productie")
        pending = [b for b in context["batches"] if not b.is_finished]
        context["refresh"] = bool(pending)
        # the page polls the oldest delivery still on its way and reloads when it is done
        context["status_url"] = (
            reverse(
                "portal:batch-status", kwargs={"provider": self.provider.pk, "pk": pending[-1].pk}
            )
            if pending
            else ""
        )
        context["pending_count"] = len(pending)
        for batch in context["batches"]:
            batch.href = reverse(
                "portal:batch-detail", kwargs={"provider": self.provider.pk, "pk": batch.pk}
            )
        return context

    def export_sheets(self, context) -> dict:
        """Every delivery (not only the page's 25)."""
        return {"aanleveringen": batches_sheet(_("Aanleveringen"), self.get_queryset(), _("API"))}


class ProductionUploadView(PortalMixin, generic.FormView):
    template_name = "portal/contracts/production_upload.html"
    portal_section = "production"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Productie aanleveren")
        context["kinds"] = column_help()
        context["max_size"] = human_size(settings.IMPORT_MAX_BYTES)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            batch = services.provider_production_offer(
                provider=self.provider,
                user=self.request.user,
                kind=data["kind"],
                file_format=data["file_format"],
                upload=data["file"],
                uploads=data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        batch.refresh_from_db()  # in the tests (no broker, no thread) it has already run
        if not batch.is_finished:
            messages.success(
                self.request,
                _("%(name)s is ontvangen en wordt geïmporteerd.") % {"name": batch.file_name},
            )
        return redirect("portal:batch-detail", provider=self.provider.pk, pk=batch.pk)


class BatchMixin(PortalMixin):
    def get_batch(self):
        return get_object_or_404(
            selectors.provider_batches(user=self.request.user, provider=self.provider),
            pk=self.kwargs["pk"],
        )


class BatchDetailView(BatchMixin, generic.TemplateView):
    template_name = "portal/contracts/batch_detail.html"
    portal_section = "production"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.get_batch()
        context.update(
            batch=batch,
            title=_("Aanlevering %(pk)s: %(name)s") % {"pk": batch.pk, "name": batch.file_name},
            refresh=not batch.is_finished,
            progress_text=progress_text(batch),
            counts=counts(batch),
            status_url=reverse(
                "portal:batch-status", kwargs={"provider": self.provider.pk, "pk": batch.pk}
            ),
            error_page=Paginator(batch.errors or [], ERRORS_PER_PAGE).get_page(
                self.request.GET.get("pagina")
            ),
            errors_hidden=max(0, batch.error_count - len(batch.errors or [])),
            months=[date.fromisoformat(m) for m in batch.months or []],
            size=human_size(batch.file_size),
            status_class=STATUS_CLASS.get(batch.status, ""),
        )
        return context


class BatchStatusView(BatchMixin, generic.View):
    """The delivery's progress as JSON, polled by its page (scoped as the page)."""

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        url = reverse("portal:batch-detail", kwargs={"provider": self.provider.pk, "pk": batch.pk})
        return status_response(batch, url)


class BatchErrorsCsvView(BatchMixin, generic.View):
    """The batch's errors as CSV, as the region's own download (no BSN: masked at the door)."""

    def get(self, request, *args, **kwargs):
        return errors_csv(self.get_batch())


# ---------------------------------------------------------------- API keys


class ApiKeysView(SheetExportMixin, PortalMixin, generic.FormView):
    """The provider's API clients; its administrator creates one here (the key is shown
    once, on the next page view) — an employee sees the list and gets a 403 on a POST."""

    template_name = "portal/contracts/api_keys.html"
    portal_section = "api_keys"
    form_class = ProviderApiClientForm

    def post(self, request, *args, **kwargs):
        if not self.is_admin:
            raise PermissionDenied(_("Alleen een beheerder van de aanbieder maakt API-sleutels."))
        return super().post(request, *args, **kwargs)

    def new_token(self) -> dict | None:
        if export_format(self.request):
            return None  # a download neither holds nor uses up the key shown once
        handed = self.request.session.pop(SESSION_TOKEN, None)
        if isinstance(handed, dict) and handed.get("provider") == self.provider.pk:
            return handed
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("API-sleutels"),
            clients=selectors.provider_api_clients(user=self.request.user, provider=self.provider),
            new_token=self.new_token(),
            api_base=self.request.build_absolute_uri("/api/v1"),
        )
        if not self.is_admin:
            context.pop("form", None)
        return context

    def export_sheets(self, context) -> dict:
        """The keys as the table shows them: names, rights and dates, never key material (the
        token is not in the database; its hash and prefix are not exported either)."""

        def status(client):
            if not client.is_active:
                return _("ingetrokken")
            return _("geldig") if client.valid_keys else _("verlopen")

        def valid_until(client):
            if not (client.is_active and client.valid_keys):
                return None
            return ", ".join(k.expires_at.date().isoformat() for k in client.valid_keys)

        columns = [
            (_("Naam"), "own_name"),
            (_("Contact"), "contact_email"),
            (_("Wat de sleutel mag"), lambda c: ", ".join(str(s) for s in c.scope_labels)),
            (_("Status"), status),
            (_("Geldig tot"), valid_until),
            (_("Laatst gebruikt"), "last_used"),
            (_("Aangemaakt"), "created_at"),
            (
                _("Aangemaakt door"),
                lambda c: (
                    (c.created_by.get_full_name() or c.created_by.email) if c.created_by else None
                ),
            ),
        ]
        return {"sleutels": records_sheet(_("API-sleutels"), columns, context["clients"])}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)  # a token must not stay in a cache
        return response

    def form_valid(self, form):
        try:
            client, token = services.provider_api_client_create(
                provider=self.provider,
                user=self.request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                contact_email=form.cleaned_data["contact_email"],
                expires_at=form.expires_at,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        self.request.session[SESSION_TOKEN] = {
            "provider": self.provider.pk,
            "client": client.pk,
            "token": token,
        }
        messages.success(self.request, _("De API-sleutel is aangemaakt."))
        return redirect("portal:api-keys", provider=self.provider.pk)


class ApiClientRevokeView(PostOnlyMixin, PortalMixin, generic.View):
    def post(self, request, *args, **kwargs):
        client = get_object_or_404(
            selectors.api_clients_of(user=request.user, provider=self.provider),
            pk=kwargs["pk"],
        )
        if not self.is_admin:
            raise PermissionDenied(_("Alleen een beheerder van de aanbieder trekt sleutels in."))
        try:
            services.provider_api_client_revoke(client=client, user=request.user)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is ingetrokken; geen van zijn sleutels werkt nog.")
                % {"name": client.name},
            )
        return redirect("portal:api-keys", provider=self.provider.pk)
