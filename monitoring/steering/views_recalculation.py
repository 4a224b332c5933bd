"""The recalculations of a region's signals: the list with the buttons that start one, and the
JSON status that the status box on the norms page and on the list polls (every 2 seconds, while
it is queued or running).

Region roles read; the contract editors and the region administrator start a recalculation
(``RECALCULATORS``); a municipal user gets a 403, a recalculation of another region a 404."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import generic

from core.scoping import scope_for
from monitoring.steering import services
from monitoring.steering.forms import RecalculationStartForm
from monitoring.steering.models import (
    RECALCULATORS,
    RecalculationKind,
    RecalculationStatus,
    SignalRecalculation,
)
from monitoring.steering.views import FormsPage, SteeringMixin

RECENT = 25


def progress_text(recalculation: SignalRecalculation) -> str:
    """What the status box says: queued, "Signalen worden herberekend: 12 van 36 maanden",
    "Klaar: 5 signalen rood of oranje over 36 maanden", or why it failed."""
    r = recalculation
    months = r.months
    if r.status == RecalculationStatus.QUEUED:
        return _("De herberekening staat in de wachtrij.")
    if r.status == RecalculationStatus.RUNNING:
        done = r.months_done
        if r.kind == RecalculationKind.KPIS:
            if done < months:
                return _("KPI's worden herberekend: %(done)s van %(total)s maanden") % {
                    "done": done,
                    "total": months,
                }
            done -= months
        if r.kind == RecalculationKind.REGION_KPI:
            if done < months:
                return _("KPI %(kpi)s wordt berekend: %(done)s van %(total)s maanden") % {
                    "kpi": r.region_kpi.name if r.region_kpi else "—",
                    "done": done,
                    "total": months,
                }
            done -= months
        return _("Signalen worden herberekend: %(done)s van %(total)s maanden") % {
            "done": done,
            "total": months,
        }
    if r.status == RecalculationStatus.DONE:
        signals = ngettext(
            "%(count)s signaal rood of oranje",
            "%(count)s signalen rood of oranje",
            r.signals_amber_red or 0,
        ) % {"count": r.signals_amber_red or 0}
        return ngettext(
            "Klaar: %(signals)s over %(months)s maand",
            "Klaar: %(signals)s over %(months)s maanden",
            months,
        ) % {"signals": signals, "months": months}
    return _("Mislukt: %(error)s") % {"error": r.error or _("onbekende fout")}


def status_payload(region, recalculation: SignalRecalculation) -> dict:
    r = recalculation
    return {
        "id": r.pk,
        "status": r.status,
        "statusLabel": str(r.get_status_display()),
        "finished": r.finished,
        "monthsDone": r.months_done,
        "monthsTotal": r.months_total,
        "signalsAmberRed": r.signals_amber_red,
        "text": progress_text(r),
        "signalsUrl": reverse("monitoring:signals", args=[region.slug]),
    }


def status_context(user, region, *, region_kpi=None) -> dict:
    """The status box of the region's latest recalculation (for the norms page and the list),
    or of the latest one that computed ``region_kpi`` (for that KPI's page)."""
    found = SignalRecalculation.objects.visible_to(user).filter(region=region)
    if region_kpi is not None:
        found = found.filter(region_kpi=region_kpi)
    latest = found.select_related("requested_by", "region_kpi").first()
    return {
        "recalculation": latest,
        "recalculation_text": progress_text(latest) if latest else "",
        "recalculation_status_url": (
            reverse("monitoring:recalculation-status", args=[region.slug, latest.pk])
            if latest
            else ""
        ),
        "can_recalculate": scope_for(user).has_role(region.pk, RECALCULATORS),
    }


class RecalculationsView(SteeringMixin, FormsPage):
    """The region's recent recalculations (who, why, when, result) and the buttons."""

    model = SignalRecalculation
    template_name = "monitoring/recalculations.html"
    form_classes = {"start": RecalculationStartForm}

    def user_can_edit(self) -> bool:
        return scope_for(self.request.user).has_role(self.region.pk, RECALCULATORS)

    def handle_start(self, form):
        kind = form.cleaned_data["kind"]
        services.signal_recalculation_request(
            region=self.region,
            kind=kind,
            reason=_("Handmatig gestart"),
            user=self.request.user,
        )
        if kind == RecalculationKind.KPIS:
            return _("De herberekening van de KPI's en signalen is aangevraagd.")
        return _("De herberekening van de signalen is aangevraagd.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(status_context(self.request.user, self.region))
        context.update(
            title=_("Herberekeningen"),
            recalculations=list(
                SignalRecalculation.objects.visible_to(self.request.user)
                .filter(region=self.region)
                .select_related("requested_by")[:RECENT]
            ),
        )
        return context


class RecalculationStatusView(SteeringMixin, generic.View):
    """The status of one recalculation as JSON (for the status box's poll)."""

    model = SignalRecalculation

    def load(self, **kwargs):
        self.recalculation = get_object_or_404(
            SignalRecalculation.objects.visible_to(self.request.user).filter(region=self.region),
            pk=kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        response = JsonResponse(status_payload(self.region, self.recalculation))
        response["Cache-Control"] = "no-store"
        return response
