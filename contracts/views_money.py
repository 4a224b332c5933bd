"""Pages for tariffs, settlement and the procurement effect.

Tariffs are readable by everyone who sees the region (municipal users see the regional tariffs
and those of contracts they see); creating and indexing them is for the contract editors.
Settlement and the procurement effect are built from the production of every municipality, so
they are for region roles only: a municipal user gets a 404 on a contract's settlement and a 403
on the effect page. Every change goes through ``services``; a refusal shows the service's reason
next to the field it is about.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import generic

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.spreadsheet import safe_cell
from core.ui.charts import budget_bars_chart
from core.ui.confirm import BACK, is_confirmed
from core.ui.formatting import euro, month_label, percent
from core.ui.formatting import format_date as _d
from core.ui.forms import add_service_errors as _add_errors
from core.ui.views import RegionMixin, ScopedDetailView, ScopedListView

from . import selectors, services
from .codes import ArrangementModel, BudgetKind, TariffOrigin
from .filters_money import TariffFilterSet
from .forms_money import IndexForm, SettlementForm, TariffForm, last_complete_months
from .models import Contract, TariffIndexation, TariffVersion
from .settlement import ZERO, SettlementError, flag_label
from .tables_money import TariffTable
from .tariffs import TariffError, check_indexation_pct, indexed

#: signals a case director's consent settles (contracts.consent), and the consent's kind
CONSENT_FLAGS = {"stacking": "stapeling", "switch": "profielwissel"}
COMPONENT_LABELS = {
    "pxq": gettext_lazy("PxQ"),
    "occupied": gettext_lazy("Bezette plaatsen (PxQ)"),
    "availability": gettext_lazy("Beschikbaarheid"),
    "lumpsum": gettext_lazy("Lumpsum"),
    "output_start": gettext_lazy("Output bij start"),
    "output_end": gettext_lazy("Output bij einde"),
}


def _signed_percent(value: Decimal) -> str:
    return f"+{percent(value)}" if value > 0 else percent(value)


def contract_url(contract: Contract) -> str:
    return contract.get_absolute_url()


def is_region_staff(user, region) -> bool:
    """Region roles (and superusers); never municipal users."""
    return scope_for(user).has_role(region.pk, ALL_REGION_ROLES)


# ---------------------------------------------------------------- tariffs


class TariffListView(ScopedListView):
    model = TariffVersion
    table_class = TariffTable
    filterset_class = TariffFilterSet
    template_name = "contracts/tariff_list.html"
    title = gettext_lazy("Tarieven")
    create_url_name = "contracts:tariff-create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("product", "region", "contract__provider")
            .order_by("product__code", "contract__reference", "valid_from")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["indexations"] = (
            TariffIndexation.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .select_related("contract", "performed_by")
            .annotate(version_count=Count("versions"))
            .order_by("-performed_at", "-pk")[:10]
        )
        return context


def chain_sentence(chain: list[TariffVersion]) -> str:
    """'€ 70,00 (kostprijsopbouw, 2025) → +3,4% indexatie per 01-01-2026 → € 72,38'."""
    first = chain[0]
    parts = [
        f"{euro(first.amount)} ({str(TariffOrigin(first.origin).label).lower()}, "
        f"{first.valid_from.year})"
    ]
    for version in chain[1:]:
        if version.origin == TariffOrigin.INDEXATION and version.indexation_id:
            how = _("%(pct)s indexatie per %(day)s") % {
                "pct": _signed_percent(version.indexation.percentage),
                "day": _d(version.valid_from),
            }
        elif version.origin == TariffOrigin.BUILD_UP:
            how = _("nieuwe kostprijsopbouw per %(day)s") % {"day": _d(version.valid_from)}
        else:
            how = _("nieuw tarief vastgesteld per %(day)s") % {"day": _d(version.valid_from)}
        parts.append(how)
        parts.append(euro(version.amount))
    return " → ".join(parts)


class TariffDetailView(ScopedDetailView):
    model = TariffVersion
    template_name = "contracts/tariff_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("product", "contract__provider", "indexation", "created_by", "previous")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = self.object
        build_up = version.build_up()
        context["build_up_lines"] = build_up.lines() if build_up else None
        chain = services.tariff_chain(version)
        context["chain"] = chain
        context["chain_sentence"] = chain_sentence(chain)
        others = TariffVersion.objects.visible_to(self.request.user).filter(
            region=self.region, product=version.product
        )
        others = (
            others.filter(contract=version.contract)
            if version.contract_id
            else others.filter(contract__isnull=True)
        )
        context["others"] = others.select_related("indexation").order_by("valid_from")
        context["title"] = _("Tarief %(code)s vanaf %(day)s") % {
            "code": version.product.code,
            "day": _d(version.valid_from),
        }
        if version.contract_id:
            context["can_edit"] = version.contract.can_change(self.request.user)
        return context


class TariffEditMixin(RegionMixin):
    """Tariffs of the region, or (with ``pk`` in the URL) of one contract; editors only."""

    model = TariffVersion

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contract = None
        if "pk" in kwargs:
            self.contract = get_object_or_404(
                Contract.objects.restrict(request.user)
                .filter(region=self.region)
                .select_related("provider", "region"),
                pk=kwargs["pk"],
            )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            allowed = (
                self.contract.can_change(request.user) if self.contract else self.user_can_edit()
            )
            if not allowed:
                raise PermissionDenied(
                    _("U hebt in deze regio geen rol waarmee u tarieven mag vastleggen.")
                )
        return super().dispatch(request, *args, **kwargs)

    def back_url(self) -> str:
        if self.contract is not None:
            return contract_url(self.contract)
        return reverse("contracts:tariff-list", kwargs={"region": self.region.slug})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contract"] = self.contract
        context["cancel_url"] = self.back_url()
        return context


class TariffCreateView(TariffEditMixin, generic.FormView):
    form_class = TariffForm
    template_name = "contracts/tariff_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "region": self.region}

    def get_initial(self):
        initial = super().get_initial()
        product = self.request.GET.get("product", "")
        if product.isdigit():
            initial["product"] = int(product)
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.contract is not None:
            context["title"] = _("Nieuw contracttarief: %(contract)s") % {"contract": self.contract}
        else:
            context["title"] = _("Nieuw regionaal tarief")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            version = services.tariff_version_create(
                product=data["product"],
                contract=self.contract,
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                amount=data["amount"],
                build_up=form.build_up(),
                note=data["note"],
                user=self.request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Tarief %(code)s %(amount)s vanaf %(day)s is vastgelegd.")
            % {
                "code": version.product.code,
                "amount": euro(version.amount),
                "day": _d(version.valid_from),
            },
        )
        if self.contract is not None:
            return HttpResponseRedirect(self.back_url())
        return HttpResponseRedirect(
            reverse(
                "contracts:tariff-detail", kwargs={"region": self.region.slug, "pk": version.pk}
            )
        )


class TariffIndexView(TariffEditMixin, generic.TemplateView):
    """The yearly indexation as one action. GET with the form's values shows what will change;
    POST carries it out."""

    template_name = "contracts/tariff_index.html"
    FIELDS = ("percentage", "valid_from", "care_form", "note")

    def form(self, data=None):
        initial = {"valid_from": date(timezone.localdate().year + 1, 1, 1)}
        return IndexForm(data, region=self.region, initial=initial)

    def get(self, request, *args, **kwargs):
        submitted = any(name in request.GET for name in self.FIELDS)
        form = self.form(request.GET if submitted else None)
        preview = self.preview(form) if submitted and form.is_valid() else None
        return self.render_to_response(self.get_context_data(form=form, preview=preview))

    def post(self, request, *args, **kwargs):
        """Only the preview's "Bevestigen" (``_confirm=1``) indexes; any other POST shows the
        preview (the confirmation, which records nothing), "Terug" the form again."""
        form = self.form(request.POST)
        if BACK in request.POST:
            return self.render_to_response(self.get_context_data(form=form, preview=None))
        if not is_confirmed(request):
            preview = self.preview(form) if form.is_valid() else None
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        if form.is_valid():
            data = form.cleaned_data
            try:
                indexation = services.tariffs_index(
                    region=self.region,
                    contract=self.contract,
                    percentage=data["percentage"],
                    valid_from=data["valid_from"],
                    products=form.products(),
                    note=data["note"],
                    user=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                count = indexation.versions.count()
                messages.success(
                    request,
                    ngettext(
                        "%(n)s tarief geïndexeerd met %(pct)s per %(day)s.",
                        "%(n)s tarieven geïndexeerd met %(pct)s per %(day)s.",
                        count,
                    )
                    % {
                        "n": count,
                        "pct": percent(indexation.percentage),
                        "day": _d(indexation.valid_from),
                    },
                )
                return HttpResponseRedirect(self.back_url())
        preview = self.preview(form) if form.is_valid() else None
        return self.render_to_response(self.get_context_data(form=form, preview=preview))

    def preview(self, form) -> dict:
        """The versions that will be indexed: current amount → new amount. Problems the
        service would refuse are shown next to their field before anything is done."""
        data = form.cleaned_data
        pct, valid_from = data["percentage"], data["valid_from"]
        day_before = valid_from - timedelta(days=1)
        current = list(
            services.current_versions(self.region, self.contract, day_before, form.products())
        )
        try:
            check_indexation_pct(pct)
        except TariffError as error:
            if "percentage" not in form.errors:
                form.add_error("percentage", str(error))
        if not current and "valid_from" not in form.errors:
            form.add_error(
                "valid_from",
                _("Op %(day)s geldt geen tarief om te indexeren.") % {"day": _d(day_before)},
            )
        later = TariffVersion.objects.filter(
            product__in=[v.product_id for v in current], valid_from__gte=valid_from
        )
        later = (
            later.filter(contract=self.contract)
            if self.contract
            else later.filter(contract__isnull=True)
        )
        clashes = {v.product_id: v for v in later.select_related("product").order_by("-valid_from")}
        if clashes and "valid_from" not in form.errors:
            first = min(clashes.values(), key=lambda v: v.product.code)
            form.add_error(
                "valid_from",
                _(
                    "Voor %(code)s bestaat al een tariefversie vanaf %(day)s; is deze indexatie "
                    "al uitgevoerd?"
                )
                % {"code": first.product.code, "day": _d(first.valid_from)},
            )
        rows = [
            {
                "version": v,
                "new_amount": indexed(v.amount, pct),
                "difference": indexed(v.amount, pct) - v.amount,
                "clash": clashes.get(v.product_id),
            }
            for v in current
        ]
        return {
            "rows": rows,
            "pct": pct,
            "valid_from": valid_from,
            "day_before": day_before,
            "ok": not form.errors,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.contract is not None:
            context["title"] = _("Tarieven indexeren: %(contract)s") % {"contract": self.contract}
        else:
            context["title"] = _("Regionale tarieven indexeren")
        return context


# ---------------------------------------------------------------- settlement


def period_defaults() -> dict:
    year, first, last = last_complete_months()
    return {"year": year, "first_month": first, "last_month": last}


class ContractSettlementView(RegionMixin, generic.TemplateView):
    """What a contract owes for a period: per arrangement the lines that explain it."""

    model = Contract
    template_name = "contracts/settlement.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contract = get_object_or_404(
            Contract.objects.restrict(request.user)
            .filter(region=self.region)
            .select_related("provider", "segment", "region"),
            pk=kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        # Amounts built from every municipality's production: region roles only.
        if request.user.is_authenticated and not is_region_staff(request.user, self.region):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def period_form(self) -> SettlementForm:
        defaults = period_defaults()
        last = self.contract.final_end_date or self.contract.end_date or self.contract.start_date
        years = set(range(self.contract.start_date.year, last.year + 1)) | {defaults["year"]}
        data = self.request.GET if "year" in self.request.GET else defaults
        return SettlementForm(data, years=sorted(years))

    def settle(self, form):
        """(settlement, errors): the settlement, or the list of what is wrong."""
        try:
            settlement, self.by_month = selectors.settlement_for(
                self.contract, form.period(), months=True
            )
            return settlement, []
        except SettlementError as error:
            return None, error.errors

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.period_form()
        context.update(form=form, contract=self.contract)
        context["title"] = _("Afrekening %(contract)s") % {"contract": self.contract.reference}
        if form.is_valid():
            settlement, errors = self.settle(form)
            context["period"] = form.period()
            context["errors"] = errors
            context["settlement"] = settlement
            if settlement is not None:
                context["groups"] = self.groups(settlement)
                context["by_model"] = [
                    (ArrangementModel(model).label, amount)
                    for model, amount in sorted(settlement.by_model().items())
                ]
                context["flags"] = [
                    {
                        "kind": f.kind,
                        "label": flag_label(f.kind),
                        "message": f.message,
                        "consent_url": self.consent_url(f),
                    }
                    for f in settlement.flags
                    if not f.kind.endswith("_consented")
                ]
                context["notes"] = [
                    {"kind": f.kind, "label": flag_label(f.kind), "message": f.message}
                    for f in settlement.flags
                    if f.kind.endswith("_consented")
                ]
                context["csv_query"] = urlencode(form.cleaned_data)
                context.update(self.monthly(form.period()))
        return context

    def monthly(self, period) -> dict:
        """The settlement per month of the year so far against the budget: a chart and the
        same figures as a table."""
        data = getattr(self, "by_month", None) or selectors.settlement_by_month(
            self.contract, period
        )
        if not data["months"]:
            return {}
        running, rows = ZERO, []
        for month, amount in data["months"]:
            running += amount
            share = (
                (running * 100 / data["budget"]).quantize(Decimal("0.1"))
                if data["budget"]
                else None
            )
            rows.append(
                {
                    "month": month_label(month),
                    "amount": amount,
                    "cumulative": running,
                    "share": share,
                }
            )
        title = _("Afgerekend per maand in %(year)s, opgeteld, tegen het budget") % {
            "year": period.end.year
        }
        return {
            "monthly_rows": rows,
            "monthly_budget": data["budget"],
            "monthly_budget_label": BudgetKind(data["budget_kind"]).label
            if data["budget_kind"]
            else "",
            "monthly_title": title,
            "monthly_chart": budget_bars_chart(
                data["months"], title=title, budget=data["budget"], uid="settlement-months"
            ),
        }

    def consent_url(self, flag) -> str:
        """'Instemming vastleggen' for a stacking or switch signal, prefilled with the family,
        products and days (for the contract editors only)."""
        if flag.kind not in CONSENT_FLAGS or not flag.family:
            return ""
        if not hasattr(self, "_can_edit"):
            self._can_edit = self.contract.can_change(self.request.user)
        if not self._can_edit:
            return ""
        # a stacking names both profiles; a switch the profile the family switches to
        codes = flag.product_codes if flag.kind == "stacking" else flag.product_codes[-1:]
        query = {
            "family": flag.family,
            "kind": CONSENT_FLAGS[flag.kind],
            "products": ",".join(codes),
        }
        if flag.start:
            query["valid_from"] = flag.start.isoformat()
        if flag.end:
            query["valid_until"] = flag.end.isoformat()
        url = reverse(
            "contracts:profile-consent-create",
            kwargs={"region": self.region.slug, "pk": self.contract.pk},
        )
        return f"{url}?{urlencode(query)}"

    @staticmethod
    def groups(settlement) -> list[dict]:
        groups: dict[str, dict] = {}
        for line in settlement.lines:
            model = str(ArrangementModel(line.model).label)
            group = groups.setdefault(
                line.arrangement,
                {
                    "name": line.arrangement,
                    # The model next to a named arrangement ('Crisisbedden (Beschikbaarheid)').
                    "model": model if model != line.arrangement else "",
                    "lines": [],
                    "total": ZERO,
                },
            )
            group["lines"].append(line)
            group["total"] += line.amount
        return list(groups.values())


def _csv_number(value) -> str:
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _csv_money(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):f}".replace(".", ",")


class ContractSettlementCsvView(ContractSettlementView):
    """The settlement's lines as CSV for a spreadsheet: semicolons, decimal commas."""

    def get(self, request, *args, **kwargs):
        form = self.period_form()
        settlement = None
        if form.is_valid():
            settlement, _errors = self.settle(form)
        if settlement is None:
            url = reverse(
                "contracts:contract-settlement",
                kwargs={"region": self.region.slug, "pk": self.contract.pk},
            )
            query = request.GET.urlencode()
            return HttpResponseRedirect(f"{url}?{query}" if query else url)
        period = settlement.period
        filename = (
            f"afrekening-{self.contract.reference}-{period.start:%Y-%m}-{period.end:%Y-%m}.csv"
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # so that spreadsheet programs read UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("contract"),
                _("periode"),
                _("bekostigingsafspraak"),
                _("bekostigingsvorm"),
                _("onderdeel"),
                _("productcode"),
                _("profiel"),
                _("aantal"),
                _("prijs"),
                _("bedrag"),
                _("toelichting"),
            ]
        )
        for line in settlement.lines:
            # texts (names and codes a user typed) are neutralised against formulas; the
            # numbers are formatted here and stay numbers, a negative amount too
            texts = [
                self.contract.reference,
                period.label(),
                line.arrangement,
                ArrangementModel(line.model).label,
                COMPONENT_LABELS.get(line.component, line.component),
                line.product_code,
                line.profile or "",
            ]
            writer.writerow(
                [
                    *(safe_cell(str(text)) for text in texts),
                    _csv_number(line.quantity),
                    _csv_money(line.unit_price) if line.unit_price is not None else "",
                    _csv_money(line.amount),
                    safe_cell(str(line.description)),
                ]
            )
        return response
