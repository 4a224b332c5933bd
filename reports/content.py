"""What a report contains: the snapshot of figures a version is made from.

``build_snapshot(report)`` reads the monitoring figures of the report's subject and period and
returns a plain dict (JSON-serialisable: numbers as strings of Decimals or ints, dates as ISO
strings) that holds everything the document shows. ``reports.render`` turns a snapshot into
the PDF and the HTML page without reading the database, so a stored snapshot renders again to
the same document.

The KPI values equal the dashboards' for the same month: the selectors are called exactly as
the dashboard views call them (``monitoring.dashboards.views``), with every contract and every
rollup row of the region (region roles see all of them). The municipal report is read by
municipal users, so its small cells are suppressed as on their dashboard.

Which month the KPIs are of (``data_month``):

- provider report (a month): that month, if the provider has figures in it;
- segment and municipal report (a quarter): the quarter's last month with figures;
- board summary (a year): the year's last month with figures of the region.

A period without figures gives an honest report that says so, without figures.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from functools import partial

from django.db.models import Case, Count, Max, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.codes import Direction, Kpi
from contracts.models import Contract
from core.ui.formatting import euro, format_date, format_value, month_label
from monitoring.dashboards import selectors
from monitoring.dashboards.selectors import Subject
from monitoring.kpis import definitions as kpis_definitions
from monitoring.kpis.definitions import DEFINITIONS, Measures
from monitoring.models import (
    ActionStatus,
    DialogueAction,
    Escalation,
    EscalationStep,
    KpiRollup,
    Level,
    PerformanceDialogue,
    Signal,
    SignalStatus,
)
from monitoring.steering.norms import judge, segment_norms
from monitoring.templatetags.monitoring_tags import norm_text

from .budget_scope import municipal_budget
from .models import CADENCE, BudgetShare, ReportKind
from .periods import Period, parse_period

SCHEMA = 1
#: at most this many signals, actions and providers are listed (the rest is counted)
MAX_LIST = 25
MAX_SIGNALS = 15
#: the KPI columns of the tables per contract, segment, municipality and provider
TABLE_KPIS = [
    Kpi.UNIQUE_YOUTHS,
    Kpi.COST_PER_CLIENT,
    Kpi.WAIT_TIME,
    Kpi.DURATION,
    Kpi.DROPOUT,
]
#: the KPI whose trend and bars are drawn when no KPI asks for attention (the dashboards' default)
DEFAULT_CHART_KPI = Kpi.WAIT_TIME
LEVEL_ORDER = {Level.RED: 0, Level.AMBER: 1, Level.GREEN: 2}
ESCALATION_RANK = {step: i for i, step in enumerate(EscalationStep.values)}

SHORT_LABELS = {
    Kpi.UNIQUE_YOUTHS: gettext_lazy("Jeugdigen"),
    Kpi.TRAJECTORIES: gettext_lazy("Trajecten"),
    Kpi.COST_PER_CLIENT: gettext_lazy("Kosten per cliënt"),
    Kpi.WAIT_TIME: gettext_lazy("Wachttijd"),
    Kpi.DURATION: gettext_lazy("Trajectduur"),
    Kpi.DROPOUT: gettext_lazy("Uitval"),
    Kpi.REENTRY: gettext_lazy("Herinstroom"),
    Kpi.CLIENT_EXPERIENCE: gettext_lazy("Cliëntervaring"),
    Kpi.OCCUPANCY: gettext_lazy("Bezetting"),
}


# --- plain values ---------------------------------------------------------------------------------


def _num(value) -> str | None:
    """A number as a string that round-trips exactly (``Decimal(text)``)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    return str(Decimal(str(value)))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _series(pairs) -> list:
    return [[_day(m), _num(v)] for m, v in pairs]


_d = partial(format_date, empty="")
_euro = partial(euro, empty="—")


def _pct(value) -> str:
    return format_value(value, "procent") if value is not None else "—"


def _count(n: int) -> str:
    return format_value(n, "aantal")


def _level_label(level: str | None) -> str:
    return str(Level(level).label) if level else ""


def _cell(text, level: str | None = None, *, num: bool = True) -> dict:
    return {"text": str(text), "level": level or "", "level_label": _level_label(level), "num": num}


def _table(
    key: str,
    title: str,
    columns: list,
    rows: list,
    *,
    intro: str = "",
    empty: str = "",
    caption: str = "",
    note: str = "",
) -> dict:
    """A table of the document: ``columns`` [(label, numeric)], rows {"head", "cells", "total"}."""
    return {
        "key": key,
        "title": title,
        "caption": caption or title,
        "intro": intro,
        "note": note,
        "columns": [{"label": str(label), "num": num} for label, num in columns],
        "rows": rows,
        "empty": empty or _("Geen gegevens."),
    }


# --- the parts every kind shares -----------------------------------------------------------------


class Ctx:
    """The report, its period and the region's rows and contracts (all of them: the report is
    read by region roles, or suppressed where municipal users read it)."""

    def __init__(self, report):
        self.report = report
        self.region = report.region
        self.period: Period = parse_period(CADENCE[report.kind], report.period)
        self.rollups = KpiRollup.objects.filter(region=self.region)
        self.contracts = Contract.objects.filter(region=self.region)

    def last_data_month(self, subject: Subject) -> date | None:
        """The period's last month with rollup rows of the subject."""
        return self.rollups.filter(
            grain=subject.grain,
            key=subject.key,
            month__gte=self.period.start,
            month__lte=self.period.last_month,
        ).aggregate(m=Max("month"))["m"]


def build_snapshot(report) -> dict:
    """Everything the report shows, as plain data (see the module docstring)."""
    with translation.override("nl"):
        ctx = Ctx(report)
        snapshot = _base(ctx)
        BUILDERS[report.kind](ctx, snapshot)
        snapshot["summary"] = [str(s) for s in snapshot["summary"] if s]
    return snapshot


def _base(ctx: Ctx) -> dict:
    report, region, period = ctx.report, ctx.region, ctx.period
    kind_label = str(ReportKind(report.kind).label)
    return {
        "schema": SCHEMA,
        "kind": report.kind,
        "kind_label": kind_label,
        "title": f"{kind_label} {report.subject_name} – {period.label}",
        "region": {
            "name": region.name,
            "slug": region.slug,
            "authority": getattr(region, "contracting_authority", "") or "",
        },
        "subject": {"name": report.subject_name, "key": report.subject_key},
        "period": {
            "code": period.code,
            "label": period.label,
            "cadence": period.cadence,
            "start": _day(period.start),
            "end": _day(period.end),
        },
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "reference": f"{region.slug}/{report.kind}/{report.subject_key}/{period.code}",
        "data_month": None,
        "data_month_label": "",
        "has_data": False,
        "no_data_text": "",
        "summary": [],
        "key_figures": [],
        "kpis": [],
        "kpi_intro": "",
        "benchmark_label": "",
        "spend": None,
        "trend_charts": [],
        "bar_chart": None,
        "tables": [],
        "signals": None,
        "actions": None,
        "escalation": None,
        "definitions": [],
        "notes": [],
        "suppressed": False,
    }


