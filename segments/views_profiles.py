"""Support profiles and intensities: the region's own care descriptions, listed, edited and retired
through ``segments.services``."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.export import records_sheet
from core.ui.views import (
    RegionMixin,
    RetireView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedUpdateView,
    SheetExportMixin,
)

from . import forms, selectors, services
from .models import (
    Intensity,
    SupportProfile,
)


class SupportProfileListView(SheetExportMixin, RegionMixin, generic.ListView):
    """The region's support profiles and intensities, with one product per combination; both
    tables download (``?export=csv&tabel=profielen|intensiteiten``)."""

    model = SupportProfile
    template_name = "segments/supportprofile_list.html"

    def get_queryset(self):
        return selectors.support_profile_list(user=self.request.user, region=self.region)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intensities"] = selectors.intensity_list(
            user=self.request.user, region=self.region
        )
        context["can_edit"] = self.user_can_edit()
        return context

    def export_sheets(self, context) -> dict:
        def products(profile):
            return ", ".join(p.intensity.name for p in profile.products.all())

        def parallel(intensity):
            if intensity.parallel == "limited":
                return _("Ten hoogste %(days)s dagen") % {"days": intensity.parallel_max_days}
            return intensity.get_parallel_display()

        return {
            "profielen": records_sheet(
                _("Ondersteuningsprofielen"),
                [
                    (_("Nr."), "number"),
                    (_("Profiel"), "name"),
                    (_("Omschrijving"), "description"),
                    (_("Producten (profiel × intensiteit)"), products),
                    (_("Niet meer in gebruik"), "retired"),
                ],
                context["object_list"],
            ),
            "intensiteiten": records_sheet(
                _("Intensiteiten"),
                [
                    (_("Intensiteit"), "name"),
                    (_("Code"), "code"),
                    (_("Naast een ander profiel"), parallel),
                    (_("Producten"), "product_count"),
                    (_("Niet meer in gebruik"), "retired"),
                ],
                context["intensities"],
            ),
        }


class SupportProfileDetailView(ScopedDetailView):
    model = SupportProfile
    template_name = "segments/supportprofile_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cells"] = selectors.profile_products(
            user=self.request.user, support_profile=self.object
        )
        return context


class SupportProfileCreateView(ScopedCreateView):
    model = SupportProfile
    create_service = services.support_profile_create
    form_class = forms.SupportProfileForm


class SupportProfileUpdateView(ScopedUpdateView):
    model = SupportProfile
    update_service = services.support_profile_update
    form_class = forms.SupportProfileForm


class SupportProfileDeleteView(ScopedDeleteView):
    model = SupportProfile
    delete_service = services.support_profile_delete


class SupportProfileRetireView(RetireView):
    model = SupportProfile
    retire_service = services.support_profile_retire


class IntensityDetailView(ScopedDetailView):
    model = Intensity
    template_name = "segments/intensity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = (
            self.object.products.visible_to(self.request.user)
            .select_related("support_profile")
            .order_by("support_profile__number")
        )
        return context


class IntensityListView(RegionMixin, generic.RedirectView):
    """Intensities are listed with the support profiles."""

    def get_redirect_url(self, *args, **kwargs):
        return reverse("segments:supportprofile-list", kwargs={"region": self.region.slug})


class IntensityCreateView(ScopedCreateView):
    model = Intensity
    create_service = services.intensity_create
    form_class = forms.IntensityForm


class IntensityUpdateView(ScopedUpdateView):
    model = Intensity
    update_service = services.intensity_update
    form_class = forms.IntensityForm


class IntensityDeleteView(ScopedDeleteView):
    model = Intensity
    delete_service = services.intensity_delete

    def get_success_url(self):
        return reverse("segments:supportprofile-list", kwargs={"region": self.region.slug})


class IntensityRetireView(RetireView):
    model = Intensity
    retire_service = services.intensity_retire
