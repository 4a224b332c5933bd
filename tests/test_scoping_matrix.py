"""Every page × every role: who sees what. A page added without a row here fails
``test_every_page_is_in_the_matrix``."""

from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse

from tests.pagetext import language_for, language_problems

# What each role gets, per kind of page (for objects of region A).
OK, DENIED, HIDDEN, LOGIN, NOT_ALLOWED = 200, "denied", 404, "login", 405
EXPECT = {
    # officer, contract_manager, viewer, municipal, other_region_officer, superuser, administrator
    # (the region administrator reads as a viewer)
    "region": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "landscape": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "own_municipality": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "other_municipality": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "landscape_edit": (OK, DENIED, DENIED, DENIED, HIDDEN, OK, DENIED),
    "landscape_action": (NOT_ALLOWED, DENIED, DENIED, DENIED, HIDDEN, NOT_ALLOWED, DENIED),
    "landscape_redirect": (302, 302, 302, 302, HIDDEN, 302, 302),
    "serving_provider": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "distant_provider": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "provider_edit": (OK, OK, DENIED, DENIED, HIDDEN, OK, DENIED),
    "distant_provider_edit": (OK, OK, DENIED, DENIED, HIDDEN, OK, DENIED),
    "history": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    # the region's screening instrument: region roles read it (with its usage figures), the
    # procurement officer edits it; municipal users get a 404 on every page of it
    "screening_instrument": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "screening_instrument_edit": (OK, 403, 403, HIDDEN, HIDDEN, OK, 403),
    "screening_instrument_action": (NOT_ALLOWED, 403, 403, HIDDEN, HIDDEN, NOT_ALLOWED, 403),
    # procurement: public parts for municipalities, competition-sensitive parts for region roles
    "procurement_public": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "procurement_edit": (OK, DENIED, DENIED, DENIED, HIDDEN, OK, DENIED),
    "procurement_confidential": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "procurement_assess": (OK, OK, DENIED, HIDDEN, HIDDEN, OK, DENIED),
    "procurement_draft": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    # POST-only actions: a GET by someone allowed is "method not allowed"
    "procurement_action": (NOT_ALLOWED, DENIED, DENIED, DENIED, HIDDEN, NOT_ALLOWED, DENIED),
    # contracts: municipalities read those of segments they take part in, and regional tariffs
    "contract_read": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "contract_edit": (OK, OK, 403, 403, HIDDEN, OK, 403),
    # settlement and procurement effect are built from every municipality's production
    "contract_money": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "contract_effect": (OK, OK, OK, 403, HIDDEN, OK, OK),
    # saved funding-model scenarios: region staff read them, contract editors change them
    "contract_effect_edit": (OK, OK, 403, 403, HIDDEN, OK, 403),
    # monitoring: dashboards and steering are built from every municipality's production;
    # a municipality has its own view and the lines of its own youths
    "monitoring_region": (OK, OK, OK, 403, HIDDEN, OK, OK),
    "monitoring_open": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "monitoring_steering": (OK, OK, OK, 403, HIDDEN, OK, OK),
    "monitoring_steering_edit": (OK, OK, 403, 403, HIDDEN, OK, 403),
    "monitoring_import": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "monitoring_import_edit": (OK, OK, 403, HIDDEN, HIDDEN, OK, 403),
    # reports: everyone who reads the region reads the archive (a municipality its own
    # municipality's reports and the board summary); requesters make and regenerate them; the
    # schedule and the verdeelsleutel are for region staff, the schedule is the administrator's
    "reports_read": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "reports_request": (OK, OK, 403, 403, HIDDEN, OK, OK),
    "report_region": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "report_board": (OK, OK, OK, OK, HIDDEN, OK, OK),
    "report_regenerate": (NOT_ALLOWED, NOT_ALLOWED, 403, HIDDEN, HIDDEN, NOT_ALLOWED, NOT_ALLOWED),
    "report_board_regenerate": (
        NOT_ALLOWED,
        NOT_ALLOWED,
        403,
        403,
        HIDDEN,
        NOT_ALLOWED,
        NOT_ALLOWED,
    ),
    # a subscription is its owner's only: another user's is hidden, even from a superuser
    "subscription_other": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "reports_staff": (OK, OK, OK, 403, HIDDEN, OK, OK),
    "report_schedule_edit": (403, 403, 403, 403, HIDDEN, OK, OK),
    "report_schedule_run": (403, 403, 403, 403, HIDDEN, NOT_ALLOWED, NOT_ALLOWED),
    # API clients: the region administrator's (and a superuser's); everyone else of the region 403
    "api_clients": (403, 403, 403, 403, HIDDEN, OK, OK),
    "api_client_action": (403, 403, 403, 403, HIDDEN, NOT_ALLOWED, NOT_ALLOWED),
    # onboarding: municipalities by CBS code (landscape editors and the region administrator),
    # the region's users (its administrator's), the installation pages (superusers only)
    "municipality_add": (OK, DENIED, DENIED, DENIED, HIDDEN, OK, OK),
    "users": (403, 403, 403, 403, HIDDEN, OK, OK),
    "user_action": (403, 403, 403, 403, HIDDEN, NOT_ALLOWED, NOT_ALLOWED),
    "installation": (403, 403, 403, 403, 403, OK, 403),
    # a provider's portal users: region staff read the list, the officer and the region
    # administrator invite and remove them (the provider portal itself: tests/portal)
    "portal_users": (OK, OK, OK, 403, HIDDEN, OK, OK),
    "portal_users_action": (NOT_ALLOWED, 403, 403, 403, HIDDEN, NOT_ALLOWED, NOT_ALLOWED),
    # the region's public pages: turned on and set by its administrator only
    "public_page_settings": (403, 403, 403, 403, HIDDEN, OK, OK),
    # the region's themes (framework views, consultations): region roles read the list, the
    # officer and the region administrator keep it; municipal users see only the counts
    "theme_list": (OK, OK, OK, HIDDEN, HIDDEN, OK, OK),
    "theme_edit": (OK, 403, 403, HIDDEN, HIDDEN, OK, OK),
    # who signs the region's decision letters: set by its administrator only
    "letter_signatory_settings": (403, 403, 403, 403, HIDDEN, OK, OK),
    # the header search and the user's own notifications: every signed-in staff user, each
    # within its own scope (the search's scoping: tests/core/test_search.py); marking read is
    # POST-only
    "own_user": (OK, OK, OK, OK, OK, OK, OK),
    "own_user_action": (
        NOT_ALLOWED,
        NOT_ALLOWED,
        NOT_ALLOWED,
        NOT_ALLOWED,
        NOT_ALLOWED,
        NOT_ALLOWED,
        NOT_ALLOWED,
    ),
}
ROLES = (
    "officer",
    "contract_manager",
    "viewer",
    "municipal",
    "other_region_officer",
    "superuser",
    "administrator",
)