def _set_month(snapshot: dict, month: date | None) -> None:
    snapshot["data_month"] = _day(month)
    snapshot["data_month_label"] = month_label(month) if month else ""
    snapshot["has_data"] = month is not None


def _no_data(snapshot: dict, what: str) -> None:
    text = _(
        "Er zijn geen productiegegevens van %(what)s over %(period)s. Dit rapport bevat daarom "
        "geen kengetallen; het laat alleen zien wat er buiten de productiecijfers bekend is."
    ) % {"what": what, "period": snapshot["period"]["label"]}
    snapshot["no_data_text"] = text
    snapshot["summary"].append(text)


def _figure(fig) -> dict:
    return {"value": _num(fig.value), "text": fig.text, "small": fig.small}


def _kpi(tile) -> dict:
    """A dashboard tile as plain data, its text exactly as the tile shows it."""
    d = kpis_definitions.definition(tile.kpi)
    norm = tile.norm
    return {
        "code": tile.kpi,
        "label": tile.label,
        "short_label": str(SHORT_LABELS.get(tile.kpi, tile.label)),
        "unit": tile.unit,
        "value": _num(tile.figure.value),
        "text": tile.figure.text,
        "small": tile.figure.small,
        "norm": None
        if norm is None
        else {
            "norm": _num(norm.norm),
            "amber": _num(norm.amber),
            "red": _num(norm.red),
            "direction": norm.direction,
            "source": norm.source,
        },
        "norm_text": norm_text(norm, tile.unit) if norm is not None else "",
        "norm_short": format_value(norm.norm, tile.unit) if norm is not None else "",
        "level": tile.level or "",
        "level_label": tile.level_label,
        "direction": d.direction or "",
        "direction_label": str(Direction(d.direction).label) if d.direction else "",
        "benchmark_label": tile.benchmark_label if tile.benchmark is not None else "",
        "benchmark_value": _num(tile.benchmark.value) if tile.benchmark is not None else None,
        "benchmark_text": tile.benchmark.text if tile.benchmark is not None else "",
        "numerator_text": tile.numerator.text if tile.numerator is not None else "",
        "numerator_label": str(tile.numerator_label),
        "denominator_text": tile.denominator.text if tile.denominator is not None else "",
        "denominator_label": str(tile.denominator_label),
        "trend": _series(tile.trend),
        "benchmark_trend": _series(tile.benchmark_trend),
        "definition": str(tile.definition),
        "formula": str(tile.formula),
    }


def _key_figures(ctx: Ctx, subject: Subject, month: date, *, suppressed=False) -> list[dict]:
    """The month's declared amount, declaration lines, youths and trajectories (as on the
    dashboard's key figures)."""
    measures = selectors.measures_by_month(ctx.region, subject, [month], rollups=ctx.rollups).get(
        month, Measures()
    )
    amount = selectors.amount_figure(measures, suppressed=suppressed)
    lines = selectors.Figure(Decimal(measures.declaration_lines), "aantal")
    youths = selectors.kpi_figure(Kpi.UNIQUE_YOUTHS, measures, suppressed=suppressed)
    trajectories = selectors.kpi_figure(Kpi.TRAJECTORIES, measures, suppressed=suppressed)
    label = month_label(month)
    return [
        {"label": _("gedeclareerd in %(month)s") % {"month": label}, **_figure(amount)},
        {"label": _("declaratieregels"), **_figure(lines)},
        {"label": _("unieke jeugdigen"), **_figure(youths)},
        {"label": _("lopende trajecten"), **_figure(trajectories)},
    ]


def _spend(spend, subject_label: str) -> dict:
    """Spend against budget as plain data (the dashboard's spend panel and chart)."""
    return {
        "year": spend.year,
        "through": _day(spend.through),
        "through_label": month_label(spend.through),
        "subject_label": subject_label,
        "monthly": _series(spend.monthly),
        "spent": _num(spend.spent),
        "spent_text": _euro(spend.spent),
        "budget": _num(spend.budget),
        "budget_text": _euro(spend.budget) if spend.budget is not None else "",
        "pct": _num(spend.pct),
        "pct_text": _pct(spend.pct) if spend.pct is not None else "",
        "forecast": _num(spend.forecast),
        "forecast_text": _euro(spend.forecast),
        "run_out": _day(spend.run_out),
        "run_out_text": month_label(spend.run_out) if spend.run_out else "",
        "without_budget": [c.reference for c in spend.without_budget],
        "contracts": [
            {
                "reference": c.contract.reference,
                "provider": c.contract.provider.name,
                "segment": str(c.contract.segment),
                "budget_text": _euro(c.budget),
                "spent_text": _euro(c.spent),
                "pct_text": _pct(c.pct),
                "level": c.level or "",
                "level_label": _level_label(c.level),
                "run_out_text": month_label(c.run_out)
                if c.run_out
                else (_("toereikend") if c.budget is not None else "—"),
            }
            for c in spend.contracts
        ],
    }


def _spend_sentence(spend: dict | None) -> str:
    if not spend:
        return ""
    through = spend["through_label"]
    if spend["budget"] is None:
        return _(
            "Gedeclareerd van januari tot en met %(month)s: %(spent)s. Voor %(year)s is er geen "
            "budget of plafond vastgelegd, dus de besteding is niet tegen een budget af te zetten."
        ) % {"month": through, "spent": spend["spent_text"], "year": spend["year"]}
    text = _(
        "Gedeclareerd van januari tot en met %(month)s: %(spent)s van het budget %(budget)s "
        "(%(pct)s)."
    ) % {
        "month": through,
        "spent": spend["spent_text"],
        "budget": spend["budget_text"],
        "pct": spend["pct_text"],
    }
    if spend["run_out"]:
        text += " " + _("Bij het tempo van dit jaar is het budget op in %(month)s.") % {
            "month": spend["run_out_text"]
        }
    else:
        text += " " + _("Bij het tempo van dit jaar is het budget toereikend voor het jaar.")
    return text


