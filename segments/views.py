from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.roles import (
    HISTORY_READERS,
    LETTER_SIGNATORY_MANAGERS,
    MUNICIPALITY_ADDERS,
    PUBLIC_PAGE_MANAGERS,
)
from core.scoping import ScopedModel, scope_for
from core.ui.forms import add_service_errors
from core.ui.views import (
    RegionMixin,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)

from . import cbs, filters, forms, overview, selectors, services, tables
from .codes import ParticipationLevel
from .models import (
    CareForm,
    Municipality,
    Participation,
    Product,
    Region,
    Segment,
)


def home(request):
    regions = list(Region.objects.visible_to(request.user))
    if len(regions) == 1:
        return redirect(regions[0])
    # the header's region switch (a plain GET form): only to a region the user may see
    chosen = request.GET.get("regio")
    if chosen:
        region = next((r for r in regions if r.slug == chosen), None)
        if region is not None:
            return redirect(region)
    return render(request, "segments/home.html", {"regions": regions})


class RegionDetailView(generic.DetailView):
    template_name = "segments/region_detail.html"
    slug_url_kwarg = "region"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, user = self.object, self.request.user
        context["region"] = region
        context.update(selectors.region_counts(user=user, region=region))
        context["tree"] = selectors.segment_tree(user=user, region=region)
        context["panels"] = overview.panels_for(user=user, region=region)
        context["can_manage_public_page"] = scope_for(user).has_role(
            region.pk, PUBLIC_PAGE_MANAGERS
        )
        context["can_manage_signatory"] = scope_for(user).has_role(
            region.pk, LETTER_SIGNATORY_MANAGERS
        )
        return context


# --- Municipalities -----------------------------------------------------------------------


class MunicipalityListView(ScopedListView):
    model = Municipality
    table_class = tables.MunicipalityTable
    filterset_class = filters.MunicipalityFilterSet
    create_url_name = "segments:municipality-create"

    def get_queryset(self):
        return selectors.municipality_list(user=self.request.user, region=self.region)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).has_role(self.region.pk, MUNICIPALITY_ADDERS):
            url = reverse("segments:municipality-add", kwargs={"region": self.region.slug})
            context["extra_actions"] = [(url, _("Toevoegen op CBS-code"))]
        return context


class MunicipalityDetailView(ScopedDetailView):
    model = Municipality
    template_name = "segments/municipality_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        matrix = selectors.participation_matrix(user=self.request.user, region=self.region)
        context["cells"] = next((cells for m, cells in matrix.rows if m.pk == self.object.pk), [])
        context["providers"] = self.object.providers.visible_to(self.request.user).order_by("name")
        return context


class MunicipalityCreateView(ScopedCreateView):
    model = Municipality
    create_service = services.municipality_create
    form_class = forms.MunicipalityForm


class MunicipalityAddView(RegionMixin, generic.FormView):
    """Add municipalities by CBS code, one or many at once, all or nothing. For the landscape
    editors and the region administrator."""

    model = Municipality
    form_class = forms.MunicipalityCodesForm
    template_name = "segments/municipality_add.html"

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, MUNICIPALITY_ADDERS)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Gemeenten toevoegen op CBS-code")
        context["list_size"] = len(cbs.current())
        return context

    def form_valid(self, form):
        try:
            added = services.municipality_add_by_codes(
                region=self.region,
                codes=cbs.parse_codes(form.cleaned_data["codes"]),
                user=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Toegevoegd aan %(region)s: %(names)s.")
            % {"region": self.region.name, "names": ", ".join(m.name for m in added)},
        )
        return redirect("segments:municipality-list", region=self.region.slug)


