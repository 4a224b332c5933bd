"""Pages of contract management: the contract list, one contract, and the actions on it.

Every object comes through ``restrict(user, action)`` (outside the user's scope: 404); every
change goes through ``services`` (without an editing role: 403). A refused change shows the
service's own reason next to the field it concerns, and leaves nothing behind.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from core.ui.confirm import ConfirmFormMixin
from core.ui.formatting import format_date as _d
from core.ui.forms import add_service_errors
from core.ui.views import (
    EditMixin,
    FormActionView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
)
from procurement.models import Tender

from . import filters, forms, selectors, services, tables
from .codes import ArrangementModel, EventKind
from .consent import consents_on
from .models import Contract, ContractEvent
from .selectors_development import development_panel
from .terms import term_end

# ---------------------------------------------------------------- list and detail


class ContractListView(ScopedListView):
    model = Contract
    table_class = tables.ContractTable
    filterset_class = filters.ContractFilterSet
    create_url_name = "contracts:contract-create"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region", "provider", "segment")
            .prefetch_related("arrangements")
        )


class ContractDetailView(ScopedDetailView):
    model = Contract
    template_name = "contracts/contract_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region", "provider__region", "segment__region", "lot__segment")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract, user = self.object, self.request.user
        page = selectors.contract_page(contract)
        arrangements = list(page["arrangements"])
        today = timezone.localdate()
        events = list(page["events"])
        context.update(
            contract=contract,
            events=events,
            reversible=selectors.reversible_event_ids(events),
            kpis=page["kpis"],
            arrangements=arrangements,
            budgets=page["budgets"],
            indexations=page["indexations"],
            tariffs=selectors.tariff_history(page["tariffs"], today),
            funding_label=selectors.funding_label(sorted({a.model for a in arrangements})),
            next_option=next_option(contract),
            today=today,
            region_role=scope_for(user).has_role(self.region.pk, ALL_REGION_ROLES),
            tender=visible_tender(contract, user),
            task_model=ArrangementModel.TASK,
            has_availability=any(a.model == ArrangementModel.AVAILABILITY for a in arrangements),
            profile_consents=consents_on(contract, user),
        )
        context["panel"] = development_panel(user=user, owner=contract, region=self.region)
        return context


def next_option(contract: Contract):
    """The next extension option (years) and the end date it would give, or ``None``."""
    options = contract.extension_options or []
    used = contract.extensions_used
    if contract.terminated_on is not None or used >= len(options) or contract.end_date is None:
        return None
    years = options[used]
    return {
        "number": used + 1,
        "of": len(options),
        "years": years,
        # As contracts.terms.derive counts it: from the start, the term plus the options used.
        "new_end": term_end(
            contract.start_date, contract.initial_term_years + sum(options[: used + 1])
        ),
    }


def visible_tender(contract: Contract, user):
    """The procedure the contract came from, if the user may open it."""
    if contract.lot_id is None:
        return None
    return (
        Tender.objects.visible_to(user)
        .filter(pk=contract.lot.tender_id)
        .select_related("region")
        .first()
    )


# ---------------------------------------------------------------- create


class ContractCreateView(EditMixin, generic.CreateView):
    model = Contract
    form_class = forms.ContractForm
    template_name = "contracts/contract_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Bestaand contract vastleggen")
        context["intro"] = _(
            "Een contract uit een gunning of toelating ontstaat vanzelf. Leg hier een contract "
            "vast dat al bestaat of buiten een procedure is gesloten."
        )
        return context

    def form_valid(self, form):
        try:
            self.object = services.contract_create(
                user=self.request.user, region=self.region, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Contract %(c)s is vastgelegd.") % {"c": self.object.reference}
        )
        return redirect(self.object)


# ---------------------------------------------------------------- actions on one contract


class ContractMixin(ScopedObjectMixin):
    """A page under one contract the user may see; ``self.contract`` from the URL."""

    model = Contract
    object_attr = "contract"

    def get_object_queryset(self):
        return self.scoped_queryset().select_related("region", "provider", "segment")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contract"] = self.contract
        context["cancel_url"] = self.contract.get_absolute_url()
        return context


class ContractActionView(ContractMixin, FormActionView):
    """A form page that changes a contract (or one of its parts) through a service.

    Subclasses set ``title`` and implement ``act(form)``, which returns the success message.
    """

    template_name = "contracts/contract_form.html"
    not_allowed_message = gettext_lazy(
        "U hebt in deze regio geen rol waarmee u dit contract mag wijzigen."
    )


class ContractEventActionView(ConfirmFormMixin, ContractActionView):
    """A legal contract event: the valid form first shows what will be recorded (the
    service's own checks run, nothing is written); only "Bevestigen" records it."""

    section = "gebeurtenissen"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs_template"] = "contracts/_contract_breadcrumbs.html"
        c = self.contract
        context["eyebrow"] = f"{c.reference} · {c.provider.name} · {c.segment}"
        return context


class ContractExtendView(ContractEventActionView):
    """Nothing is pre-filled: the number of years and the decision date are chosen."""

    form_class = forms.ExtendForm
    title = gettext_lazy("Contract verlengen")
    submit_label = gettext_lazy("Verder naar bevestigen")
    confirm_label = gettext_lazy("Bevestigen: verlenging vastleggen")

    def get_intro(self):
        c = self.contract
        option = next_option(c)
        if option is None:
            if c.terminated_on is not None:
                return _("Dit contract is beëindigd per %(day)s.") % {"day": _d(c.terminated_on)}
            return _(
                "Dit contract (%(term)s jaar) heeft geen verlengingsoptie meer over; het loopt "
                "tot en met %(end)s."
            ) % {"term": c.term_label, "end": _d(c.end_date)}
        return _(
            "U benut verlengingsoptie %(n)s van %(of)s: %(years)s jaar (looptijd %(term)s). "
            "Het contract loopt nu tot en met %(end)s; na deze verlenging tot en met "
            "%(new_end)s. De verlenging gaat in op %(start)s; besluit erover uiterlijk op %(end)s."
        ) % {
            "n": option["number"],
            "of": option["of"],
            "years": option["years"],
            "term": c.term_label,
            "end": _d(c.end_date),
            "new_end": _d(option["new_end"]),
            "start": _d(c.end_date + timedelta(days=1)),
        }

    def confirmation(self, form):
        c, d = self.contract, form.cleaned_data
        new_end = services.contract_extension_check(
            contract=c, years=d["years"], decided_on=d["decided_on"]
        )
        return {
            "summary": _(
                "Contract %(c)s wordt verlengd met %(years)s jaar tot en met %(new)s; de "
                "einddatum was %(old)s."
            )
            % {"c": c.reference, "years": d["years"], "new": _d(new_end), "old": _d(c.end_date)},
            "items": [
                (
                    _("Verlengingsoptie"),
                    _("%(n)s van %(of)s")
                    % {"n": c.extensions_used + 1, "of": len(c.extension_options)},
                ),
                (_("Gaat in op"), _d(c.end_date + timedelta(days=1))),
                (_("Besloten op"), _d(d["decided_on"])),
                (_("Toelichting"), d["reason"] or "—"),
            ],
        }

    def act(self, form):
        d = form.cleaned_data
        services.contract_extend(
            contract=self.contract,
            years=d["years"],
            decided_on=d["decided_on"],
            reason=d["reason"],
            user=self.request.user,
        )
        self.contract.refresh_from_db()
        return _(
            "Het contract is verlengd met %(years)s jaar; het loopt nu tot en met %(end)s."
        ) % {
            "years": d["years"],
            "end": _d(self.contract.end_date),
        }


class ContractAmendView(ContractEventActionView):
    form_class = forms.AmendForm
    title = gettext_lazy("Contract wijzigen")
    submit_label = gettext_lazy("Verder naar bevestigen")
    confirm_label = gettext_lazy("Bevestigen: wijziging vastleggen")

    def get_initial(self):
        # The contract's current values (what the amendment changes); the date is chosen.
        c = self.contract
        return {
            "development_assignments": c.development_assignments,
            "acceptance_obligation": c.acceptance_obligation,
            "is_strategic_partner": c.is_strategic_partner,
            "reporting_frequency": c.reporting_frequency,
        }

    def get_intro(self):
        return _(
            "Een wijziging (addendum) wordt vastgelegd als gebeurtenis met datum en reden; wat "
            "verandert, staat erbij. Looptijd, verlenging en beëindiging hebben een eigen actie."
        )

    def confirmation(self, form):
        d = form.cleaned_data
        changed = services.contract_amendment_check(
            contract=self.contract,
            effective_on=d["effective_on"],
            reason=d["reason"],
            changes=form.changes(),
        )
        lines = services.amendment_lines(changed)
        return {
            "summary": _("Voor contract %(c)s wordt een wijziging vastgelegd per %(day)s.")
            % {"c": self.contract.reference, "day": _d(d["effective_on"])},
            "items": [
                (
                    _("Wat wijzigt"),
                    "\n".join(lines) or _("Geen gegevens; alleen de toelichting wordt vastgelegd."),
                ),
                (_("Toelichting"), d["reason"]),
            ],
        }

    def act(self, form):
        services.contract_amend(
            contract=self.contract,
            effective_on=form.cleaned_data["effective_on"],
            reason=form.cleaned_data["reason"],
            changes=form.changes(),
            user=self.request.user,
        )
        return _("De wijziging is vastgelegd.")


class ContractTerminateView(ContractEventActionView):
    form_class = forms.TerminateForm
    title = gettext_lazy("Contract beëindigen")
    submit_label = gettext_lazy("Verder naar bevestigen")
    confirm_label = gettext_lazy("Bevestigen: beëindiging vastleggen")
    danger = True

    def get_intro(self):
        return _(
            "Een beëindiging vóór het einde van de looptijd (%(end)s) wordt vastgelegd met "
            "datum en reden. Een vergissing wordt hersteld met een vastgelegde terugdraaiing."
        ) % {"end": _d(self.contract.end_date)}

    def confirmation(self, form):
        c, d = self.contract, form.cleaned_data
        services.contract_termination_check(
            contract=c, effective_on=d["effective_on"], reason=d["reason"]
        )
        return {
            "summary": _("Contract %(c)s wordt beëindigd per %(day)s; de einddatum was %(old)s.")
            % {"c": c.reference, "day": _d(d["effective_on"]), "old": _d(c.end_date)},
            "items": [(_("Reden"), d["reason"])],
        }

    def act(self, form):
        d = form.cleaned_data
        services.contract_terminate(
            contract=self.contract,
            effective_on=d["effective_on"],
            reason=d["reason"],
            user=self.request.user,
        )
        return _("Het contract is beëindigd per %(day)s.") % {"day": _d(d["effective_on"])}


class ContractEventReverseView(ContractEventActionView):
    """Correct a mistaken event by a recorded reversal; for whoever may extend the contract
    (``can_change``), with a required reason and its own confirmation."""

    form_class = forms.ReverseForm
    submit_label = gettext_lazy("Verder naar bevestigen")
    confirm_label = gettext_lazy("Bevestigen: terugdraaiing vastleggen")
    danger = True

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.event = get_object_or_404(
            ContractEvent.objects.restrict(request.user).filter(contract=self.contract),
            pk=kwargs["event"],
        )

    def get_title(self):
        return _("Terugdraaien: %(event)s") % {"event": self.event}

    def get_intro(self):
        intro = _(
            "De gebeurtenis blijft zichtbaar en wordt gemarkeerd als teruggedraaid; een nieuwe "
            "gebeurtenis legt de terugdraaiing vast met uw reden. Looptijd en einddatum worden "
            "opnieuw afgeleid uit de gebeurtenissen die overblijven."
        )
        if self.request.method == "GET":
            self.event.contract = self.contract
            try:
                services.contract_event_reversal_check(event=self.event)
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
                return f"{intro}\n" + _("Dit kan nu niet: %(why)s") % {"why": refusal}
        return intro

    def confirmation(self, form):
        c, e = self.contract, self.event
        e.contract = c
        state = services.contract_event_reversal_check(event=e)
        items = [(_("Gebeurtenis"), f"{e}\n{e.reason}")]
        if e.kind == EventKind.AMENDMENT and e.changes:
            restored = {f: [new, old] for f, (old, new) in e.changes.items()}
            items.append((_("Wat terugkomt"), "\n".join(services.amendment_lines(restored))))
        items.append((_("Reden"), form.cleaned_data["reason"]))
        if state.end_date != c.end_date:
            summary = _(
                "De %(kind)s van %(day)s van contract %(c)s wordt teruggedraaid; de einddatum "
                "wordt %(new)s (nu %(old)s)."
            ) % {
                "kind": e.get_kind_display().lower(),
                "day": _d(e.effective_on),
                "c": c.reference,
                "new": _d(state.end_date),
                "old": _d(c.end_date),
            }
        else:
            summary = _(
                "De %(kind)s van %(day)s van contract %(c)s wordt teruggedraaid; de einddatum "
                "blijft %(end)s."
            ) % {
                "kind": e.get_kind_display().lower(),
                "day": _d(e.effective_on),
                "c": c.reference,
                "end": _d(c.end_date),
            }
        return {"summary": summary, "items": items}

    def act(self, form):
        services.contract_event_reverse(
            event=self.event, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        self.contract.refresh_from_db()
        return _("De %(kind)s is teruggedraaid; het contract loopt tot en met %(end)s.") % {
            "kind": self.event.get_kind_display().lower(),
            "end": _d(self.contract.end_date),
        }