def _lights_sentence(kpis: list[dict]) -> str:
    judged = [k for k in kpis if k["level"]]
    if not judged:
        return _("Geen van de kengetallen is tegen een norm beoordeeld.")
    counts = Counter(k["level"] for k in judged)
    text = _(
        "Van de %(n)s kengetallen met een norm staan er %(green)s op groen, %(amber)s op "
        "oranje en %(red)s op rood."
    ) % {
        "n": len(judged),
        "green": counts[Level.GREEN],
        "amber": counts[Level.AMBER],
        "red": counts[Level.RED],
    }
    bad = sorted(
        (k for k in judged if k["level"] in (Level.RED, Level.AMBER)),
        key=lambda k: LEVEL_ORDER[k["level"]],
    )
    if bad:
        text += " " + _("Aandacht voor: %(items)s.") % {
            "items": "; ".join(
                f"{k['label']} {k['text']} ({k['level_label'].lower()}, norm {k['norm_short']})"
                for k in bad
            )
        }
    return text


def _chart_kpis(kpis: list[dict], limit: int = 2) -> list[dict]:
    """The KPIs whose trend is drawn: red and amber ones first, else the default KPI."""
    bad = [
        k
        for k in kpis
        if k["level"] in (Level.RED, Level.AMBER) and k["code"] != Kpi.SPEND_VS_BUDGET
    ]
    bad.sort(key=lambda k: LEVEL_ORDER[k["level"]])
    chosen = bad[:limit]
    if not chosen:
        chosen = [k for k in kpis if k["code"] == DEFAULT_CHART_KPI][:1]
    return chosen


def _short(text: str, room: int = 34) -> str:
    """A legend label that fits next to the others in a chart."""
    text = str(text)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _trend_charts(kpis: list[dict], subject_label: str) -> list[dict]:
    return [
        {
            "code": k["code"],
            "label": k["label"],
            "unit": k["unit"],
            "subject_label": _short(subject_label),
            "series": k["trend"],
            "norm": k["norm"]["norm"] if k["norm"] else None,
            "benchmark": k["benchmark_trend"],
            "benchmark_label": _short(k["benchmark_label"]),
        }
        for k in _chart_kpis(kpis)
        if any(v is not None for _m, v in k["trend"])
    ]


def _definitions(codes, region=None) -> list[dict]:
    wanted = list(dict.fromkeys(codes))
    by_code = {d["code"]: d for d in selectors.definitions(region)}
    return [
        {key: str(value) for key, value in by_code[code].items()}
        for code in wanted
        if code in by_code
    ]


def _row_cells(row, kpis=TABLE_KPIS) -> list[dict]:
    cells = [_cell(row.amount.text)]
    for code in kpis:
        figure = row.figures.get(code) or selectors.kpi_figure(code, row.measures)
        cells.append(_cell(figure.text, row.levels.get(code)))
    return cells


def _kpi_columns(first: str, kpis=TABLE_KPIS) -> list:
    return [(first, False), (_("Gedeclareerd"), True)] + [
        (SHORT_LABELS.get(k, DEFINITIONS[k].label), True) for k in kpis
    ]


def _kpi_table_note(kpis=TABLE_KPIS) -> str:
    return _("Kolommen: %(cols)s.") % {
        "cols": "; ".join(f"{SHORT_LABELS.get(k, k)} = {DEFINITIONS[k].label}" for k in kpis)
    }


# --- signals, actions, escalations ----------------------------------------------------------------


def _signal(s) -> dict:
    return {
        "level": s.level,
        "level_label": _level_label(s.level),
        "period": _day(s.period),
        "period_text": str(s.period.year) if s.source == "finance" else f"{s.period:%m-%Y}",
        "message": s.text,
        "provider": s.provider.name,
        "contract": s.contract.reference if s.contract_id else "",
        "status_label": str(SignalStatus(s.status).label),
    }


def _signals(qs, *, with_provider: bool, limit: int = MAX_SIGNALS) -> dict:
    """Open signals: red before amber, the latest first; at most ``limit`` listed."""
    qs = qs.filter(status__in=selectors.OPEN_SIGNAL_STATUSES)
    counts = {
        row["level"]: row["n"] for row in qs.order_by().values("level").annotate(n=Count("pk"))
    }
    red_first = Case(When(level=Level.RED, then=Value(0)), default=Value(1))
    items = list(
        qs.select_related("contract", "provider").order_by(
            red_first, "-period", "provider__name", "topic"
        )[:limit]
    )
    total = sum(counts.values())
    return {
        "items": [_signal(s) for s in items],
        "total": total,
        "red": counts.get(Level.RED, 0),
        "amber": counts.get(Level.AMBER, 0),
        "more": max(0, total - len(items)),
        "with_provider": with_provider,
    }


def _signals_sentence(signals: dict) -> str:
    if not signals["total"]:
        return _("Er staan geen open signalen.")
    return _("Er staan %(n)s open signalen: %(red)s rood en %(amber)s oranje.") % {
        "n": signals["total"],
        "red": signals["red"],
        "amber": signals["amber"],
    }


def _actions(ctx: Ctx, provider) -> dict:
    """Agreed actions of the provider's performance dialogues: every open one, and those done
    or dropped within the period; and the dialogues of the period."""
    period = ctx.period
    qs = (
        DialogueAction.objects.filter(dialogue__region=ctx.region, dialogue__provider=provider)
        .filter(
            Q(status=ActionStatus.OPEN) | Q(closed_on__gte=period.start, closed_on__lte=period.end)
        )
        .filter(dialogue__scheduled_on__lte=period.end)
        .select_related("dialogue")
        .order_by("status", "due_on", "pk")
    )
    items = []
    for a in qs[:MAX_LIST]:
        overdue = a.status == ActionStatus.OPEN and a.due_on < period.end
        items.append(
            {
                "description": a.description,
                "owner": a.owner,
                "due_on": _day(a.due_on),
                "due_text": _d(a.due_on),
                "status": a.status,
                "status_label": str(ActionStatus(a.status).label),
                "overdue": overdue,
                "follow_up": a.follow_up,
                "closed_text": _d(a.closed_on),
                "dialogue_text": _d(a.dialogue.scheduled_on),
            }
        )
    dialogues = [
        {
            "date_text": _d(d.scheduled_on),
            "status_label": str(d.get_status_display()),
        }
        for d in PerformanceDialogue.objects.filter(
            region=ctx.region,
            provider=provider,
            scheduled_on__gte=period.start,
            scheduled_on__lte=period.end,
        ).order_by("scheduled_on")
    ]
    open_items = [i for i in items if i["status"] == ActionStatus.OPEN]
    return {
        "items": items,
        "open": len(open_items),
        "overdue": sum(1 for i in open_items if i["overdue"]),
        "dialogues": dialogues,
    }