class RegionPublicPageView(RegionMixin, generic.FormView):
    """The region's public pages: on or off, the small-cell threshold and an introduction. For
    the region administrator (and a superuser); anyone else who reads the region gets a 403."""

    model = Region
    form_class = forms.PublicPageForm
    template_name = "segments/region_public_page.html"

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, PUBLIC_PAGE_MANAGERS)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(_("Alleen de regiobeheerder stelt de openbare pagina in."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        region = self.region
        return {
            "public_page_enabled": region.public_page_enabled,
            "public_min_cell": region.public_min_cell,
            "public_intro": region.public_intro,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Openbare pagina")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.region_public_page_set(
                region=self.region,
                enabled=data["public_page_enabled"],
                min_cell=data["public_min_cell"],
                intro=data["public_intro"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if self.region.public_page_enabled:
            messages.success(self.request, _("De openbare pagina staat aan."))
        else:
            messages.success(self.request, _("De openbare pagina staat uit."))
        return redirect("segments:public-page", region=self.region.slug)


class RegionLetterSignatoryView(RegionMixin, generic.FormView):
    """Who signs the region's decision letters, and the contracting authority they speak for.
    For the region administrator (and a superuser); anyone else who reads the region gets a
    403."""

    model = Region
    form_class = forms.LetterSignatoryForm
    template_name = "segments/region_letter_signatory.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_role(
            self.region.pk, LETTER_SIGNATORY_MANAGERS
        ):
            raise PermissionDenied(_("Alleen de regiobeheerder stelt de ondertekening in."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        region = self.region
        return {
            "contracting_authority": region.contracting_authority,
            "letter_signatory_name": region.letter_signatory_name,
            "letter_signatory_function": region.letter_signatory_function,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Ondertekening van brieven")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.region_letter_signatory_set(
                region=self.region,
                name=data["letter_signatory_name"],
                function=data["letter_signatory_function"],
                contracting_authority=data["contracting_authority"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De ondertekening van de brieven is opgeslagen."))
        return redirect("segments:letter-signatory", region=self.region.slug)


class MunicipalityUpdateView(ScopedUpdateView):
    model = Municipality
    update_service = services.municipality_update
    form_class = forms.MunicipalityForm


class MunicipalityDeleteView(ScopedDeleteView):
    model = Municipality
    delete_service = services.municipality_delete


# --- Segments -----------------------------------------------------------------------------


class SegmentTreeView(RegionMixin, generic.TemplateView):
    model = Segment
    template_name = "segments/segment_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Segment.objects.visible_to(self.request.user).filter(region=self.region)
        filterset = filters.SegmentFilterSet(
            self.request.GET or None, queryset=queryset, region=self.region
        )
        context["filter"] = filterset
        filtering = (
            filterset.is_bound
            and filterset.is_valid()
            and any(filterset.form.cleaned_data.values())
        )
        context["filtering"] = filtering
        if filtering:
            context["results"] = filterset.qs.select_related("parent").order_by("code")
        context["tree"] = selectors.segment_tree(user=self.request.user, region=self.region)
        return context


class SegmentDetailView(ScopedDetailView):
    model = Segment
    template_name = "segments/segment_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("parent")
            .prefetch_related("care_forms", "children")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = selectors.participation_exceptions(
            user=self.request.user, segment=self.object
        )
        return context


class SegmentCreateView(ScopedCreateView):
    model = Segment
    create_service = services.segment_create
    form_class = forms.SegmentForm

    def get_initial(self):
        initial = super().get_initial()
        if "parent" in self.request.GET:
            initial["parent"] = self.request.GET["parent"]
        return initial


class SegmentUpdateView(ScopedUpdateView):
    model = Segment
    update_service = services.segment_update
    form_class = forms.SegmentForm


class SegmentDeleteView(ScopedDeleteView):
    model = Segment
    delete_service = services.segment_delete

    def get_success_url(self):
        return reverse("segments:segment-tree", kwargs={"region": self.region.slug})


# --- Participation matrix ------------------------------------------------------------------


class ParticipationMatrixView(RegionMixin, generic.TemplateView):
    model = Participation
    template_name = "segments/participation_matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matrix"] = selectors.participation_matrix(
            user=self.request.user, region=self.region
        )
        context["levels"] = ParticipationLevel
        return context


class ParticipationEditView(RegionMixin, generic.FormView):
    """Edit one cell of the matrix: how a municipality takes part in a (sub-)segment."""

    model = Participation
    form_class = forms.ParticipationForm
    template_name = "segments/participation_form.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.municipality = get_object_or_404(
            Municipality.objects.visible_to(user).filter(region=self.region),
            pk=kwargs["municipality"],
        )
        self.segment = get_object_or_404(
            Segment.objects.visible_to(user).filter(region=self.region), pk=kwargs["segment"]
        )
        if not self.user_can_edit():
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = selectors.participation_or_new(
            municipality=self.municipality, segment=self.segment
        )
        return kwargs

    def form_valid(self, form):
        try:
            services.participation_set(
                municipality=self.municipality,
                segment=self.segment,
                level=form.cleaned_data["level"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Deelname van %(municipality)s aan %(segment)s is opgeslagen.")
            % {"municipality": self.municipality.name, "segment": self.segment},
        )
        return redirect("segments:participation-matrix", region=self.region.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipality"] = self.municipality
        context["segment"] = self.segment
        return context


# --- Care forms, products ----------------------------------------------------------------


class CareFormListView(ScopedListView):
    model = CareForm
    table_class = tables.CareFormTable
    filterset_class = filters.CareFormFilterSet
    create_url_name = "segments:careform-create"

    def get_queryset(self):
        return selectors.care_form_list(user=self.request.user, region=self.region)


class CareFormDetailView(ScopedDetailView):
    model = CareForm
    template_name = "segments/careform_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["products"] = self.object.products.visible_to(user)
        context["segments"] = self.object.segments.visible_to(user).order_by("code")
        context["providers"] = self.object.providers.visible_to(user).order_by("name")
        return context


class CareFormCreateView(ScopedCreateView):
    model = CareForm
    create_service = services.care_form_create
    form_class = forms.CareFormForm


class CareFormUpdateView(ScopedUpdateView):
    model = CareForm
    update_service = services.care_form_update
    form_class = forms.CareFormForm


class CareFormDeleteView(ScopedDeleteView):
    model = CareForm
    delete_service = services.care_form_delete


class ProductListView(ScopedListView):
    model = Product
    table_class = tables.ProductTable
    filterset_class = filters.ProductFilterSet
    create_url_name = "segments:product-create"

    def get_queryset(self):
        return selectors.product_list(user=self.request.user, region=self.region)


class ProductDetailView(ScopedDetailView):
    model = Product
    template_name = "segments/product_detail.html"


class ProductCreateView(ScopedCreateView):
    model = Product
    create_service = services.product_create
    form_class = forms.ProductForm

    def get_initial(self):
        """From a profile's page: the profile and intensity of the missing product."""
        initial = super().get_initial()
        for name in ("support_profile", "intensity", "care_form"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = int(value)
        return initial


class ProductUpdateView(ScopedUpdateView):
    model = Product
    update_service = services.product_update
    form_class = forms.ProductForm


class ProductDeleteView(ScopedDeleteView):
    model = Product
    delete_service = services.product_delete


# --- History ---------------------------------------------------------------------------------


class HistoryView(RegionMixin, generic.TemplateView):
    """The audit trail of one object: who changed what, when."""

    template_name = "segments/history.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.model = apps.get_model(kwargs["model"])
        except (LookupError, ValueError) as exc:
            raise Http404 from exc
        if not (issubclass(self.model, ScopedModel) and auditlog.contains(self.model)):
            raise Http404
        # The audit trail names officers: region roles only, not municipal users (the
        # "Geschiedenis" button shows on the same check: core.context_processors).
        if not scope_for(request.user).has_role(self.region.pk, HISTORY_READERS):
            raise Http404
        self.object = get_object_or_404(self.scoped_queryset(), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["entries"] = LogEntry.objects.get_for_object(self.object).select_related("actor")
        return context
