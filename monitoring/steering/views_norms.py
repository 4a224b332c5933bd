"""Steering pages of the region's segment norms and risk weights."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from contracts.codes import Direction
from contracts.models import KpiAgreement
from monitoring.kpis import definitions as kpis
from monitoring.kpis.definitions import label as kpi_label
from monitoring.steering import dialogues, services
from monitoring.steering.forms import (
    KpiNormForm,
    NormDeleteForm,
    RiskWeightsForm,
)
from monitoring.steering.models import (
    KpiNorm,
    RiskWeight,
)
from monitoring.steering.norms import segment_norms
from monitoring.steering.views import (
    FormsPage,
    SteeringMixin,
)
from monitoring.steering.views_recalculation import status_context
from segments.models import Segment


class NormsView(SteeringMixin, FormsPage):
    """Segment norms per segment and KPI (inherited down the tree), and the contracts' own KPI
    agreements that override them. Saving or deleting a norm judges the region's months again
    in the background; the status box shows the latest recalculation."""

    model = KpiNorm
    template_name = "monitoring/norms.html"
    form_classes = {"norm": KpiNormForm, "delete": NormDeleteForm}

    def editing(self) -> KpiNorm | None:
        pk = self.request.POST.get("wijzig") or self.request.GET.get("wijzig")
        if not pk:
            return None
        try:
            pk = int(pk)
        except ValueError as exc:
            raise Http404 from exc
        return get_object_or_404(
            KpiNorm.objects.editable_by(self.request.user).filter(segment__region=self.region),
            pk=pk,
        )

    def make_form(self, name, data=None):
        if name == "delete":
            return NormDeleteForm(data=data, prefix="delete")
        initial = {}
        asked = self.request.GET.get("kpi")
        if asked and data is None:  # "Norm instellen" on a KPI's page
            try:
                initial = {"kpi": asked, "direction": kpis.definition(asked).direction}
            except KeyError:
                initial = {}
        return KpiNormForm(
            data=data,
            prefix="norm",
            region=self.region,
            instance=self.editing(),
            initial=initial,
        )

    def handle_norm(self, form):
        d = form.cleaned_data
        norm = services.norm_set(
            segment=d["segment"],
            kpi=d["kpi"],
            direction=d["direction"],
            norm=d["norm"],
            amber_threshold=d["amber_threshold"],
            red_threshold=d["red_threshold"],
            note=d["note"],
            instance=self.editing(),
            user=self.request.user,
        )
        return _(
            "De norm '%(kpi)s' voor %(segment)s is opgeslagen; de signalen van alle maanden "
            "worden herberekend."
        ) % {
            "kpi": norm.get_kpi_display(),
            "segment": norm.segment,
        }

    def handle_delete(self, form):
        norm = get_object_or_404(
            KpiNorm.objects.editable_by(self.request.user).filter(segment__region=self.region),
            pk=form.cleaned_data["norm"],
        )
        label = {"kpi": norm.get_kpi_display(), "segment": norm.segment}
        services.norm_delete(norm=norm, user=self.request.user)
        return (
            _(
                "De norm '%(kpi)s' voor %(segment)s is verwijderd; de signalen van alle maanden "
                "worden herberekend."
            )
            % label
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        segments = list(
            Segment.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .select_related("parent__parent__parent")
            .order_by("code", "pk")
        )
        effective = segment_norms(segments)
        own = {
            (n.segment_id, n.kpi): n
            for n in KpiNorm.objects.visible_to(self.request.user).filter(
                segment__region=self.region
            )
        }
        by_pk = {s.pk: s for s in segments}
        blocks = []
        for segment in segments:
            rows = []
            for (sid, kpi), norm in sorted(effective.items(), key=lambda i: i[0][1]):
                if sid != segment.pk:
                    continue
                mine = own.get((segment.pk, kpi))
                source = None
                if mine is None:  # the nearest ancestor with its own norm for this KPI
                    source = next(
                        (by_pk.get(a) for a in ancestors(segment) if (a, kpi) in own), None
                    )
                rows.append(
                    {
                        "kpi": kpi_label(kpi),
                        "unit": unit_of(kpi),
                        "direction": Direction(norm.direction).label,
                        "norm": norm.norm,
                        "amber": norm.amber,
                        "red": norm.red,
                        "own": mine,
                        "inherited_from": source,
                    }
                )
            blocks.append({"segment": segment, "rows": rows})
        agreements = (
            KpiAgreement.objects.visible_to(self.request.user)
            .filter(contract__region=self.region)
            .select_related("contract__provider", "contract__segment")
            .order_by("contract__reference", "kpi")
        )
        context.update(status_context(self.request.user, self.region))
        context.update(
            title=_("Normen"),
            blocks=blocks,
            agreements=[
                {
                    "agreement": a,
                    "unit": unit_of(a.kpi),
                    "segment_norm": effective.get((a.contract.segment_id, a.kpi)),
                }
                for a in agreements
            ],
            editing=self.editing() if context["forms"] else None,
        )
        return context


def unit_of(kpi: str) -> str:
    """The KPI's unit (euro, dagen, …), for its norms in the right notation."""
    try:
        return kpis.definition(kpi).unit
    except KeyError:
        return ""


def ancestors(segment) -> list[int]:
    ids, node = [], segment.parent
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return ids


class WeightsView(SteeringMixin, FormsPage):
    """The weight of each KPI and of the finance checks in the providers' risk score."""

    model = RiskWeight
    template_name = "monitoring/weights.html"
    form_classes = {"weights": RiskWeightsForm}

    def current(self) -> dict:
        return dict(
            RiskWeight.objects.visible_to(self.request.user)
            .filter(region=self.region)
            .values_list("topic", "weight")
        )

    def form_kwargs(self, name):
        return {"weights": self.current()}

    def handle_weights(self, form):
        changed = services.risk_weights_set(
            region=self.region,
            weights={topic: form.cleaned_data[topic] for topic, _label in dialogues.TOPICS},
            user=self.request.user,
        )
        return _("De risicoweging is opgeslagen (%(n)s gewijzigd).") % {"n": changed}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        weights = self.current()
        context.update(
            title=_("Risicoweging"),
            rows=[
                {"topic": topic, "label": label, "weight": weights.get(topic, 1)}
                for topic, label in dialogues.TOPICS
            ],
        )
        return context


# ---------------------------------------------------------------- provider finance