def _escalation(ctx: Ctx, provider) -> dict:
    """The provider's current (heaviest open) escalation step at the end of the period, and the
    steps taken in the period."""
    period = ctx.period
    steps = list(
        Escalation.objects.filter(
            region=ctx.region, provider=provider, started_on__lte=period.end
        ).order_by("started_on", "pk")
    )
    open_steps = [e for e in steps if e.closed_on is None or e.closed_on > period.end]
    current = max(open_steps, key=lambda e: ESCALATION_RANK.get(e.step, 0)) if open_steps else None

    def plain(e):
        return {
            "step": e.step,
            "step_label": str(e.get_step_display()),
            "started_text": _d(e.started_on),
            "closed_text": _d(e.closed_on) if e.closed_on and e.closed_on <= period.end else "",
            "reason": e.reason,
            "outcome": e.outcome if e.closed_on and e.closed_on <= period.end else "",
        }

    return {
        "current": plain(current) if current else None,
        "ladder": [
            {
                "label": str(label),
                "current": current is not None and value == current.step,
            }
            for value, label in EscalationStep.choices
        ],
        "in_period": [
            plain(e)
            for e in steps
            if e.started_on >= period.start
            or (e.closed_on and period.start <= e.closed_on <= period.end)
        ],
    }


def _escalation_sentence(escalation: dict) -> str:
    current = escalation["current"]
    if current is None:
        return _("Er loopt geen escalatiestap.")
    return _("Huidige escalatiestap: %(step)s (sinds %(day)s).") % {
        "step": current["step_label"],
        "day": current["started_text"],
    }


# --- provider (monthly) ---------------------------------------------------------------------------


def build_provider(ctx: Ctx, snapshot: dict) -> None:
    region, provider, period = ctx.region, ctx.report.provider, ctx.period
    subject = Subject.provider(provider)
    month = period.start
    has_data = ctx.rollups.filter(grain=subject.grain, key=subject.key, month=month).exists()
    snapshot["subject"].update(kind_label=_("Aanbieder"), provider_id=provider.pk)
    summary = snapshot["summary"]
    kpi_codes: list[str] = []
    if has_data:
        _set_month(snapshot, month)
        basis = selectors.provider_basis(region, provider, month, contracts=ctx.contracts)
        spend = selectors.spend_against_budget(
            region, subject, month, contracts=ctx.contracts, rollups=ctx.rollups
        )
        tiles = selectors.build_tiles(
            region,
            subject,
            month,
            rollups=ctx.rollups,
            norms=basis.norms,
            benchmark=basis.benchmark,
            benchmark_label=basis.benchmark_label,
            spend=spend,
            kpi_codes=selectors.tile_kpis(region)[0],
        )
        kpis = [_kpi(t) for t in tiles]
        kpi_codes = [k["code"] for k in kpis]
        snapshot["kpis"] = kpis
        snapshot["subject"]["segments"] = [str(s) for s in basis.segments]
        snapshot["benchmark_label"] = str(basis.benchmark_label)
        snapshot["kpi_intro"] = " ".join(
            [
                str(basis.norm_rule),
                _("Vergelijking: %(label)s.") % {"label": basis.benchmark_label},
            ]
        )
        key = _key_figures(ctx, subject, month)
        snapshot["key_figures"] = key
        snapshot["spend"] = _spend(spend, provider.name)
        snapshot["trend_charts"] = _trend_charts(kpis, provider.name)
        summary.append(
            _(
                "In %(month)s declareerde %(name)s %(amount)s voor %(youths)s unieke jeugdigen "
                "(%(trajectories)s lopende trajecten)."
            )
            % {
                "month": snapshot["data_month_label"],
                "name": provider.name,
                "amount": key[0]["text"],
                "youths": key[2]["text"],
                "trajectories": key[3]["text"],
            }
        )
        summary.append(_lights_sentence(kpis))
        summary.append(_spend_sentence(snapshot["spend"]))
        rows = selectors.contract_rows(region, month, provider=provider, rollups=ctx.rollups)
        snapshot["tables"].append(
            _table(
                "contracts",
                _("Cijfers per contract in %(month)s") % {"month": snapshot["data_month_label"]},
                _kpi_columns(_("Contract")),
                [
                    {
                        "head": f"{r.obj.reference} · {r.obj.segment}",
                        "cells": _row_cells(r),
                        "total": False,
                    }
                    for r in rows
                ],
                intro=_(
                    "Elk contract tegen zijn eigen norm: de KPI-afspraak, anders de norm van het "
                    "segment."
                ),
                empty=_("Geen cijfers per contract in deze maand."),
                note=_kpi_table_note(),
            )
        )
    else:
        _no_data(snapshot, provider.name)
    snapshot["tables"].insert(0, _contracts_table(ctx, provider, snapshot.get("spend")))
    signals = _signals(
        Signal.objects.filter(region=region, provider=provider, period__lte=period.end),
        with_provider=False,
    )
    snapshot["signals"] = signals
    risk = selectors.risk_scores(region).get(provider.pk)
    signals["risk_text"] = format_value(risk.score, "cijfer") if risk else ""
    signals["risk_level"] = risk.level if risk else ""
    signals["risk_level_label"] = _level_label(risk.level) if risk else ""
    snapshot["actions"] = _actions(ctx, provider)
    snapshot["escalation"] = _escalation(ctx, provider)
    summary.append(_signals_sentence(signals))
    summary.append(_escalation_sentence(snapshot["escalation"]))
    actions = snapshot["actions"]
    if actions["open"]:
        summary.append(
            _(
                "Er staan %(n)s actiepunten uit prestatiedialogen open, waarvan %(late)s over de "
                "uiterste datum."
            )
            % {"n": actions["open"], "late": actions["overdue"]}
        )
    snapshot["definitions"] = _definitions(kpi_codes, ctx.region)


