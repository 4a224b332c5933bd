"""The installation administrator's pages, under /installatie/regios/: the regions of this
installation, a new region, and the invitation of a region's (first) region administrator.

Superusers only: anyone else gets a 403. Everything after that — the region's municipalities,
its users, its set-up — is done in the region's own pages by its region administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.export import records_sheet
from core.roles import Role
from core.ui.forms import add_service_errors
from core.ui.views import SheetExportMixin
from segments import services as region_services
from segments.models import Region

from . import selectors, services
from .forms import AdministratorInviteForm, RegionEditForm, RegionForm
from .views import base_url, decorate, person

ONLY_INSTALLATION_ADMINS = gettext_lazy(
    "Alleen de installatiebeheerder maakt regio's aan en nodigt hun eerste regiobeheerder uit."
)


class InstallationMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied(ONLY_INSTALLATION_ADMINS)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_url"] = reverse("installation:region-list")
        context["section_label"] = _("Installatie")
        return context


class InstallationRegionMixin(InstallationMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.region = get_object_or_404(Region, slug=kwargs["region"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # TemplateView puts the URL's ``region`` (the slug) in the context; the breadcrumbs
        # read ``region`` as the region object of a region page: leave it out here.
        context.pop("region", None)
        return context

    def region_url(self) -> str:
        return reverse("installation:region-detail", kwargs={"region": self.region.slug})


class RegionListView(SheetExportMixin, InstallationMixin, generic.TemplateView):
    template_name = "installation/region_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = Region.objects.annotate(
            municipality_count=Count("municipalities", distinct=True),
            administrator_count=Count(
                "memberships",
                filter=Q(memberships__role=Role.ADMINISTRATOR),
                distinct=True,
            ),
        ).order_by("name")
        context.update(title=_("Regio's van deze installatie"), regions=regions)
        context.pop("section_url")
        return context

    def export_sheets(self, context) -> dict:
        columns = [
            (_("Naam"), "name"),
            (_("Code"), "slug"),
            (_("Aanbestedende dienst"), "contracting_authority"),
            (_("Gemeenten"), "municipality_count"),
            (_("Regiobeheerders"), "administrator_count"),
        ]
        return {"regios": records_sheet(_("Regio's"), columns, context["regions"])}


class RegionCreateView(InstallationMixin, generic.FormView):
    template_name = "generic/form.html"
    form_class = RegionForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Nieuwe regio"),
            intro=_(
                "Na het aanmaken nodigt u de eerste regiobeheerder van de regio uit; die "
                "nodigt de andere gebruikers uit en richt de regio verder in."
            ),
            cancel_url=reverse("installation:region-list"),
        )
        return context

    def form_valid(self, form):
        try:
            region = region_services.region_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Regio %(name)s is aangemaakt. Nodig nu de eerste regiobeheerder uit.")
            % {"name": region.name},
        )
        return HttpResponseRedirect(
            reverse("installation:administrator-invite", kwargs={"region": region.slug})
        )


class RegionDetailView(InstallationRegionMixin, generic.TemplateView):
    template_name = "installation/region_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [decorate(r) for r in selectors.region_users(region=self.region)]
        administrators = [r for r in rows if Role.ADMINISTRATOR in r.roles]
        context.update(
            title=self.region.name,
            installation_region=self.region,
            rows=rows,
            administrators=administrators,
            municipality_count=self.region.municipalities.count(),
        )
        return context


class RegionUpdateView(InstallationRegionMixin, generic.FormView):
    template_name = "generic/form.html"
    form_class = RegionEditForm

    def get_initial(self):
        return {
            "name": self.region.name,
            "contracting_authority": self.region.contracting_authority,
            "description": self.region.description,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Wijzigen: %(name)s") % {"name": self.region.name},
            cancel_url=self.region_url(),
        )
        return context

    def form_valid(self, form):
        try:
            region_services.region_update(region=self.region, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is opgeslagen.") % {"name": self.region.name})
        return HttpResponseRedirect(self.region_url())


class AdministratorInviteView(InstallationRegionMixin, generic.FormView):
    template_name = "generic/form.html"
    form_class = AdministratorInviteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("Regiobeheerder uitnodigen voor %(name)s") % {"name": self.region.name},
            intro=_(
                "De regiobeheerder krijgt een e-mail met een link om een wachtwoord te kiezen. "
                "Daarna beheert de regiobeheerder de gebruikers, API-clients en het "
                "rapportageschema van de regio."
            ),
            cancel_url=self.region_url(),
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
                roles=[Role.ADMINISTRATOR],
                invited_by=self.request.user,
                base_url=base_url(self.request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is uitgenodigd als regiobeheerder van %(region)s.")
            % {"name": person(user), "region": self.region.name},
        )
        return HttpResponseRedirect(self.region_url())
