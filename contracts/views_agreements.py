"""A contract's agreements: KPI agreements, funding arrangements, the lumpsum plan and budgets (new
and revised). Every change goes through ``contracts.services``; a refusal shows the service's
reason next to its field."""

from django.forms import Form
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.views import ContractActionView
from core.ui.formatting import euro
from core.ui.formatting import format_date as _d

from . import forms, services
from .models import Budget, FundingArrangement, KpiAgreement


class KpiMixin:
    """An agreement of this contract, among those the user may see: outside the scope it is a
    404; the right to change it is checked in ``dispatch`` (403)."""

    section = "kpis"

    def kpi(self):
        return get_object_or_404(
            KpiAgreement.objects.restrict(self.request.user).filter(contract=self.contract),
            pk=self.kwargs["kpi"],
        )


def recalculating() -> str:
    """Said after a KPI agreement changes: monitoring judges every month again."""
    return _(
        "De signalen van alle maanden worden herberekend; de voortgang staat bij Monitoring › "
        "Normen."
    )


class KpiCreateView(KpiMixin, ContractActionView):
    form_class = forms.KpiAgreementForm
    title = gettext_lazy("KPI-afspraak toevoegen")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.contract}

    def act(self, form):
        kpi = services.kpi_agreement_create(
            contract=self.contract, user=self.request.user, **form.cleaned_data
        )
        return (_("KPI-afspraak '%(kpi)s' is toegevoegd.") + " " + recalculating()) % {
            "kpi": kpi.get_kpi_display()
        }


class KpiUpdateView(KpiMixin, ContractActionView):
    form_class = forms.KpiAgreementForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.kpi()

    def get_title(self):
        return _("KPI-afspraak wijzigen: %(kpi)s") % {"kpi": self.object.get_kpi_display()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.contract, "instance": self.object}

    def act(self, form):
        kpi = services.kpi_agreement_update(
            agreement=self.object, user=self.request.user, **form.cleaned_data
        )
        return (_("KPI-afspraak '%(kpi)s' is gewijzigd.") + " " + recalculating()) % {
            "kpi": kpi.get_kpi_display()
        }


class KpiDeleteView(KpiMixin, ContractActionView):
    form_class = Form
    submit_label = gettext_lazy("Ja, verwijderen")
    danger = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = self.kpi()

    def get_title(self):
        return _("KPI-afspraak verwijderen: %(kpi)s") % {"kpi": self.object.get_kpi_display()}

    def get_intro(self):
        return _("Weet u zeker dat u deze KPI-afspraak wilt verwijderen? Norm %(norm)s.") % {
            "norm": self.object.norm
        }

    def act(self, form):
        label = self.object.get_kpi_display()
        services.kpi_agreement_delete(agreement=self.object, user=self.request.user)
        return (_("KPI-afspraak '%(kpi)s' is verwijderd.") + " " + recalculating()) % {"kpi": label}


class ArrangementCreateView(ContractActionView):
    form_class = forms.ArrangementForm
    title = gettext_lazy("Bekostigingsafspraak toevoegen")
    section = "bekostiging"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "region": self.region}

    def get_initial(self):
        return {"valid_from": self.contract.start_date}

    def get_intro(self):
        return _(
            "Eén bekostigingsvorm per afspraak; een contract met meer vormen is hybride. Vul "
            "alleen de velden van de gekozen vorm in. Een product valt in een periode onder "
            "één afspraak (taakgericht uitgezonderd)."
        )

    def act(self, form):
        arrangement = services.arrangement_create(contract=self.contract, **form.service_kwargs())
        return _("Bekostigingsafspraak '%(a)s' is toegevoegd.") % {"a": arrangement}


class LumpsumPlanView(ContractActionView):
    form_class = forms.LumpsumPlanForm
    title = gettext_lazy("Afnemende lumpsum plannen")
    submit_label = gettext_lazy("Budgetten aanmaken")
    section = "budgetten"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.arrangement = get_object_or_404(
            FundingArrangement.objects.restrict(request.user).filter(contract=self.contract),
            pk=kwargs["arrangement"],
        )

    def get_initial(self):
        return {
            "base_year": max(self.contract.start_date.year, timezone.localdate().year),
            "decrease_pct": self.arrangement.lumpsum_decrease_pct or 0,
        }

    def get_intro(self):
        last = self.contract.final_end_date or self.contract.end_date
        return _(
            "Voor '%(a)s': een lumpsum per jaar vanaf het eerste jaar tot en met %(last)s, elk "
            "jaar het afgesproken percentage lager dan het jaar ervoor."
        ) % {"a": self.arrangement, "last": last.year if last else "—"}

    def act(self, form):
        d = form.cleaned_data
        budgets = services.lumpsum_plan(
            arrangement=self.arrangement,
            base_amount=d["base_amount"],
            base_year=d["base_year"],
            decrease_pct=d["decrease_pct"],
        )
        return _("%(n)s lumpsumbudgetten aangemaakt (%(first)s tot en met %(last)s).") % {
            "n": len(budgets),
            "first": budgets[0].year if budgets else "—",
            "last": budgets[-1].year if budgets else "—",
        }


class BudgetCreateView(ContractActionView):
    form_class = forms.BudgetForm
    title = gettext_lazy("Budget toevoegen")
    section = "budgetten"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "region": self.region}

    def get_initial(self):
        return {"year": max(self.contract.start_date.year, timezone.localdate().year)}

    def act(self, form):
        d = form.cleaned_data
        budget = services.budget_set(
            contract=self.contract,
            year=d["year"],
            kind=d["kind"],
            amount=d["amount"],
            support_profile=d["support_profile"],
            note=d["note"],
        )
        return _("%(b)s is vastgelegd: %(amount)s.") % {"b": budget, "amount": euro(budget.amount)}


class BudgetReviseView(ContractActionView):
    form_class = forms.BudgetReviseForm
    submit_label = gettext_lazy("Herijking vastleggen")
    section = "budgetten"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.budget = get_object_or_404(
            Budget.objects.restrict(request.user)
            .filter(contract=self.contract)
            .select_related("support_profile")
            .prefetch_related("revisions"),
            pk=kwargs["budget"],
        )

    def get_title(self):
        return _("Herijken: %(b)s") % {"b": self.budget}

    def get_initial(self):
        today = timezone.localdate()
        return {
            "effective_on": today if today.year == self.budget.year else None,
            "amount": self.budget.current_amount,
        }

    def get_intro(self):
        return _(
            "Het bedrag is nu %(current)s (oorspronkelijk %(original)s). Een herijking legt een "
            "nieuw bedrag vast vanaf een datum in %(year)s, met de reden; het oude bedrag blijft "
            "zichtbaar."
        ) % {
            "current": euro(self.budget.current_amount),
            "original": euro(self.budget.amount),
            "year": self.budget.year,
        }

    def act(self, form):
        d = form.cleaned_data
        services.budget_revise(
            budget=self.budget,
            effective_on=d["effective_on"],
            amount=d["amount"],
            reason=d["reason"],
            user=self.request.user,
        )
        return _("%(b)s is herijkt op %(amount)s per %(day)s.") % {
            "b": self.budget,
            "amount": euro(d["amount"]),
            "day": _d(d["effective_on"]),
        }