def _contracts_table(ctx: Ctx, provider, spend: dict | None) -> dict:
    """The provider's contracts running in the period, with the year's budget and spending."""
    period = ctx.period
    contracts = list(
        selectors.contracts_in_force(
            ctx.contracts.filter(provider=provider).select_related("segment"), period.start
        ).order_by("reference")
    )
    by_ref = {c["reference"]: c for c in (spend or {}).get("contracts", [])}
    rows = []
    for c in contracts:
        s = by_ref.get(c.reference)
        end = c.terminated_on or c.end_date
        rows.append(
            {
                "head": c.reference,
                "cells": [
                    _cell(str(c.segment), num=False),
                    _cell(f"{_d(c.start_date)} – {_d(end) if end else _('onbepaald')}", num=False),
                    _cell(s["budget_text"] if s else "—"),
                    _cell(s["spent_text"] if s else "—"),
                    _cell(s["pct_text"] if s else "—", s["level"] if s else None),
                    _cell(s["run_out_text"] if s else "—", num=False),
                ],
                "total": False,
            }
        )
    year = spend["year"] if spend else period.start.year
    return _table(
        "agreements",
        _("Contracten"),
        [
            (_("Contract"), False),
            (_("Segment"), False),
            (_("Looptijd"), False),
            (_("Budget %(year)s") % {"year": year}, True),
            (_("Gedeclareerd"), True),
            (_("Besteed"), True),
            (_("Budget op in"), False),
        ],
        rows,
        intro=_("Contracten die in %(period)s liepen; besteding van januari tot en met die maand.")
        % {"period": period.label},
        empty=_("Geen lopend contract in deze periode."),
    )


# --- segment (quarterly) --------------------------------------------------------------------------


def _month_table(ctx: Ctx, subject: Subject, *, suppressed=False, title="") -> dict:
    """The period's months and its total: declared, youths, trajectories, wait time."""
    period = ctx.period
    by_month = selectors.measures_by_month(ctx.region, subject, period.months, rollups=ctx.rollups)
    rows = []
    for m in period.months:
        measures = by_month.get(m)
        if measures is None:
            rows.append(
                {
                    "head": month_label(m),
                    "cells": [_cell("—")] * 5,
                    "total": False,
                }
            )
            continue
        rows.append(
            {
                "head": month_label(m),
                "cells": [
                    _cell(selectors.amount_figure(measures, suppressed=suppressed).text),
                    _cell(
                        selectors.kpi_figure(
                            Kpi.UNIQUE_YOUTHS, measures, suppressed=suppressed
                        ).text
                    ),
                    _cell(
                        selectors.kpi_figure(Kpi.TRAJECTORIES, measures, suppressed=suppressed).text
                    ),
                    _cell(_small_count(measures.trajectories_started, suppressed)),
                    _cell(
                        selectors.kpi_figure(Kpi.WAIT_TIME, measures, suppressed=suppressed).text
                    ),
                ],
                "total": False,
            }
        )
    total = selectors.measures_total(
        ctx.region, subject, period.start, period.last_month, rollups=ctx.rollups
    )
    peak = max((m.youths for m in by_month.values()), default=0)
    hide_amount = suppressed and 0 < peak < selectors.SMALL_CELL
    rows.append(
        {
            "head": _("Kwartaal"),
            "cells": [
                _cell("—" if hide_amount else format_value(total.amount, "euro")),
                _cell("·"),
                _cell("·"),
                _cell(_small_count(total.trajectories_started, suppressed)),
                _cell(selectors.kpi_figure(Kpi.WAIT_TIME, total, suppressed=suppressed).text),
            ],
            "total": True,
        }
    )
    return _table(
        "months",
        title or _("Per maand"),
        [
            (_("Maand"), False),
            (_("Gedeclareerd"), True),
            (_("Unieke jeugdigen"), True),
            (_("Lopende trajecten"), True),
            (_("Gestarte trajecten"), True),
            (_("Wachttijd"), True),
        ],
        rows,
        note=_(
            "Jeugdigen en lopende trajecten zijn per maand geteld en niet over het kwartaal op "
            "te tellen (·). De wachttijd van het kwartaal is het gemiddelde over alle starts met "
            "een verwijzing in het kwartaal."
        ),
    ), total


def _small_count(n: int, suppressed: bool) -> str:
    if suppressed and 0 < n < selectors.SMALL_CELL:
        return "< 5"
    return _count(n)


def build_segment(ctx: Ctx, snapshot: dict) -> None:
    region, segment = ctx.region, ctx.report.segment
    subject = Subject.segment(segment)
    snapshot["subject"].update(kind_label=_("Segment"), segment_id=segment.pk)
    month = ctx.last_data_month(subject)
    summary = snapshot["summary"]
    kpi_codes: list[str] = []
    if month is not None:
        _set_month(snapshot, month)
        norms = {k: n for (_sid, k), n in segment_norms([segment]).items()}
        spend = selectors.spend_against_budget(
            region, subject, month, contracts=ctx.contracts, rollups=ctx.rollups
        )
        tiles = selectors.build_tiles(
            region,
            subject,
            month,
            rollups=ctx.rollups,
            norms=norms,
            benchmark=Subject.region(region),
            benchmark_label=_("Regio"),
            spend=spend,
            kpi_codes=selectors.tile_kpis(region, segment=segment)[0],
            lead=selectors.tile_kpis(region, segment=segment)[1],
        )
        kpis = [_kpi(t) for t in tiles]
        kpi_codes = [k["code"] for k in kpis]
        snapshot["kpis"] = kpis
        snapshot["kpi_intro"] = _(
            "Kengetallen van %(month)s, de laatste maand van het kwartaal met cijfers, tegen de "
            "norm van het segment. Vergelijking: de regio."
        ) % {"month": snapshot["data_month_label"]}
        snapshot["benchmark_label"] = _("Regio")
        snapshot["key_figures"] = _key_figures(ctx, subject, month)
        snapshot["spend"] = _spend(spend, str(segment))
        snapshot["trend_charts"] = _trend_charts(kpis, str(segment))[:1]
        months_table, total = _month_table(ctx, subject)
        summary.append(
            _(
                "In %(period)s is in segment %(segment)s %(amount)s gedeclareerd; in "
                "%(month)s waren er %(youths)s unieke jeugdigen in zorg."
            )
            % {
                "period": snapshot["period"]["label"],
                "segment": segment,
                "amount": format_value(total.amount, "euro"),
                "month": snapshot["data_month_label"],
                "youths": snapshot["key_figures"][2]["text"],
            }
        )
        summary.append(_lights_sentence(kpis))
        summary.append(_spend_sentence(snapshot["spend"]))
        snapshot["tables"].append(months_table)
        rows = selectors.contract_rows(region, month, segment=segment, rollups=ctx.rollups)
        snapshot["tables"].append(
            _table(
                "contracts",
                _("Cijfers per contract in %(month)s") % {"month": snapshot["data_month_label"]},
                _kpi_columns(_("Contract")),
                [
                    {
                        "head": f"{r.obj.provider.name} · {r.obj.reference}",
                        "cells": _row_cells(r),
                        "total": False,
                    }
                    for r in rows
                ],
                intro=_(
                    "Elk contract tegen zijn eigen norm: de KPI-afspraak, anders de norm van het "
                    "segment."
                ),
                empty=_("Geen cijfers per contract in deze maand."),
                note=_kpi_table_note(),
            )
        )
        snapshot["bar_chart"] = _bars(rows, _chart_kpis(kpis, 1), norms, month)
    else:
        _no_data(snapshot, _("segment %(segment)s") % {"segment": segment})
    signals = _signals(
        Signal.objects.filter(region=region, contract__segment=segment, period__lte=ctx.period.end),
        with_provider=True,
    )
    snapshot["signals"] = signals
    summary.append(_signals_sentence(signals))
    snapshot["definitions"] = _definitions(kpi_codes, ctx.region)


