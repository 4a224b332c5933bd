"""Generic, scoped browser views. Every object a view touches comes from
``Model.objects.restrict(user, action)``: outside the user's scope it is a 404; inside the
scope but without an editing role it is a 403.

- ``RegionMixin``, ``ScopedListView``, ``ScopedDetailView``: the region from the URL, the
  model's objects in the user's scope.
- ``ScopedCreateView``/``ScopedUpdateView``/``ScopedDeleteView``: model forms whose write is
  the app's service (``create_service``/``update_service``/``delete_service``).
- ``ActionView`` (POST-only) and ``FormActionView`` (a form page): the one action base. The
  object comes through the scope, ``act()`` runs one service call, a refusal is shown (as
  messages, or next to the form's fields), then a redirect.
- ``PostOnlyMixin``: any method but POST is a 405.
- ``ExportMixin`` (list pages) and ``SheetExportMixin`` (pages with tables of their own): the
  page's table as CSV or Excel at the page's own URL with ``?export=csv|xlsx`` (``core.export``),
  so the download has the page's filters, sorting and scope.

core is the lowest layer: the region model is looked up by name (``segments.Region``), never
imported."""

import re

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core import export
from core.errors import Refused
from core.scoping import scope_for

from .forms import add_service_errors, error_messages


def region_model():
    """The region model (``segments.Region``), resolved by name: core sits below segments."""
    return apps.get_model("segments", "Region")