def kader_pages(w):
    """Themes, the adoption decision and market consultations (issue 21)."""
    r = {"region": w.region.slug}
    theme = {**r, "pk": w.kader.theme.pk}
    c = {**r, "strategy": w.proc.strategy.pk, "pk": w.kader.consultation.pk}
    return [
        ("procurement:theme-list", r, "theme_list"),
        ("procurement:theme-create", r, "theme_edit"),
        ("procurement:theme-detail", theme, "theme_list"),
        ("procurement:theme-update", theme, "theme_edit"),
        ("procurement:theme-delete", theme, "theme_edit"),
        (
            "procurement:framework-adoption-decision",
            {**r, "pk": w.proc.framework.pk},
            "procurement_edit",
        ),
        (
            "procurement:consultation-create",
            {**r, "strategy": w.proc.strategy.pk},
            "procurement_edit",
        ),
        ("procurement:consultation-update", c, "procurement_edit"),
        ("procurement:consultation-delete", c, "procurement_edit"),
        ("procurement:consultation-file", c, "procurement_public"),
    ]


@dataclass
class Kader:
    theme: object
    consultation: object  # on the world's strategy, with a minutes document


def build_kader(w) -> Kader:
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from procurement import consultations, kader

    theme = kader.theme_create(region=w.region, name="Kostenbeheersing")
    consultation = consultations.consultation_create(
        strategy=w.proc.strategy,
        held_on=date(2026, 2, 4),
        kind="table",
        providers=[w.provider],
        themes=[theme],
        minutes="Verslag",
        minutes_file=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return Kader(theme, consultation)


def procurement_pages(w):
    r = {"region": w.region.slug}
    p = w.proc
    t = {**r, "tender": p.tender.pk}
    sub = {**t, "pk": p.submission.pk}
    return [
        ("procurement:framework-list", r, "procurement_public"),
        ("procurement:framework-create", r, "procurement_edit"),
        ("procurement:framework-detail", {**r, "pk": p.framework.pk}, "procurement_public"),
        ("procurement:framework-update", {**r, "pk": p.framework.pk}, "procurement_edit"),
        ("procurement:framework-delete", {**r, "pk": p.framework.pk}, "procurement_edit"),
        ("procurement:framework-advance", {**r, "pk": p.framework.pk}, "procurement_action"),
        ("procurement:framework-pdf", {**r, "pk": p.framework.pk}, "procurement_public"),
        ("procurement:view-create", {**r, "framework": p.framework.pk}, "procurement_edit"),
        (
            "procurement:view-update",
            {**r, "framework": p.framework.pk, "pk": p.view.pk},
            "procurement_edit",
        ),
        ("procurement:strategy-list", r, "procurement_public"),
        ("procurement:strategy-create", r, "procurement_edit"),
        ("procurement:strategy-detail", {**r, "pk": p.strategy.pk}, "procurement_public"),
        ("procurement:strategy-update", {**r, "pk": p.strategy.pk}, "procurement_edit"),
        ("procurement:strategy-delete", {**r, "pk": p.strategy.pk}, "procurement_edit"),
        (
            "procurement:strategy-start-tender",
            {**r, "pk": p.strategy.pk},
            "procurement_action",
        ),
        ("procurement:tender-list", r, "procurement_public"),
        ("procurement:tender-create", r, "procurement_edit"),
        ("procurement:tender-detail", {**r, "pk": p.tender.pk}, "procurement_public"),
        ("procurement:tender-detail", {**r, "pk": p.draft.pk}, "procurement_draft"),
        ("procurement:tender-update", {**r, "pk": p.tender.pk}, "procurement_edit"),
        ("procurement:tender-delete", {**r, "pk": p.draft.pk}, "procurement_edit"),
        ("procurement:tender-setup", {**r, "pk": p.tender.pk}, "procurement_edit"),
        (
            "procurement:tender-transition",
            {**r, "pk": p.tender.pk, "step": "implement"},
            "procurement_action",
        ),
        ("procurement:window-open", {**r, "pk": w.cond.tender.pk}, "procurement_edit"),
        ("procurement:window-close", {**r, "pk": p.tender.pk}, "procurement_action"),
        (
            "procurement:window-decision-pdf",
            {**r, "tender": w.cond.tender.pk, "pk": w.cond.window.pk},
            "procurement_public",
        ),
        ("procurement:framework-strategies", {**r, "pk": p.framework.pk}, "procurement_public"),
        (
            "procurement:framework-strategies-pdf",
            {**r, "pk": p.framework.pk},
            "procurement_public",
        ),
        ("procurement:strategy-conditions", {**r, "strategy": p.strategy.pk}, "procurement_public"),
        (
            "procurement:strategy-condition-create",
            {**r, "strategy": p.strategy.pk},
            "procurement_edit",
        ),
        (
            "procurement:strategy-condition-update",
            {**r, "strategy": p.strategy.pk, "pk": w.cond.strategy_condition.pk},
            "procurement_edit",
        ),
        (
            "procurement:strategy-condition-delete",
            {**r, "strategy": p.strategy.pk, "pk": w.cond.strategy_condition.pk},
            "procurement_edit",
        ),
        ("procurement:tender-conditions", {**r, "tender": w.cond.tender.pk}, "procurement_public"),
        (
            "procurement:tender-condition-create",
            {**r, "tender": w.cond.tender.pk},
            "procurement_edit",
        ),
        (
            "procurement:tender-condition-update",
            {**r, "tender": w.cond.tender.pk, "pk": w.cond.tender_condition.pk},
            "procurement_edit",
        ),
        (
            "procurement:tender-condition-delete",
            {**r, "tender": w.cond.tender.pk, "pk": w.cond.tender_condition.pk},
            "procurement_edit",
        ),
        ("procurement:document-create", t, "procurement_edit"),
        ("procurement:document-download", {**t, "pk": p.document.pk}, "procurement_public"),
        ("procurement:qna", t, "procurement_public"),
        ("procurement:question-answer", {**t, "pk": p.question.pk}, "procurement_edit"),
        ("procurement:qna-publish", t, "procurement_action"),
        ("procurement:qna-pdf", {**t, "number": 1}, "procurement_public"),
        ("procurement:submission-list", t, "procurement_confidential"),
        ("procurement:submission-create", t, "procurement_edit"),
        ("procurement:submission-detail", sub, "procurement_confidential"),
        ("procurement:submission-score", sub, "procurement_assess"),
        (
            "procurement:submission-file",
            {**sub, "file": w.submission_file.pk},
            "procurement_confidential",
        ),
        ("procurement:submission-consensus", sub, "procurement_edit"),
        ("procurement:submission-negotiation-outcome", sub, "procurement_edit"),
        ("procurement:submission-action", {**sub, "action": "uitkomst"}, "procurement_action"),
        (
            "procurement:submission-letter",
            {**sub, "kind": "definitive"},
            "procurement_confidential",
        ),
        ("procurement:submission-evidence-request", sub, "procurement_edit"),
        (
            "procurement:submission-evidence-file",
            {**sub, "file": w.inbox_file.pk if hasattr(w, "inbox_file") else 1},
            "procurement_confidential",
        ),
        (
            "procurement:submission-letter-send",
            {**sub, "kind": "definitive"},
            "procurement_action",
        ),
        ("procurement:tender-letters", t, "procurement_confidential"),
        (
            "procurement:letter-download",
            {**sub, "letter": w.decision_letter.pk if hasattr(w, "decision_letter") else 1},
            "procurement_confidential",
        ),
        ("procurement:tender-signatory", t, "procurement_edit"),
        ("procurement:ranking", t, "procurement_confidential"),
        # the objection register and the winners' evidence name bidders: region roles only
        ("procurement:objections", t, "procurement_confidential"),
        (
            "procurement:objection-document",
            {**t, "pk": w.objection.pk},
            "procurement_confidential",
        ),
        ("procurement:coverage", t, "procurement_public"),
        ("procurement:segment-coverage", {**r, "pk": w.segment.pk}, "procurement_public"),
    ]


def contract_pages(w):
    r = {"region": w.region.slug}
    c = {**r, "pk": w.con.contract.pk}
    return [
        ("contracts:contract-list", r, "contract_read"),
        ("contracts:contract-create", r, "contract_edit"),
        ("contracts:contract-detail", c, "contract_read"),
        ("contracts:contract-extend", c, "contract_edit"),
        ("contracts:contract-amend", c, "contract_edit"),
        ("contracts:contract-terminate", c, "contract_edit"),
        ("contracts:contract-event-reverse", {**c, "event": w.con.extension.pk}, "contract_edit"),
        ("contracts:kpi-create", c, "contract_edit"),
        ("contracts:kpi-update", {**c, "kpi": w.con.kpi.pk}, "contract_edit"),
        ("contracts:kpi-delete", {**c, "kpi": w.con.kpi.pk}, "contract_edit"),
        ("contracts:arrangement-create", c, "contract_edit"),
        ("contracts:lumpsum-plan", {**c, "arrangement": w.con.pxq.pk}, "contract_edit"),
        ("contracts:budget-create", c, "contract_edit"),
        ("contracts:budget-revise", {**c, "budget": w.con.ceiling.pk}, "contract_edit"),
        ("contracts:contract-tariff-create", c, "contract_edit"),
        ("contracts:contract-tariff-index", c, "contract_edit"),
        ("contracts:contract-settlement", c, "contract_money"),
        ("contracts:contract-settlement-csv", c, "contract_money"),
        ("contracts:profile-consent-create", c, "contract_edit"),
        (
            "contracts:profile-consent-revoke",
            {**c, "consent": w.profile_consent.pk},
            "contract_edit",
        ),
        ("contracts:tariff-list", r, "contract_read"),
        ("contracts:tariff-create", r, "contract_edit"),
        ("contracts:tariff-index", r, "contract_edit"),
        ("contracts:tariff-detail", {**r, "pk": w.con.regional_tariff.pk}, "contract_read"),
        ("contracts:tariff-detail", {**r, "pk": w.con.contract_tariff.pk}, "contract_read"),
        ("contracts:effect", r, "contract_effect"),
        ("contracts:effect-scenario-list", r, "contract_effect"),
        ("contracts:effect-scenario-create", r, "contract_effect_edit"),
        ("contracts:effect-scenario-compare", r, "contract_effect"),
        ("contracts:effect-scenario-detail", {**r, "pk": w.scenario.pk}, "contract_effect"),
        ("contracts:effect-scenario-csv", {**r, "pk": w.scenario.pk}, "contract_effect"),
        ("contracts:effect-scenario-update", {**r, "pk": w.scenario.pk}, "contract_effect_edit"),
        ("contracts:effect-scenario-delete", {**r, "pk": w.scenario.pk}, "contract_effect_edit"),
        ("contracts:contract-assignment-create", c, "contract_edit"),
        ("contracts:strategy-assignment-create", {**r, "pk": w.proc.strategy.pk}, "contract_edit"),
        ("contracts:assignment-progress", {**r, "pk": w.assignment.pk}, "contract_edit"),
        ("contracts:assignment-transition", {**r, "pk": w.assignment.pk}, "contract_edit"),
        ("contracts:contract-municipalities", c, "contract_edit"),
        ("contracts:segment-budgets", r, "contract_effect"),
        ("contracts:segment-budget-create", r, "contract_effect_edit"),
        (
            "contracts:segment-budget-update",
            {**r, "pk": w.segment_budget.pk},
            "contract_effect_edit",
        ),
        (
            "contracts:segment-budget-delete",
            {**r, "pk": w.segment_budget.pk},
            "contract_effect_edit",
        ),
    ]


def user_pages(w):
    """Pages of the signed-in user, outside any region: search and notifications."""
    return [
        ("search:results", {}, "own_user"),
        ("search:suggest", {}, "own_user"),
        ("notifications:list", {}, "own_user"),
        ("notifications:preferences", {}, "own_user"),
        ("notifications:read-all", {}, "own_user_action"),
        ("notifications:read", {"pk": 1}, "own_user_action"),
    ]


def monitoring_pages(w):
    r = {"region": w.region.slug}
    p = {**r, "pk": w.provider.pk}
    return [
        ("monitoring:region", r, "monitoring_region"),
        ("monitoring:signals-bulk", r, "monitoring_steering_edit"),
        ("monitoring:provider", p, "monitoring_region"),
        ("monitoring:segment", {**r, "pk": w.segment.pk}, "monitoring_region"),
        ("monitoring:coverage", r, "monitoring_region"),
        (
            "monitoring:contract-occupancy",
            {**r, "pk": w.con.contract.pk},
            "monitoring_region",
        ),
        ("monitoring:municipality", {**r, "pk": w.municipality.pk}, "own_municipality"),
        ("monitoring:municipality", {**r, "pk": w.other_municipality.pk}, "other_municipality"),
        ("monitoring:lines", r, "monitoring_open"),
        ("monitoring:definitions", r, "monitoring_open"),
        ("monitoring:signals", r, "monitoring_steering"),
        ("monitoring:provider-signals", p, "monitoring_steering"),
        ("monitoring:provider-escalations", p, "monitoring_steering"),
        ("monitoring:dialogue-list", r, "monitoring_steering"),
        ("monitoring:provider-dialogues", p, "monitoring_steering"),
        ("monitoring:dialogue-create", p, "monitoring_steering_edit"),
        ("monitoring:dialogue-detail", {**r, "pk": w.mon.dialogue.pk}, "monitoring_steering"),
        (
            "monitoring:dialogue-progress-file",
            {**r, "pk": w.mon.dialogue.pk, "progress": w.mon.progress.pk},
            "monitoring_steering",
        ),
        ("monitoring:norms", r, "monitoring_steering"),
        ("monitoring:weights", r, "monitoring_steering"),
        ("monitoring:recalculations", r, "monitoring_steering"),
        (
            "monitoring:recalculation-status",
            {**r, "pk": w.recalculation.pk},
            "monitoring_steering",
        ),
        ("monitoring:provider-finance", p, "monitoring_steering"),
        ("monitoring:import-list", r, "monitoring_import"),
        ("monitoring:import-create", r, "monitoring_import_edit"),
        ("monitoring:import-help", r, "monitoring_import"),
        ("monitoring:import-detail", {**r, "pk": w.mon.batch.pk}, "monitoring_import"),
        ("monitoring:import-errors-csv", {**r, "pk": w.mon.batch.pk}, "monitoring_import"),
        ("monitoring:import-status", {**r, "pk": w.mon.batch.pk}, "monitoring_import"),
        # the region's own KPIs and measurement kinds, a segment's steering KPIs
        ("monitoring:regionkpi-list", r, "monitoring_steering"),
        ("monitoring:regionkpi-detail", {**r, "pk": w.own_kpi.pk}, "monitoring_steering"),
        ("monitoring:regionkpi-create", r, "monitoring_steering_edit"),
        ("monitoring:regionkpi-update", {**r, "pk": w.own_kpi.pk}, "monitoring_steering_edit"),
        ("monitoring:regionkpi-delete", {**r, "pk": w.own_kpi.pk}, "monitoring_steering_edit"),
        ("monitoring:measurementkind-create", r, "monitoring_steering_edit"),
        (
            "monitoring:measurementkind-update",
            {**r, "pk": w.measurement_kind.pk},
            "monitoring_steering_edit",
        ),
        (
            "monitoring:measurementkind-delete",
            {**r, "pk": w.measurement_kind.pk},
            "monitoring_steering_edit",
        ),
        ("monitoring:segment-steering", {**r, "pk": w.segment.pk}, "monitoring_steering"),
    ]


def api_client_pages(w):
    r = {"region": w.region.slug}
    c = {**r, "pk": w.api_client.pk}
    return [
        ("apiclients:client-list", r, "api_clients"),
        ("apiclients:client-create", r, "api_clients"),
        ("apiclients:client-detail", c, "api_clients"),
        ("apiclients:client-update", c, "api_clients"),
        ("apiclients:client-rotate", c, "api_client_action"),
        ("apiclients:client-active", c, "api_client_action"),
        ("apiclients:key-revoke", {**c, "key": w.api_key.pk}, "api_client_action"),
    ]


def onboarding_pages(w):
    r = {"region": w.region.slug}
    u = {**r, "pk": w.member.pk}
    return [
        ("segments:municipality-add", r, "municipality_add"),
        ("users:user-list", r, "users"),
        ("users:user-invite", r, "users"),
        ("users:user-detail", u, "users"),
        ("users:user-roles", u, "users"),
        ("users:user-deactivate", u, "user_action"),
        ("users:user-invitation-resend", u, "user_action"),
        ("installation:region-list", {}, "installation"),
        ("installation:region-create", {}, "installation"),
        ("installation:region-detail", r, "installation"),
        ("installation:region-update", r, "installation"),
        ("installation:administrator-invite", r, "installation"),
    ]


def report_pages(w):
    r = {"region": w.region.slug}
    p = {**r, "pk": w.rep.provider_report.pk}
    b = {**r, "pk": w.rep.board_report.pk}
    s = {**r, "pk": w.rep.schedule.pk}
    return [
        ("reports:report-list", r, "reports_read"),
        ("reports:report-create", r, "reports_request"),
        ("reports:report-detail", p, "report_region"),
        ("reports:report-html", p, "report_region"),
        ("reports:report-pdf", p, "report_region"),
        ("reports:report-regenerate", p, "report_regenerate"),
        ("reports:report-status", p, "report_region"),
        (
            "reports:run-status",
            {**r, "kind": "provider", "period": w.rep.provider_report.period},
            "report_region",
        ),
        ("reports:report-detail", b, "report_board"),
        ("reports:report-html", b, "report_board"),
        ("reports:report-pdf", b, "report_board"),
        ("reports:report-regenerate", b, "report_board_regenerate"),
        ("reports:report-status", b, "report_board"),
        (
            "reports:run-status",
            {**r, "kind": "board", "period": w.rep.board_report.period},
            "report_board",
        ),
        ("reports:subscription-list", r, "reports_read"),
        ("reports:subscription-delete", {**r, "pk": w.rep.subscription.pk}, "subscription_other"),
        ("reports:schedule-list", r, "reports_staff"),
        ("reports:schedule-update", s, "report_schedule_edit"),
        ("reports:schedule-run", s, "report_schedule_run"),
        ("reports:budget-shares", r, "reports_staff"),
    ]


@dataclass
class Mon:
    batch: object
    dialogue: object
    progress: object = None  # the provider's progress (with a file) on an action of it


@dataclass
class Cond:
    tender: object  # a conditional admission of the world's strategy, running
    strategy_condition: object
    tender_condition: object
    window: object  # opened naming the strategy's condition


def build_conditions(w) -> Cond:
    """A running conditional admission with a condition of its own, one of its strategy, and a
    window opened on the strategy's condition (the services are tested in tests/procurement)."""
    from datetime import date

    from procurement import models as pm

    tender = pm.Tender.objects.create(
        region=w.region,
        strategy=w.proc.strategy,
        reference=f"TV-{w.region.slug}",
        title="Toelating met voorwaarden",
        procedure_type="conditional",
        state="admission",
    )
    pm.Lot.objects.create(tender=tender, number=1, segment=w.segment)
    on_strategy = pm.AdmissionCondition.objects.create(
        region=w.region, strategy=w.proc.strategy, code="WACHT", text="Oplopende wachttijden"
    )
    on_tender = pm.AdmissionCondition.objects.create(
        region=w.region, tender=tender, code="STOPT", text="Een aanbieder stopt"
    )
    window = pm.AdmissionWindow.objects.create(
        tender=tender,
        condition=on_strategy,
        decision="Besluit DB: wachttijd boven de norm",
        opened_on=date(2026, 3, 2),
        closed_on=date(2026, 4, 30),
    )
    return Cond(tender, on_strategy, on_tender, window)


@dataclass
class Rep:
    provider_report: object  # ready, version 1
    board_report: object  # ready, version 1
    subscription: object  # of a user who is none of the matrix's roles
    schedule: object


def build_reports(w) -> Rep:
    """Ready reports made from the real snapshot of world A, with a stand-in PDF file (the PDF
    itself is tested in tests/reports)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.roles import Role
    from reports import content, schedules, services
    from reports.models import ReportKind, ReportVersion, Subscription
    from reports.periods import parse_period
    from tests.accounts.factories import user_with_role

    made = []
    for kind, obj, code in (
        (ReportKind.PROVIDER, w.provider, "2026-03"),
        (ReportKind.BOARD, w.region, "2026"),
    ):
        report = services.report_ensure(
            region=w.region, kind=kind, subject=obj, period=parse_period(kind_cadence(kind), code)
        )
        version = ReportVersion(
            report=report,
            number=1,
            status="ready",
            trigger="demand",
            generated_at=timezone.now(),
            snapshot=content.build_snapshot(report),
            pages=1,
        )
        version.file.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
        version.save()
        report.current = version
        report.status = "ready"
        report.save()
        made.append(report)
    owner = user_with_role(w.region, Role.VIEWER, username="abonnee")
    subscription = Subscription.objects.create(user=owner, region=w.region, kind="provider")
    schedule = schedules.ensure_schedules(w.region)[0]
    return Rep(made[0], made[1], subscription, schedule)


def kind_cadence(kind):
    from reports.models import CADENCE

    return CADENCE[kind]


@pytest.fixture
def world_a(world_a):
    """World A with a rejected import, a planned performance dialogue, and ready reports."""
    from datetime import date

    from monitoring.models import ImportBatch, PerformanceDialogue, SignalRecalculation

    batch = ImportBatch.objects.create(
        region=world_a.region,
        kind="declaraties",
        file_format="csv",
        file_name="declaraties.csv",
        status="rejected",
        errors=[{"row": 2, "column": "product", "message": "Onbekende productcode X."}],
        error_count=1,
    )
    dialogue = PerformanceDialogue.objects.create(
        region=world_a.region, provider=world_a.provider, scheduled_on=date(2026, 11, 30)
    )
    world_a.mon = Mon(batch, dialogue, build_progress(dialogue))
    world_a.recalculation = SignalRecalculation.objects.create(
        region=world_a.region, reason="Norm Wachttijd (dagen) voor segment 1 gewijzigd"
    )
    world_a.cond = build_conditions(world_a)
    world_a.rep = build_reports(world_a)
    world_a.api_client = build_api_client(world_a)
    world_a.api_key = world_a.api_client.keys.get()
    world_a.profile, world_a.intensity = build_profile(world_a)
    world_a.member = build_member(world_a)
    world_a.own_kpi, world_a.measurement_kind = build_own_kpi(world_a)
    world_a.scenario = build_scenario(world_a)
    world_a.assignment = build_assignment(world_a)
    world_a.segment_budget = build_segment_budget(world_a)
    world_a.inbox_file = build_inbox_file(world_a)
    world_a.submission_file = build_submission_file(world_a)
    world_a.profile_consent = build_profile_consent(world_a)
    world_a.kader = build_kader(world_a)
    world_a.decision_letter = build_decision_letter(world_a)
    world_a.objection = build_objection(world_a)
    return world_a


def build_profile_consent(w):
    """A case director's consent on world A's contract (stored as the service leaves it)."""
    from datetime import date

    from contracts.models import ProfileConsent

    return ProfileConsent.objects.create(
        region=w.region,
        contract=w.con.contract,
        family="ab12cd34ef56",
        kind="stapeling",
        given_on=date(2026, 2, 20),
        case_director="J. de Vries, regisseur",
        reason="Afgestemd in het perspectiefplan.",
        valid_from=date(2026, 3, 1),
    )


def build_decision_letter(w):
    """The definitive award letter kept for the world's (awarded) submission."""
    from procurement import letters
    from procurement.signatory import signatory_for

    sub = w.proc.submission
    return letters.decision_letter_keep(
        submission=sub,
        letter_kind="definitive",
        pdf=b"%PDF-1.4 brief",
        file_name="definitieve-gunning.pdf",
        message=None,
        signed_by=signatory_for(sub.tender),
    )


def build_objection(w):
    """A decided objection with its decision document."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from procurement.models import Objection

    sub = w.proc.submission
    today = timezone.localdate()
    objection = Objection(
        tender=sub.tender,
        number=1,
        lot=sub.lot,
        submitter_name="Zorg B",
        kind="bezwaar",
        received_on=today - timedelta(days=20),
        grounds="Onjuist gescoord",
        status="decided",
        outcome="ongegrond",
        decided_on=today - timedelta(days=10),
        decision="Ongegrond",
        decision_document_name="beslissing.pdf",
    )
    objection.decision_document.save("beslissing.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    objection.save()
    return objection


def build_progress(dialogue):
    """An action on the dialogue with a progress post and its file (as the portal stores it)."""
    from datetime import date

    from django.core.files.base import ContentFile

    from monitoring.models import DialogueAction, DialogueActionProgress

    action = DialogueAction.objects.create(
        dialogue=dialogue, description="Plan", owner="Directie", due_on=date(2026, 12, 31)
    )
    return DialogueActionProgress.objects.create(
        action=action, text="Voortgang", file=ContentFile(b"%PDF-1.4\n", name="plan.pdf")
    )


def build_inbox_file(w):
    """A request for evidence about world A's submission, answered with one file."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from providers import inbox

    sub = w.proc.submission
    request = inbox.evidence_request_send(
        provider=sub.provider,
        subject="Verzoek om bewijsstukken",
        body="Stuur uw VOG",
        due_on=timezone.localdate() + timedelta(days=7),
        tender_id=sub.tender_id,
        submission_id=sub.pk,
    )
    answer = inbox.evidence_answer_submit(
        message=request,
        note="Bijgevoegd",
        files=[SimpleUploadedFile("vog.pdf", b"%PDF-1.4\n%%EOF\n")],
        answered_by=None,
    )
    return answer.files.get()


def build_submission_file(w):
    """Evidence the provider uploaded with the world's (awarded, past-deadline) submission."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from procurement.models import SubmissionFile

    sub = w.proc.submission
    row = SubmissionFile(
        submission=sub,
        requirement=sub.tender.requirements.first(),
        name="referenties.pdf",
        size=15,
        uploaded_at=timezone.now(),
    )
    row.file.save("referenties.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
    row.save()
    return row


def build_own_kpi(w):
    from monitoring.kpis import services

    kind = services.measurement_kind_create(region=w.region, code="veiligheid", name="Veiligheid")
    kpi = services.region_kpi_create(
        region=w.region,
        code="veilig",
        name="Veiligheid thuis",
        definition="Gemiddelde score veiligheid.",
        unit="cijfer",
        direction="higher",
        computation="measurement_average",
        measurement_kind=kind,
    )
    return kpi, kind


def build_segment_budget(w):
    """A free budget of the segment in 2026 (contracts.segment_budgets)."""
    from decimal import Decimal

    from contracts.segment_budgets import segment_budget_create

    return segment_budget_create(
        region=w.region, segment=w.segment, year=2026, kind="free", amount=Decimal("1000.00")
    )


def build_scenario(w):
    """A saved funding-model scenario: Q1 2026 of the segment, PxQ at other tariffs."""
    from decimal import Decimal

    from contracts import services

    return services.effect_scenario_create(
        region=w.region,
        name="Alles PxQ",
        model="pxq",
        year=2026,
        first_month=1,
        last_month=3,
        segment=w.segment,
        prices=[{"product": w.product, "amount": Decimal("75.00")}],
    )


def build_assignment(w):
    """A development assignment on the world's contract."""
    from contracts.development import development_assignment_create

    return development_assignment_create(contract=w.con.contract, title="Zo thuis mogelijk")


def build_profile(w):
    from segments import services

    profile = services.support_profile_create(region=w.region, number=1, name="Opvoeden")
    intensity = services.intensity_create(region=w.region, code="licht", name="Licht")
    return profile, intensity


def build_member(w):
    """A user of region A whose page the user pages show (not one of the matrix's roles)."""
    from core.roles import Role
    from tests.accounts.factories import user_with_role

    return user_with_role(w.region, Role.VIEWER, username="lid-van-a")


def build_api_client(w):
    from api import services
    from api.models import ApiClient

    client = ApiClient.objects.create(
        region=w.region,
        name="Gemeente – BI",
        kind="gemeente",
        municipality=w.municipality,
        scopes=["cijfers-lezen"],
    )
    services.api_key_issue(client=client)
    return client


def portal_staff_pages(w):
    r = {"region": w.region.slug, "provider": w.provider.pk}
    return [
        ("portal-staff:users", r, "portal_users"),
        ("portal-staff:user-remove", {**r, "pk": 1}, "portal_users_action"),
        ("portal-staff:user-resend", {**r, "pk": 1}, "portal_users_action"),
    ]


def pages(w):
    """(url name, kwargs, kind) for every page of the segments, providers, procurement and
    contracts apps."""
    r = {"region": w.region.slug}
    return [
        *procurement_pages(w),
        *kader_pages(w),
        *contract_pages(w),
        *monitoring_pages(w),
        *report_pages(w),
        *api_client_pages(w),
        *onboarding_pages(w),
        *portal_staff_pages(w),
        *user_pages(w),
        ("segments:region-detail", r, "region"),
        ("segments:public-page", r, "public_page_settings"),
        ("segments:letter-signatory", r, "letter_signatory_settings"),
        ("segments:municipality-list", r, "landscape"),
        ("segments:municipality-create", r, "landscape_edit"),
        ("segments:municipality-detail", {**r, "pk": w.municipality.pk}, "own_municipality"),
        (
            "segments:municipality-detail",
            {**r, "pk": w.other_municipality.pk},
            "other_municipality",
        ),
        ("segments:municipality-update", {**r, "pk": w.municipality.pk}, "landscape_edit"),
        ("segments:municipality-delete", {**r, "pk": w.other_municipality.pk}, "landscape_edit"),
        ("segments:segment-tree", r, "landscape"),
        ("segments:segment-create", r, "landscape_edit"),
        ("segments:segment-detail", {**r, "pk": w.sub_segment.pk}, "landscape"),
        ("segments:segment-update", {**r, "pk": w.segment.pk}, "landscape_edit"),
        ("segments:segment-delete", {**r, "pk": w.sub_segment.pk}, "landscape_edit"),
        ("segments:participation-matrix", r, "landscape"),
        (
            "segments:participation-edit",
            {**r, "municipality": w.municipality.pk, "segment": w.segment.pk},
            "landscape_edit",
        ),
        ("segments:careform-list", r, "landscape"),
        ("segments:careform-create", r, "landscape_edit"),
        ("segments:careform-detail", {**r, "pk": w.care_form.pk}, "landscape"),
        ("segments:careform-update", {**r, "pk": w.care_form.pk}, "landscape_edit"),
        ("segments:careform-delete", {**r, "pk": w.care_form.pk}, "landscape_edit"),
        ("segments:product-list", r, "landscape"),
        ("segments:product-create", r, "landscape_edit"),
        ("segments:product-detail", {**r, "pk": w.product.pk}, "landscape"),
        ("segments:product-update", {**r, "pk": w.product.pk}, "landscape_edit"),
        ("segments:product-delete", {**r, "pk": w.product.pk}, "landscape_edit"),
        ("segments:supportprofile-list", r, "landscape"),
        ("segments:supportprofile-create", r, "landscape_edit"),
        ("segments:supportprofile-detail", {**r, "pk": w.profile.pk}, "landscape"),
        ("segments:supportprofile-update", {**r, "pk": w.profile.pk}, "landscape_edit"),
        ("segments:supportprofile-delete", {**r, "pk": w.profile.pk}, "landscape_edit"),
        ("segments:supportprofile-retire", {**r, "pk": w.profile.pk}, "landscape_action"),
        ("segments:intensity-list", r, "landscape_redirect"),
        ("segments:intensity-create", r, "landscape_edit"),
        ("segments:intensity-detail", {**r, "pk": w.intensity.pk}, "landscape"),
        ("segments:intensity-update", {**r, "pk": w.intensity.pk}, "landscape_edit"),
        ("segments:intensity-delete", {**r, "pk": w.intensity.pk}, "landscape_edit"),
        ("segments:intensity-retire", {**r, "pk": w.intensity.pk}, "landscape_action"),
        ("segments:history", {**r, "model": "segments.segment", "pk": w.segment.pk}, "history"),
        ("segments:history", {**r, "model": "providers.provider", "pk": w.provider.pk}, "history"),
        ("providers:provider-list", r, "landscape"),
        ("providers:provider-create", r, "provider_edit"),
        ("providers:provider-detail", {**r, "pk": w.provider.pk}, "serving_provider"),
        ("providers:provider-detail", {**r, "pk": w.distant_provider.pk}, "distant_provider"),
        ("providers:provider-detail", {**r, "pk": w.consortium.pk}, "distant_provider"),
        ("providers:provider-update", {**r, "pk": w.provider.pk}, "provider_edit"),
        ("providers:provider-delete", {**r, "pk": w.distant_provider.pk}, "distant_provider_edit"),
        ("providers:consortium-members", {**r, "pk": w.consortium.pk}, "distant_provider_edit"),
        ("providers:screeningkind-list", r, "screening_instrument"),
        ("providers:screeningkind-create", r, "screening_instrument_edit"),
        (
            "providers:screeningkind-detail",
            {**r, "pk": w.screening.kind_id},
            "screening_instrument",
        ),
        (
            "providers:screeningkind-update",
            {**r, "pk": w.screening.kind_id},
            "screening_instrument_edit",
        ),
        (
            "providers:screeningkind-delete",
            {**r, "pk": w.screening.kind_id},
            "screening_instrument_edit",
        ),
        (
            "providers:screeningkind-retire",
            {**r, "pk": w.screening.kind_id},
            "screening_instrument_action",
        ),
        ("providers:screening-create", {**r, "provider": w.provider.pk}, "provider_edit"),
        ("providers:screening-batch", r, "provider_edit"),
        (
            "providers:screening-update",
            {**r, "provider": w.provider.pk, "screening": w.screening.pk},
            "provider_edit",
        ),
        (
            "providers:screening-delete",
            {**r, "provider": w.provider.pk, "screening": w.screening.pk},
            "provider_edit",
        ),
    ]


def public_pages(w):
    """(url name, kwargs) of the public pages (/openbaar/): no login, for everyone, only for a
    region that turned them on (docs/public.md)."""
    r = {"region": w.region.slug}
    return [
        ("public:index", {}),
        ("public:region", r),
        ("public:procedures", r),
        ("public:contracts", r),
        ("public:outcomes", r),
        ("public:document", {**r, "pk": w.proc.document.pk}),
    ]


def check(response, expected, url, role):
    where = f"{role} GET {url}"
    if expected == DENIED:
        assert response.status_code in (403, 404), f"{where}: {response.status_code}"
    else:
        assert response.status_code == expected, (
            f"{where}: {response.status_code}, wanted {expected}"
        )


@pytest.mark.django_db
def test_matrix_every_page_every_role(client, world_a, world_b, users):
    """Every page for every role, in Dutch and in English: the language alternates per request
    (and per role), so each page reached by two roles is rendered in both languages."""
    problems = []
    for r, role in enumerate(ROLES):
        client.force_login(getattr(users, role))
        for p, (name, kwargs, kind) in enumerate(pages(world_a)):
            url = reverse(name, kwargs=kwargs)
            language = language_for(r + p)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            check(response, EXPECT[kind][ROLES.index(role)], url, role)
            problems += language_problems(response, language, f"{role} GET {url} ({language})")
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere(client, world_a):
    for name, kwargs, _kind in pages(world_a):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


@pytest.mark.django_db
def test_public_pages_are_for_everyone_of_a_region_that_turned_them_on(
    client, world_a, world_b, users
):
    from segments.services import region_public_page_set

    region_public_page_set(region=world_a.region, enabled=True, min_cell=10)
    for role in (None, *ROLES):
        client.logout()
        if role:
            client.force_login(getattr(users, role))
        for name, kwargs in public_pages(world_a):
            url = reverse(name, kwargs=kwargs)
            assert client.get(url).status_code == 200, f"{role} GET {url}"
        # region B did not turn them on: 404 for everyone, its superuser included
        for name, kwargs in public_pages(world_b)[1:]:
            url = reverse(name, kwargs=kwargs)
            assert client.get(url).status_code == 404, f"{role} GET {url}"


@pytest.mark.django_db
def test_denied_posts_change_nothing(client, world_a, users):
    """A viewer or another region's officer cannot change data by posting either."""
    segment = world_a.segment
    for role in ("viewer", "municipal", "other_region_officer"):
        client.force_login(getattr(users, role))
        url = reverse(
            "segments:segment-update", kwargs={"region": world_a.region.slug, "pk": segment.pk}
        )
        response = client.post(url, {"code": "1", "name": "Gekaapt"})
        assert response.status_code in (403, 404)
        segment.refresh_from_db()
        assert segment.name != "Gekaapt"


@pytest.mark.django_db
def test_cross_region_object_in_own_region_url_is_hidden(client, world_a, world_b, users):
    """Region A's officer cannot reach B's objects by putting them under A's URL."""
    from monitoring.models import SignalRecalculation

    world_b_recalculation = SignalRecalculation.objects.create(region=world_b.region, reason="B")
    client.force_login(users.officer)
    r = world_a.region.slug
    for name, kwargs in [
        ("providers:provider-detail", {"region": r, "pk": world_b.provider.pk}),
        ("segments:segment-detail", {"region": r, "pk": world_b.segment.pk}),
        ("segments:municipality-detail", {"region": r, "pk": world_b.municipality.pk}),
        ("segments:product-detail", {"region": r, "pk": world_b.product.pk}),
        (
            "segments:history",
            {"region": r, "model": "providers.provider", "pk": world_b.provider.pk},
        ),
        (
            "segments:participation-edit",
            {"region": r, "municipality": world_b.municipality.pk, "segment": world_a.segment.pk},
        ),
        ("monitoring:provider", {"region": r, "pk": world_b.provider.pk}),
        ("monitoring:segment", {"region": r, "pk": world_b.segment.pk}),
        ("monitoring:municipality", {"region": r, "pk": world_b.municipality.pk}),
        ("monitoring:provider-finance", {"region": r, "pk": world_b.provider.pk}),
        ("monitoring:provider-escalations", {"region": r, "pk": world_b.provider.pk}),
        ("monitoring:dialogue-create", {"region": r, "pk": world_b.provider.pk}),
        ("monitoring:recalculation-status", {"region": r, "pk": world_b_recalculation.pk}),
        ("contracts:contract-detail", {"region": r, "pk": world_b.con.contract.pk}),
        ("contracts:contract-extend", {"region": r, "pk": world_b.con.contract.pk}),
        (
            "contracts:contract-event-reverse",
            {"region": r, "pk": world_a.con.contract.pk, "event": world_b.con.extension.pk},
        ),
        ("contracts:contract-settlement", {"region": r, "pk": world_b.con.contract.pk}),
        ("contracts:tariff-detail", {"region": r, "pk": world_b.con.regional_tariff.pk}),
        (
            "contracts:budget-revise",
            {"region": r, "pk": world_a.con.contract.pk, "budget": world_b.con.ceiling.pk},
        ),
        (
            "contracts:kpi-update",
            {"region": r, "pk": world_a.con.contract.pk, "kpi": world_b.con.kpi.pk},
        ),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


@pytest.mark.django_db
def test_lists_search_and_filters_stay_in_scope(client, world_a, world_b, users):
    client.force_login(users.officer)
    r = world_a.region.slug
    url = reverse("providers:provider-list", kwargs={"region": r})
    body = client.get(url, {"q": "Zorg"}).content.decode()
    assert "Zorg A Dichtbij" in body and "Zorg B" not in body
    # Filtering by another region's care form is an invalid choice, not a way in.
    response = client.get(url, {"care_form": world_b.care_form.pk})
    assert "Zorg B" not in response.content.decode()
    assert response.context["filter"].errors
    # The municipal user's provider list holds only providers delivering in its municipality.
    client.force_login(users.municipal)
    body = client.get(url).content.decode()
    assert "Zorg A Dichtbij" in body and "Zorg A Veraf" not in body and "Verband A" not in body
    body = client.get(reverse("segments:municipality-list", kwargs={"region": r})).content.decode()
    assert "Gemeente A1" in body and "Gemeente A2" not in body


@pytest.mark.django_db
def test_home_and_region_switcher_list_only_own_regions(client, world_a, world_b, users):
    client.force_login(users.officer)
    response = client.get(reverse("home"), follow=True)
    assert response.context["nav_regions"] == [world_a.region]
    assert "Regio B" not in response.content.decode()


@pytest.mark.django_db
def test_admin_is_scoped(client, world_a, world_b, users):
    client.force_login(users.officer)
    listing = client.get("/beheer/providers/provider/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Zorg A Dichtbij" in body and "Zorg B Dichtbij" not in body
    other = client.get(f"/beheer/providers/provider/{world_b.provider.pk}/change/")
    assert other.status_code == 302  # the admin's "does not exist" redirect, no form
    assert (
        client.get(f"/beheer/providers/provider/{world_b.provider.pk}/auditlog/").status_code == 404
    )
    assert client.get("/beheer/accounts/user/").status_code == 403
    # Region choices on a new object: only regions where the user may edit.
    form = client.get("/beheer/segments/segment/add/").context["adminform"].form
    assert list(form.fields["region"].queryset) == [world_a.region]
    # Contract manager may not edit the landscape in the admin, viewer has no admin at all.
    client.force_login(users.contract_manager)
    assert (
        client.get(f"/beheer/segments/segment/{world_a.segment.pk}/change/").context[
            "has_change_permission"
        ]
        is False
    )
    client.force_login(users.viewer)
    assert client.get("/beheer/segments/segment/").status_code == 302


def test_every_page_is_in_the_matrix():
    resolver = get_resolver()
    names = set()
    for namespace in (
        "segments",
        "providers",
        "procurement",
        "contracts",
        "monitoring",
        "reports",
        "apiclients",
        "users",
        "installation",
        "search",
        "notifications",
    ):
        sub = resolver.namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n in sub.reverse_dict if isinstance(n, str)}

    class Fake:
        def __getattr__(self, item):
            return Fake()

        pk = 1
        slug = "x"

    covered = {name for name, _kwargs, _kind in pages(Fake())}
    assert names - covered == set(), f"pages missing from the scoping matrix: {names - covered}"
    public = {
        f"public:{n}"
        for n in resolver.namespace_dict["public"][1].reverse_dict
        if isinstance(n, str)
    }
    covered = {name for name, _kwargs in public_pages(Fake())}
    assert public - covered == set(), f"public pages missing from the matrix: {public - covered}"


#: a table of each page with tables of its own (``SheetExportMixin``) that a role who may see the
#: page downloads whatever the data (a dashboard's tables depend on the month's figures)
DOWNLOAD_TABLES = {
    "monitoring:import-list": "imports",
    "monitoring:definitions": "kpis",
    "monitoring:contract-occupancy": "voorzieningen",
    "monitoring:dialogue-list": "gesprekken",
    "monitoring:regionkpi-list": "kpis",
    "segments:supportprofile-list": "profielen",
    "apiclients:client-list": "clients",
    "users:user-list": "gebruikers",
    "portal-staff:users": "gebruikers",
    "contracts:effect-scenario-list": "scenarios",
    "installation:region-list": "regios",
    "monitoring:provider-dialogues": "gesprekken",
    "procurement:ranking": "rangschikking",
    "procurement:submission-list": "inschrijvingen",
    "reports:schedule-list": "schema",
}


@pytest.mark.django_db
def test_downloads_follow_the_matrix(client, world_a, world_b, users):
    """A page's download (``?export=csv``, ``?export=xlsx``) is the page's own URL: who may not
    see the page may not download it either; who may, gets the file (or, on a dashboard
    without that table, a 404)."""
    from django.urls import resolve

    from core.ui.views import ExportMixin, SheetExportMixin

    for role in ROLES:
        client.force_login(getattr(users, role))
        for name, kwargs, kind in pages(world_a):
            url = reverse(name, kwargs=kwargs)
            view = getattr(resolve(url).func, "view_class", None)
            if view is None or not issubclass(view, ExportMixin | SheetExportMixin):
                continue
            expected = EXPECT[kind][ROLES.index(role)]
            for fmt in ("csv", "xlsx"):
                response = client.get(url, {"export": fmt, "tabel": "x"})
                if expected == OK:
                    wanted = 200 if issubclass(view, ExportMixin) else HIDDEN
                    assert response.status_code == wanted, f"{role} {url} {fmt}"
                    if wanted == 200:
                        assert "attachment" in response["Content-Disposition"]
                else:
                    check(response, expected, url, role)
                table = DOWNLOAD_TABLES.get(name)
                if table is None:
                    continue
                response = client.get(url, {"export": fmt, "tabel": table})
                if expected == OK:
                    assert response.status_code == 200, f"{role} {url} {fmt} {table}"
                    assert "attachment" in response["Content-Disposition"]
                else:
                    check(response, expected, url, role)
