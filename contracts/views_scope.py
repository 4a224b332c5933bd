"""A contract's municipality scope (the action on a contract) and the budget per segment and
year with its free and reserved budgets (region staff; changing needs a contract role)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.export import records_sheet
from core.scoping import scope_for
from core.ui.forms import add_service_errors
from core.ui.views import RegionMixin, SheetExportMixin
from segments.models import Municipality, Segment

from . import segment_budgets
from .forms_scope import ALL, SOME, MunicipalityScopeForm, SegmentBudgetForm
from .models import CONTRACT_EDITORS, SegmentBudget
from .scope import contract_set_municipality_scope, scope_label
from .views import ContractActionView
from .views_money import is_region_staff

# ---------------------------------------------------------------- municipality scope


class ContractScopeView(ContractActionView):
    form_class = MunicipalityScopeForm
    title = gettext_lazy("Gemeenten van het contract")
    submit_label = gettext_lazy("Gemeenten vastleggen")
    section = "gebeurtenissen"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["municipalities"] = Municipality.objects.visible_to(self.request.user).filter(
            region=self.region
        )
        return kwargs

    def get_initial(self):
        c = self.contract
        chosen = list(c.municipalities.all())
        today = timezone.localdate()
        return {
            "applies_to": SOME if chosen else ALL,
            "municipalities": chosen,
            "effective_on": max(today, c.start_date),
        }

    def get_intro(self):
        return _(
            "Een contract geldt voor alle gemeenten van de regio, of alleen voor enkele "
            "(bijvoorbeeld een pilot). Nu: %(now)s. Productie van een andere gemeente wordt bij "
            "de import geweigerd; een gemeente met productie bij dit contract kan er niet uit. "
            "De wijziging wordt vastgelegd als gebeurtenis."
        ) % {"now": scope_label(self.contract.municipalities.all())}

    def act(self, form):
        event = contract_set_municipality_scope(
            contract=self.contract,
            municipalities=form.chosen(),
            effective_on=form.cleaned_data["effective_on"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
        )
        if event is None:
            return _("Er is niets gewijzigd: het contract geldt al voor deze gemeenten.")
        return _("Het contract geldt nu voor: %(scope)s.") % {"scope": scope_label(form.chosen())}


# ---------------------------------------------------------------- budget per segment


def chosen_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class SegmentBudgetMixin(RegionMixin):
    """Region staff only: the overview adds up every contract's budget. Changing the free and
    reserved budgets needs a contract role (officer, contract manager)."""

    model = SegmentBudget
    needs_edit = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not is_region_staff(request.user, self.region):
                raise PermissionDenied(
                    _("Het budget per segment is alleen voor medewerkers van de regio.")
                )
            if self.needs_edit and not self.can_edit():
                raise PermissionDenied(
                    _("U hebt in deze regio geen rol waarmee u dit mag wijzigen.")
                )
        return super().dispatch(request, *args, **kwargs)

    def can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, CONTRACT_EDITORS)

    def list_url(self, year: int) -> str:
        url = reverse("contracts:segment-budgets", kwargs={"region": self.region.slug})
        return f"{url}?jaar={year}"

    def segments(self):
        return Segment.objects.visible_to(self.request.user).filter(region=self.region)


class SegmentBudgetListView(SheetExportMixin, SegmentBudgetMixin, generic.TemplateView):
    template_name = "contracts/segment_budgets.html"

    def export_sheets(self, context) -> dict:
        """The year's table as the page shows it: per segment contracted, free, reserved and
        the segment's budget."""

        def amount(kind):
            return lambda row: getattr(row, kind).amount if getattr(row, kind) else None

        columns = [
            (_("Segment"), lambda row: str(row.segment)),
            (_("Gecontracteerd"), "contracted"),
            (_("Contracten"), "contracts"),
            (_("Vrij budget"), amount("free")),
            (_("Gereserveerd voor nieuwe aanbieders"), amount("reserved")),
            (_("Budget segment"), "total"),
        ]
        title = _("Budget per segment %(year)s") % {"year": context["year"]}
        return {"segmenten": records_sheet(title, columns, context["overview"]["rows"])}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = chosen_year(self.request.GET.get("jaar"))
        this = timezone.localdate().year
        context.update(
            title=_("Budget per segment %(year)s") % {"year": year},
            year=year,
            years=sorted(set(range(this - 4, this + 2)) | {year}, reverse=True),
            overview=segment_budgets.segment_budget_overview(self.region, year, self.request.user),
            can_edit=self.can_edit(),
        )
        return context


class SegmentBudgetEditView(SegmentBudgetMixin, generic.FormView):
    """A new free or reserved budget, or a change of one's amount and note."""

    template_name = "generic/form.html"
    form_class = SegmentBudgetForm
    needs_edit = True

    @cached_property
    def object(self) -> SegmentBudget | None:
        """The budget being changed (after the role check in ``dispatch``), or ``None``."""
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            SegmentBudget.objects.editable_by(self.request.user).filter(region=self.region),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["segments"] = self.segments()
        kwargs["fixed"] = self.object is not None
        return kwargs

    def get_initial(self):
        if self.object is not None:
            return {"amount": self.object.amount, "note": self.object.note}
        initial = {"year": chosen_year(self.request.GET.get("jaar"))}
        segment = self.request.GET.get("segment")
        if segment and segment.isdigit():
            initial["segment"] = self.segments().filter(pk=segment).first()
        kind = self.request.GET.get("soort")
        if kind:
            initial["kind"] = kind
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is not None:
            context["title"] = _("%(object)s wijzigen") % {"object": self.object}
            year = self.object.year
        else:
            context["title"] = _("Vrij of gereserveerd budget vastleggen")
            year = chosen_year(self.request.GET.get("jaar"))
        context["intro"] = _(
            "Naast de budgetten van de contracten heeft een segment per jaar een vrij budget "
            "(voor uitzonderlijke gezinnen) en een budget dat is gereserveerd voor nieuwe "
            "aanbieders. Samen vormen ze het budget van het segment."
        )
        context["cancel_url"] = self.list_url(year)
        return context

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            if self.object is None:
                budget = segment_budgets.segment_budget_create(
                    region=self.region,
                    segment=d["segment"],
                    year=d["year"],
                    kind=d["kind"],
                    amount=d["amount"],
                    note=d["note"],
                    user=self.request.user,
                )
            else:
                budget = segment_budgets.segment_budget_update(
                    budget=self.object, amount=d["amount"], note=d["note"], user=self.request.user
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(object)s is opgeslagen.") % {"object": budget})
        return HttpResponseRedirect(self.list_url(budget.year))


class SegmentBudgetDeleteView(SegmentBudgetMixin, generic.TemplateView):
    template_name = "contracts/segment_budget_delete.html"
    needs_edit = True

    def budget(self) -> SegmentBudget:
        return get_object_or_404(
            SegmentBudget.objects.editable_by(self.request.user).filter(region=self.region),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.budget()
        context["title"] = _("Verwijderen: %(object)s") % {"object": context["object"]}
        return context

    def post(self, request, *args, **kwargs):
        budget = self.budget()
        label, year = str(budget), budget.year
        segment_budgets.segment_budget_delete(budget=budget, user=request.user)
        messages.success(request, _("%(object)s is verwijderd.") % {"object": label})
        return HttpResponseRedirect(self.list_url(year))