def _bars(rows, chosen: list[dict], norms: dict, month: date) -> dict | None:
    """The segment dashboard's bar chart: one KPI per contract, each against its own norm."""
    if not rows or not chosen:
        return None
    kpi = chosen[0]["code"]
    d = DEFINITIONS[kpi]
    values = [selectors.kpi_figure(kpi, r.measures).value for r in rows]
    norm = norms.get(kpi)
    return {
        "code": kpi,
        "label": str(d.label),
        "unit": d.unit,
        "title": _("%(kpi)s per contract in %(month)s, elk tegen de eigen norm")
        % {"kpi": d.label, "month": month_label(month)},
        "norm": _num(norm.norm) if norm else None,
        "bars": [
            [
                f"{r.obj.provider.name} ({r.obj.reference})",
                _num(v),
                judge(v, r.extra["norms"].get(kpi)) or "",
            ]
            for r, v in zip(rows, values, strict=True)
        ],
    }


# --- municipality (quarterly) ---------------------------------------------------------------------


def build_municipality(ctx: Ctx, snapshot: dict) -> None:
    region, municipality, period = ctx.region, ctx.report.municipality, ctx.period
    subject = Subject.municipality(municipality)
    snapshot["subject"].update(kind_label=_("Gemeente"), municipality_id=municipality.pk)
    snapshot["suppressed"] = True
    snapshot["notes"].append(
        _(
            "Kleine aantallen zijn afgeschermd: een aantal van 1 tot 4 staat er als “< 5”; een "
            "verhouding of bedrag berekend uit minder dan 5 jeugdigen, trajecten of metingen "
            "staat er als “—”."
        )
    )
    summary = snapshot["summary"]
    month = ctx.last_data_month(subject)
    kpi_codes: list[str] = []
    year = period.start.year
    budget = _budget_share(ctx, municipality, year)
    snapshot["budget_share"] = budget
    if month is not None:
        _set_month(snapshot, month)
        codes = selectors.tile_kpis(
            region,
            codes=[k for k in selectors.TILE_KPIS if k not in (Kpi.SPEND_VS_BUDGET, Kpi.OCCUPANCY)],
        )[0]
        tiles = selectors.build_tiles(
            region, subject, month, rollups=ctx.rollups, suppressed=True, kpi_codes=codes
        )
        kpis = [_kpi(t) for t in tiles]
        kpi_codes = [k["code"] for k in kpis]
        snapshot["kpis"] = kpis
        snapshot["kpi_intro"] = _(
            "Kengetallen van %(month)s, de laatste maand van het kwartaal met cijfers. Voor een "
            "gemeente gelden geen normen: die horen bij contracten en segmenten."
        ) % {"month": snapshot["data_month_label"]}
        snapshot["key_figures"] = _key_figures(ctx, subject, month, suppressed=True)
        months_table, total = _month_table(ctx, subject, suppressed=True)
        snapshot["tables"].append(months_table)
        for by, title, first in (
            ("segment", _("Per segment in het kwartaal"), _("Segment")),
            ("provider", _("Per aanbieder in het kwartaal"), _("Aanbieder")),
        ):
            snapshot["tables"].append(_municipality_by(ctx, municipality, by, title, first, month))
        summary.append(
            _(
                "In %(period)s is voor jeugdigen uit %(name)s %(amount)s gedeclareerd; in "
                "%(month)s waren er %(youths)s unieke jeugdigen in zorg."
            )
            % {
                "period": snapshot["period"]["label"],
                "name": municipality.name,
                "amount": months_table["rows"][-1]["cells"][0]["text"],
                "month": snapshot["data_month_label"],
                "youths": snapshot["key_figures"][2]["text"],
            }
        )
    else:
        _no_data(snapshot, municipality.name)
    summary.append(budget["sentence"])
    snapshot["definitions"] = _definitions(kpi_codes, ctx.region)


def _budget_share(ctx: Ctx, municipality, year: int) -> dict:
    """The municipality's spend from January through the period's last month against its share
    of the region's budget (verdeelsleutel × the region's budget of the year)."""
    period = ctx.period
    last = period.last_month
    subject = Subject.municipality(municipality)
    months = [date(year, m, 1) for m in range(1, last.month + 1)]
    by_month = selectors.measures_by_month(ctx.region, subject, months, rollups=ctx.rollups)
    spent = sum((m.amount for m in by_month.values()), Decimal(0))
    peak = max((m.youths for m in by_month.values()), default=0)
    hidden = 0 < peak < selectors.SMALL_CELL
    share = BudgetShare.objects.filter(municipality=municipality, year=year).first()
    region_spend = selectors.spend_against_budget(
        ctx.region, Subject.region(ctx.region), last, contracts=ctx.contracts, rollups=ctx.rollups
    )
    region_budget = region_spend.budget
    result = {
        "year": year,
        "through_label": month_label(last),
        "spent": None if hidden else _num(spent),
        "spent_text": "—" if hidden else format_value(spent, "euro"),
        "share": _num(share.percentage) if share else None,
        "share_text": format_value(share.percentage, "procent") if share else "",
        "region_budget": _num(region_budget),
        "region_budget_text": _euro(region_budget) if region_budget is not None else "",
        "budget": None,
        "budget_text": "",
        "pct": None,
        "pct_text": "",
        "level": "",
        "sentence": "",
        "monthly": _series(
            (m, None if hidden else (by_month[m].amount if m in by_month else 0)) for m in months
        ),
    }
    spent_words = _(
        "Van januari tot en met %(month)s is voor jeugdigen uit %(name)s %(spent)s gedeclareerd."
    ) % {
        "month": result["through_label"],
        "name": municipality.name,
        "spent": result["spent_text"]
        if not hidden
        else _("een bedrag (afgeschermd: minder dan 5 jeugdigen)"),
    }
    if share is None:
        result["sentence"] = (
            spent_words
            + " "
            + _(
                "Voor %(year)s is geen aandeel van %(name)s in het regionale budget vastgelegd "
                "(verdeelsleutel). De besteding is daarom niet tegen een gemeentelijk budget af te "
                "zetten."
            )
            % {"year": year, "name": municipality.name}
        )
        return result
    if region_budget is None:
        result["sentence"] = (
            spent_words
            + " "
            + _(
                "Het aandeel van %(name)s is %(share)s, maar de regio heeft voor %(year)s geen "
                "budget of plafond vastgelegd; er is dus geen bedrag om de besteding tegen af te "
                "zetten."
            )
            % {"name": municipality.name, "share": result["share_text"], "year": year}
        )
        return result
    # a contract for some municipalities only is split over those (reports.budget_scope)
    parts = municipal_budget(
        [(row.contract, row.budget) for row in region_spend.contracts],
        municipality.pk,
        lambda: dict(
            BudgetShare.objects.filter(region=ctx.region, year=year).values_list(
                "municipality_id", "percentage"
            )
        ),
    )
    budget = parts.amount(share.percentage).quantize(Decimal("0.01"))
    result["budget"] = _num(budget)
    result["budget_text"] = format_value(budget, "euro")
    if not hidden and budget:
        pct = (spent * 100 / budget).quantize(Decimal("0.1"))
        result["pct"] = _num(pct)
        result["pct_text"] = format_value(pct, "procent")
        expected = Decimal(last.month * 100) / 12
        result["expected_pct_text"] = format_value(expected, "procent")
    result["sentence"] = (
        spent_words
        + " "
        + (
            _(
                "Het aandeel van %(name)s in het regionale budget %(year)s is %(share)s van "
                "%(region_budget)s = %(budget)s."
            )
            if not parts.scoped_in and not parts.scoped_out
            else _scoped_budget_words(municipality, year, result, parts)
        )
        % {
            "name": municipality.name,
            "year": year,
            "share": result["share_text"],
            "region_budget": result["region_budget_text"],
            "budget": result["budget_text"],
        }
    )
    if result["pct"] is not None:
        result["sentence"] += " " + _(
            "Daarvan is %(pct)s besteed, na %(months)s van de 12 maanden (naar rato %(expected)s)."
        ) % {
            "pct": result["pct_text"],
            "months": last.month,
            "expected": result["expected_pct_text"],
        }
    return result