class RegionMixin:
    """Resolves ``self.region`` from the URL among the regions the user may see."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.region = get_object_or_404(
            region_model().objects.visible_to(request.user), slug=kwargs["region"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["region"] = self.region
        context["model_meta"] = self.model._meta
        context["can_edit"] = self.user_can_edit()
        return context

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, self.model.scope_edit_roles)

    def region_filter(self) -> dict:
        return {self.model.scope_region_lookup: self.region}

    def scoped_queryset(self, action="view"):
        return self.model.objects.restrict(self.request.user, action).filter(**self.region_filter())


def export_links(request, **extra) -> list[dict]:
    """The page's download links (CSV, Excel): its own URL and querystring (its filters and
    sorting, not its page number) plus ``export=`` and ``extra``."""
    links = []
    for fmt, label in ((export.CSV, _("Download CSV")), (export.XLSX, _("Download Excel"))):
        query = request.GET.copy()
        query.pop("page", None)
        query[export.EXPORT_PARAM] = fmt
        for key, value in extra.items():
            query[key] = value
        links.append({"url": f"{request.path}?{query.urlencode()}", "label": label, "format": fmt})
    return links


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def export_refused(request, count: int):
    """Too many rows for Excel: back to the page (its filters kept) with the reason."""
    messages.error(
        request,
        _(
            "Deze tabel heeft %(count)s regels; een Excel-bestand kan er ten hoogste %(max)s "
            "bevatten. Download CSV (zonder grens) of verfijn de filters."
        )
        % {"count": _thousands(count), "max": _thousands(export.XLSX_MAX_ROWS)},
    )
    query = request.GET.copy()
    query.pop(export.EXPORT_PARAM, None)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def export_format(request) -> str | None:
    fmt = request.GET.get(export.EXPORT_PARAM)
    return fmt if fmt in export.FORMATS else None


def send_sheet(request, sheet, fmt: str, name: str):
    try:
        return export.sheet_response(sheet, fmt, name)
    except export.TooManyRows as exc:
        return export_refused(request, exc.count)


class ExportMixin:
    """A list page (django-tables2 ``SingleTableMixin`` + django-filter ``FilterView``) that
    downloads its table as CSV or Excel: ``?export=csv|xlsx`` on the page's URL gives every row
    of the page's own queryset (its scope), filtered and sorted as the page, unpaginated.
    ``export_name`` is the first part of the file name (default: the page's title)."""

    export_name = None

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs.get("data")
        if data is not None and export.EXPORT_PARAM in data:
            data = data.copy()
            data.pop(export.EXPORT_PARAM)
            kwargs["data"] = data or None
        return kwargs

    def get(self, request, *args, **kwargs):
        fmt = export_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        title = self.get_export_name()
        table = self.get_export_table()
        sheet = export.table_sheet(table, title, counted=fmt == export.XLSX)
        return send_sheet(request, sheet, fmt, self.export_filename(title, fmt))

    def get_export_table(self):
        """The page's table over all its rows (no pages), sorted as the page asks."""
        from django_tables2 import RequestConfig

        table = self.get_table_class()(data=self.get_table_data(), **self.get_export_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table

    def get_export_table_kwargs(self) -> dict:
        return self.get_table_kwargs()

    def get_export_name(self) -> str:
        if self.export_name:
            return str(self.export_name)
        title = getattr(self, "title", None)
        return str(title or self.model._meta.verbose_name_plural)

    def export_filename(self, title: str, fmt: str) -> str:
        region = getattr(self, "region", None)
        return export.filename(title, region.slug if region else "", fmt)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_links"] = export_links(self.request)
        return context


class SheetExportMixin:
    """A page with tables of its own (a dashboard): ``export_sheets(context)`` gives
    ``{name: Sheet}``; ``?export=csv|xlsx&tabel=<name>`` downloads one, with the page's month
    and scope (the sheets are built from the page's own context, small cells as suppressed
    there). The context gets ``exports``: ``{name: links}``."""

    TABLE_PARAM = "tabel"

    def export_sheets(self, context) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        fmt = export_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        if isinstance(self, generic.list.MultipleObjectMixin):
            self.object_list = self.get_queryset()  # as ListView.get (a list page's sheets)
        context = self.get_context_data(**kwargs)
        name = request.GET.get(self.TABLE_PARAM, "")
        sheets = self.export_sheets(context)
        if name not in sheets:
            raise Http404(_("Deze pagina heeft geen tabel met die naam."))
        sheet = sheets[name]
        region = getattr(self, "region", None)
        file_name = export.filename(sheet.title, region.slug if region else "", fmt)
        return send_sheet(request, sheet, fmt, file_name)

    def render_to_response(self, context, **response_kwargs):
        # after the page's own get_context_data: its tables are in the context by now
        context["exports"] = {
            name: export_links(self.request, **{self.TABLE_PARAM: name})
            for name in self.export_sheets(context)
        }
        return super().render_to_response(context, **response_kwargs)


class ScopedListView(ExportMixin, RegionMixin, SingleTableMixin, FilterView):
    template_name = "generic/list.html"
    paginate_by = 25
    create_url_name: str | None = None
    title = None

    def get_queryset(self):
        queryset = self.scoped_queryset()
        if any(f.name == "region" and f.is_relation for f in self.model._meta.fields):
            # each row's link names its region (get_absolute_url): one join, not a query a row
            queryset = queryset.select_related("region")
        return queryset

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["region"] = self.region
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.model._meta.verbose_name_plural.capitalize()
        context["create_url_name"] = self.create_url_name
        context["result_count"] = context["table"].paginator.count
        return context


class ScopedDetailView(RegionMixin, generic.DetailView):
    def get_queryset(self):
        return self.scoped_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = context["can_edit"] and self.object.can_change(self.request.user)
        return context


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ServiceFormMixin:
    """The keyword arguments a model form gives its service: its model fields, cleaned."""

    def service_fields(self, form) -> dict:
        return {
            name: value for name, value in form.cleaned_data.items() if name in form._meta.fields
        }

    def object_kwarg(self) -> str:
        """The service's keyword for the object (``CareForm`` → ``care_form``)."""
        return _snake(self.model.__name__)

    def service(self, attribute: str):
        """The app's service the view names in ``attribute``; a view without one is a
        programming error, never a silent save."""
        service = getattr(type(self), attribute, None)
        if service is None:
            raise ImproperlyConfigured(
                f"{type(self).__qualname__} names no {attribute}: every write is a service."
            )
        return service


class WriteMixin:
    """A model form page whose valid form is written by one service call (``write``); the
    service's ``ValidationError`` is shown next to the fields it names."""

    def write(self, form):
        """Write through the app's service; return the object."""
        raise NotImplementedError(
            f"{type(self).__qualname__} must say which service writes the form"
        )

    def form_valid(self, form):
        try:
            self.object = self.write(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(object)s is opgeslagen.") % {"object": self.object})
        return HttpResponseRedirect(self.get_success_url())


class EditMixin(WriteMixin, ServiceFormMixin, RegionMixin):
    """Create/update: needs an editing role in the region; the write is one service call
    (``create_service`` / ``update_service``); a ``ValidationError`` from the service is shown
    next to the fields it names."""

    template_name = "generic/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(_("U hebt in deze regio geen rol waarmee u dit mag wijzigen."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["region"] = self.region
        return kwargs


class ScopedCreateView(EditMixin, generic.CreateView):
    """``create_service(*, region, **fields)`` makes the object (fields: the form's model
    fields). A view without one fails loudly."""

    create_service = None

    def write(self, form):
        service = self.service("create_service")
        return service(region=self.region, **self.service_fields(form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Nieuw: %(model)s") % {"model": self.model._meta.verbose_name}
        return context


class ScopedUpdateView(EditMixin, generic.UpdateView):
    """``update_service(*, <model>=object, **fields)`` changes the object (``<model>`` in
    snake case, e.g. ``care_form``)."""

    update_service = None

    def get_queryset(self):
        return self.scoped_queryset()

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not obj.can_change(self.request.user):
            raise PermissionDenied(_("U mag dit niet wijzigen."))
        return obj

    def write(self, form):
        service = self.service("update_service")
        return service(**{self.object_kwarg(): self.object}, **self.service_fields(form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Wijzigen: %(object)s") % {"object": self.object}
        return context


class ConfirmedDeleteMixin:
    """For ``generic.DeleteView``s: only the confirmation form's POST deletes (through the
    view's ``form_valid``, which calls a service). An HTTP DELETE would let Django delete the
    object itself, past the service: it is refused (405)."""

    def delete(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)


class ScopedDeleteView(ConfirmedDeleteMixin, ServiceFormMixin, RegionMixin, generic.DeleteView):
    """``delete_service(*, <model>=object)`` deletes; a ``ProtectedError`` or the service's
    refusal (``ValidationError``, e.g. "still used by N …") becomes a message."""

    template_name = "generic/confirm_delete.html"
    delete_service = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.user_can_edit():
            raise PermissionDenied(
                _("U hebt in deze regio geen rol waarmee u dit mag verwijderen.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.scoped_queryset()

    def get_success_url(self):
        """The model's list page (``<app>:<model>-list``, as ``crud_paths`` names it)."""
        meta = self.model._meta
        return reverse(
            f"{meta.app_label}:{meta.model_name}-list", kwargs={"region": self.region.slug}
        )

    def delete_object(self) -> None:
        self.service("delete_service")(**{self.object_kwarg(): self.object})

    def form_valid(self, form):
        success_url = self.get_success_url()
        label = str(self.object)
        try:
            self.delete_object()
        except ProtectedError:
            messages.error(
                self.request,
                _("%(object)s kan niet worden verwijderd: er hangen nog gegevens aan.")
                % {"object": label},
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        except ValidationError as exc:
            for reason in error_messages(exc):
                messages.error(self.request, reason)
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("%(object)s is verwijderd.") % {"object": label})
        return HttpResponseRedirect(success_url)


class PostOnlyMixin:
    """POST-only: any other method is a 405 (after the view's own checks in ``dispatch``)."""

    http_method_names = ["post", "options"]


class ScopedObjectMixin(RegionMixin):
    """The URL's object, through the scope (outside it: 404), in ``self.<object_attr>``."""

    pk_kwarg = "pk"
    object_attr = "object"

    def get_object_queryset(self):
        return self.scoped_queryset()

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        setattr(
            self,
            self.object_attr,
            get_object_or_404(self.get_object_queryset(), pk=kwargs[self.pk_kwarg]),
        )

    def action_object(self):
        return getattr(self, self.object_attr)


class ChangeObjectMixin(ScopedObjectMixin):
    """Changing the object needs ``can_change`` (without it: 403, before the method is
    looked at)."""

    not_allowed_message = gettext_lazy("U hebt in deze regio geen rol waarmee u dit mag wijzigen.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.action_object().can_change(request.user):
            raise PermissionDenied(self.not_allowed_message)
        return super().dispatch(request, *args, **kwargs)

    def act(self, *args) -> str:
        """Run the one service call; return the success message (or "")."""
        raise NotImplementedError(f"{type(self).__qualname__} must say which service it calls")


class ActionView(PostOnlyMixin, ChangeObjectMixin, generic.View):
    """The action base: a POST-only action on one object the user may change. ``act(request)``
    runs one service call and returns the success message; a refusal (``ValidationError`` or
    ``core.errors.Refused``) becomes error messages; both redirect to ``success_url()``."""

    def post(self, request, *args, **kwargs):
        try:
            message = self.act(request)
        except ValidationError as exc:
            reasons = error_messages(exc)
        except Refused as exc:
            reasons = exc.reasons
        else:
            reasons = []
            if message:
                messages.success(request, message)
        for reason in reasons:
            messages.error(request, reason)
        return HttpResponseRedirect(self.success_url())

    def success_url(self):
        return self.action_object().get_absolute_url()


class RetireView(ActionView):
    """Put an object out of use, or (``retired=0`` in the form) back into use, through
    ``retire_service(*, <model in snake case>=object, retired=...)``."""

    retire_service = None

    def act(self, request):
        retired = request.POST.get("retired", "1") != "0"
        service = ServiceFormMixin.service(self, "retire_service")
        obj = self.action_object()
        service(**{_snake(type(obj).__name__): obj, "retired": retired})
        if retired:
            return _("%(object)s is niet meer in gebruik.") % {"object": obj}
        return _("%(object)s is weer in gebruik.") % {"object": obj}


class FormActionView(ChangeObjectMixin, generic.FormView):
    """The action base with a form page: ``act(form)`` runs one service call and returns the
    success message; a ``ValidationError`` is shown next to the fields it names and leaves
    nothing behind. Subclasses set ``title`` (or ``get_title``) and ``form_class``."""

    title = ""
    submit_label = gettext_lazy("Opslaan")
    danger = False
    section = ""  # the anchor on the object's page to return to

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        context["intro"] = self.get_intro()
        context["submit_label"] = self.submit_label
        context["danger"] = self.danger
        return context

    def get_title(self) -> str:
        return str(self.title)

    def get_intro(self) -> str:
        return ""

    def form_valid(self, form):
        try:
            message = self.act(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        url = self.action_object().get_absolute_url()
        return f"{url}#{self.section}" if self.section else url


def crud_paths(prefix: str, name: str, *, list_view, create, detail, update, delete) -> list:
    """The list, create, detail, update and delete pages of one model under ``prefix``
    (Dutch paths: ``nieuw/``, ``<pk>/wijzigen/``, ``<pk>/verwijderen/``)."""
    from django.urls import path

    prefix = f"{prefix}/" if prefix else ""
    return [
        path(prefix, list_view.as_view(), name=f"{name}-list"),
        path(f"{prefix}nieuw/", create.as_view(), name=f"{name}-create"),
        path(f"{prefix}<int:pk>/", detail.as_view(), name=f"{name}-detail"),
        path(f"{prefix}<int:pk>/wijzigen/", update.as_view(), name=f"{name}-update"),
        path(f"{prefix}<int:pk>/verwijderen/", delete.as_view(), name=f"{name}-delete"),
    ]
