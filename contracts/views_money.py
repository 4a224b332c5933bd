"""Pages for tariffs, settlement and the procurement effect.

Tariffs are readable by everyone who sees the region (municipal users see the regional tariffs
and those of contracts they see); creating and indexing them is for the contract editors.
Settlement and the procurement effect are built from the production of every municipality, so
they are for region roles only: a municipal user gets a 404 on a contract's settlement and a 403
on the effect page. Every change goes through ``services``; a refusal shows the service's reason
next to the field it is about.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import generic

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.confirm import BACK, is_confirmed
from core.ui.formatting import euro, percent
from core.ui.formatting import format_date as _d
from core.ui.forms import add_service_errors as _add_errors
from core.ui.views import RegionMixin, ScopedDetailView, ScopedListView

from . import services
from .codes import TariffOrigin
from .filters_money import TariffFilterSet
from .forms_money import IndexForm, TariffForm
from .models import Contract, TariffIndexation, TariffVersion
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