def _scoped_budget_words(municipality, year: int, result: dict, parts) -> str:
    """The budget sentence when some contracts apply to some municipalities only (a format
    string for the caller's ``%``: the amounts are filled in here, escaped)."""
    words = _(
        "Het aandeel van %(name)s in het budget %(year)s van de contracten voor alle "
        "gemeenten is %(share)s van %(general)s."
    ).replace("%(general)s", _euro(parts.general).replace("%", "%%"))
    if parts.scoped_in:
        words += " " + _(
            "Daarbij komt %(part)s uit contracten die alleen voor enkele gemeenten gelden "
            "(%(contracts)s), verdeeld over die gemeenten naar hun aandeel."
        ).replace("%(part)s", _euro(parts.scoped_part).replace("%", "%%")).replace(
            "%(contracts)s",
            ", ".join(c.reference for c, _b, _p in parts.scoped_in).replace("%", "%%"),
        )
    words += " " + _("Samen: %(budget)s.")
    if parts.scoped_out:
        words += " " + _("Niet meegeteld: %(contracts)s, dat geldt niet voor %(name)s.").replace(
            "%(contracts)s",
            ", ".join(c.reference for c, _b in parts.scoped_out).replace("%", "%%"),
        )
    return words


def _municipality_by(ctx: Ctx, municipality, by: str, title: str, first: str, month: date) -> dict:
    """Per segment or provider: declared in the quarter, and youths and running trajectories in
    the data month (small cells suppressed)."""
    per_month = {
        m: selectors.municipality_rows(
            ctx.region, municipality, m, by=by, rollups=ctx.rollups, suppressed=True
        )
        for m in ctx.period.months
    }
    names, amounts, peaks = {}, Counter(), Counter()
    for rows in per_month.values():
        for r in rows:
            names[r.obj.pk] = str(r.obj) if by == "segment" else r.obj.name
            amounts[r.obj.pk] += r.measures.amount
            peaks[r.obj.pk] = max(peaks[r.obj.pk], r.measures.youths)
    current = {r.obj.pk: r for r in per_month.get(month, [])}
    rows = []
    for pk, name in sorted(names.items(), key=lambda i: (-amounts[i[0]], i[1])):
        hidden = 0 < peaks[pk] < selectors.SMALL_CELL
        r = current.get(pk)
        youths = r.figures[Kpi.UNIQUE_YOUTHS].text if r else "—"
        traj = (
            selectors.kpi_figure(Kpi.TRAJECTORIES, r.measures, suppressed=True).text if r else "—"
        )
        wait = r.figures[Kpi.WAIT_TIME].text if r else "—"
        rows.append(
            {
                "head": name,
                "cells": [
                    _cell("—" if hidden else format_value(amounts[pk], "euro")),
                    _cell(youths),
                    _cell(traj),
                    _cell(wait),
                ],
                "total": False,
            }
        )
    label = month_label(month)
    return _table(
        f"by-{by}",
        title,
        [
            (first, False),
            (_("Gedeclareerd in het kwartaal"), True),
            (_("Jeugdigen %(month)s") % {"month": label}, True),
            (_("Lopende trajecten %(month)s") % {"month": label}, True),
            (_("Wachttijd %(month)s") % {"month": label}, True),
        ],
        rows,
        empty=_("Geen productie in deze periode."),
    )


# --- board summary (yearly) -----------------------------------------------------------------------


def build_board(ctx: Ctx, snapshot: dict) -> None:
    region, period = ctx.region, ctx.period
    subject = Subject.region(region)
    snapshot["subject"].update(kind_label=_("Regio"))
    month = ctx.last_data_month(subject)
    summary = snapshot["summary"]
    kpi_codes: list[str] = []
    if month is not None:
        _set_month(snapshot, month)
        spend = selectors.spend_against_budget(
            region, subject, month, contracts=ctx.contracts, rollups=ctx.rollups
        )
        tiles = selectors.build_tiles(
            region,
            subject,
            month,
            rollups=ctx.rollups,
            spend=spend,
            kpi_codes=selectors.tile_kpis(region)[0],
        )
        kpis = [_kpi(t) for t in tiles]
        kpi_codes = [k["code"] for k in kpis]
        snapshot["kpis"] = kpis
        snapshot["kpi_intro"] = _(
            "Kengetallen van de regio in %(month)s, de laatste maand van het jaar met cijfers. "
            "Normen gelden per contract en segment; zie de tabel per segment."
        ) % {"month": snapshot["data_month_label"]}
        snapshot["key_figures"] = _key_figures(ctx, subject, month)
        snapshot["spend"] = _spend(spend, region.name)
        total = selectors.measures_total(region, subject, period.start, month, rollups=ctx.rollups)
        summary.append(
            _(
                "In %(year)s (tot en met %(month)s) is in de regio %(amount)s gedeclareerd in "
                "%(lines)s declaratieregels; in %(month)s waren er %(youths)s unieke jeugdigen "
                "in zorg."
            )
            % {
                "year": period.label,
                "month": snapshot["data_month_label"],
                "amount": format_value(total.amount, "euro"),
                "lines": _count(total.declaration_lines),
                "youths": snapshot["key_figures"][2]["text"],
            }
        )
        summary.append(_spend_sentence(snapshot["spend"]))
        segs = selectors.segment_rows(region, month, rollups=ctx.rollups)
        seg_rows = []
        for r in segs:
            if r.extra.get("empty"):
                seg_rows.append(
                    {
                        "head": str(r.obj),
                        "cells": [_cell(_("geen productie"), num=False)]
                        + [_cell("") for _k in TABLE_KPIS],
                        "total": False,
                    }
                )
            else:
                seg_rows.append({"head": str(r.obj), "cells": _row_cells(r), "total": False})
        red_segments = sum(
            1 for r in segs if any(level == Level.RED for level in r.levels.values())
        )
        summary.append(
            _("%(n)s van de %(total)s segmenten hebben in %(month)s een kengetal op rood.")
            % {"n": red_segments, "total": len(segs), "month": snapshot["data_month_label"]}
        )
        snapshot["tables"].append(
            _table(
                "segments",
                _("Per segment in %(month)s") % {"month": snapshot["data_month_label"]},
                _kpi_columns(_("Segment")),
                seg_rows,
                intro=_("Elk segment tegen zijn eigen norm."),
                note=_kpi_table_note(),
            )
        )
        snapshot["tables"].append(_providers_table(ctx, month))
    else:
        _no_data(snapshot, region.name)
    snapshot["tables"].append(_signal_counts_table(ctx))
    snapshot["tables"].append(_escalations_table(ctx))
    signals = _signals(
        Signal.objects.filter(region=region, period__lte=period.end, level=Level.RED),
        with_provider=True,
        limit=10,
    )
    signals["title"] = _("Open rode signalen")
    snapshot["signals"] = signals
    summary.append(
        _signals_sentence(
            _signals(
                Signal.objects.filter(region=region, period__lte=period.end), with_provider=True
            )
        )
    )
    snapshot["definitions"] = _definitions(kpi_codes, ctx.region)


def _providers_table(ctx: Ctx, month: date) -> dict:
    rows = selectors.provider_rows(ctx.region, month, rollups=ctx.rollups)
    shown = [
        r
        for r in rows
        if (r.extra.get("risk") and r.extra["risk"].score > 0)
        or (r.extra.get("signals") and r.extra["signals"]["red"])
    ][:10]
    out = []
    for r in shown:
        risk = r.extra.get("risk")
        sig = r.extra.get("signals") or {"open": 0, "red": 0, "amber": 0}
        out.append(
            {
                "head": r.obj.name,
                "cells": [
                    _cell(
                        format_value(risk.score, "cijfer") if risk else "0",
                        risk.level if risk else None,
                    ),
                    _cell(_count(sig["red"])),
                    _cell(_count(sig["amber"])),
                    _cell(r.amount.text),
                    _cell(r.figures[Kpi.UNIQUE_YOUTHS].text),
                ],
                "total": False,
            }
        )
    return _table(
        "providers",
        _("Aanbieders met het hoogste risico"),
        [
            (_("Aanbieder"), False),
            (_("Risicoscore"), True),
            (_("Open rood"), True),
            (_("Open oranje"), True),
            (_("Gedeclareerd %(month)s") % {"month": month_label(month)}, True),
            (_("Jeugdigen"), True),
        ],
        out,
        intro=_(
            "De tien aanbieders met de hoogste risicoscore (gewogen open signalen), of met open "
            "rode signalen."
        ),
        empty=_("Geen aanbieder met open signalen."),
    )


def _signal_counts_table(ctx: Ctx) -> dict:
    period = ctx.period
    qs = Signal.objects.filter(
        region=ctx.region, period__gte=period.start, period__lte=period.end
    ).order_by()
    counts = {
        (r["level"], r["status"]): r["n"]
        for r in qs.values("level", "status").annotate(n=Count("pk"))
    }
    rows = []
    for level in (Level.RED, Level.AMBER):
        open_n = sum(counts.get((level, s), 0) for s in selectors.OPEN_SIGNAL_STATUSES)
        closed = counts.get((level, SignalStatus.CLOSED), 0)
        rows.append(
            {
                "head": _level_label(level),
                "level": level,
                "cells": [
                    _cell(_count(open_n + closed)),
                    _cell(_count(open_n)),
                    _cell(_count(closed)),
                ],
                "total": False,
            }
        )
    return _table(
        "signal-counts",
        _("Signalen over %(year)s") % {"year": period.label},
        [
            (_("Niveau"), False),
            (_("Totaal"), True),
            (_("Nog open"), True),
            (_("Afgehandeld"), True),
        ],
        rows,
        intro=_(
            "Signalen over maanden van het jaar, naar niveau en naar de stand bij het maken van "
            "dit rapport."
        ),
    )


def _escalations_table(ctx: Ctx) -> dict:
    period = ctx.period
    steps = (
        Escalation.objects.filter(region=ctx.region, started_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .select_related("provider")
        .order_by("provider__name", "started_on")
    )
    rows = [
        {
            "head": e.provider.name,
            "cells": [
                _cell(e.get_step_display(), num=False),
                _cell(_d(e.started_on), num=False),
                _cell(
                    _d(e.closed_on) if e.closed_on and e.closed_on <= period.end else _("loopt"),
                    num=False,
                ),
                _cell(e.reason, num=False),
            ],
            "total": False,
        }
        for e in steps[:MAX_LIST]
    ]
    return _table(
        "escalations",
        _("Escalaties in %(year)s") % {"year": period.label},
        [
            (_("Aanbieder"), False),
            (_("Stap"), False),
            (_("Gestart"), False),
            (_("Afgesloten"), False),
            (_("Aanleiding"), False),
        ],
        rows,
        intro=_("Escalatiestappen die in het jaar liepen."),
        empty=_("Geen escalaties in dit jaar."),
    )


BUILDERS = {
    ReportKind.PROVIDER: build_provider,
    ReportKind.SEGMENT: build_segment,
    ReportKind.MUNICIPALITY: build_municipality,
    ReportKind.BOARD: build_board,
}
