"""Steering pages about one provider: its escalation steps and its finance (annual accounts)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.ui.formatting import format_date
from monitoring.steering import dialogues, services
from monitoring.steering.forms import (
    AnnualAccountForm,
    EscalationCloseForm,
    EscalationStartForm,
)
from monitoring.steering.models import (
    Escalation,
    EscalationStep,
    Signal,
    SignalSource,
    SignalStatus,
)
from monitoring.steering.views import (
    FormsPage,
    ProviderMixin,
    light,
    risk_of,
    shown,
)
from providers import finance
from providers.models import AnnualAccount


class ProviderEscalationView(ProviderMixin, FormsPage):
    """The escalation steps taken with a provider, the current one, and the next step."""

    model = Escalation
    template_name = "monitoring/escalation.html"
    tab = "escalation"
    form_classes = {"start": EscalationStartForm, "close": EscalationCloseForm}

    def load(self, **kwargs):
        super().load(**kwargs)
        self.current = services.escalation_current(self.provider)

    def available_forms(self):
        return ["start", "close"] if self.current else ["start"]

    def initial(self, name):
        today = timezone.localdate()
        if name == "start":
            return {"step": services.escalation_next_step(self.provider), "started_on": today}
        return {"closed_on": today}

    def handle_start(self, form):
        d = form.cleaned_data
        step = services.escalation_start(
            provider=self.provider,
            step=d["step"],
            started_on=d["started_on"],
            reason=d["reason"],
            user=self.request.user,
            region=self.region,
        )
        return _("De stap '%(step)s' is gestart per %(day)s.") % {
            "step": step.get_step_display(),
            "day": format_date(step.started_on),
        }

    def handle_close(self, form):
        d = form.cleaned_data
        step = services.escalation_close(
            escalation=self.current,
            closed_on=d["closed_on"],
            outcome=d["outcome"],
            user=self.request.user,
        )
        return _("De stap '%(step)s' is afgesloten per %(day)s.") % {
            "step": step.get_step_display(),
            "day": format_date(step.closed_on),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        history = list(
            Escalation.objects.visible_to(self.request.user)
            .filter(provider=self.provider)
            .select_related("recorded_by")
        )
        reached = {e.step for e in history}
        current_step = self.current.step if self.current else None
        context.update(
            history=history,
            current=self.current,
            framework=[
                {
                    "step": value,
                    "label": label,
                    "number": number,
                    "reached": value in reached,
                    "current": value == current_step,
                }
                for number, (value, label) in enumerate(EscalationStep.choices, start=1)
            ],
            open_signals=Signal.objects.filter(
                provider=self.provider, status__in=dialogues.ACTIVE_SIGNAL
            ).count(),
            risk=risk_of(self.region, self.provider),
        )
        return context


class ProviderFinanceView(ProviderMixin, FormsPage):
    """The provider's annual accounts with the margin and WNT checks, and a form per year."""

    model = AnnualAccount
    template_name = "monitoring/finance.html"
    tab = "finance"
    form_classes = {"account": AnnualAccountForm}

    def editing(self) -> AnnualAccount | None:
        year = self.request.POST.get("jaar") or self.request.GET.get("jaar")
        if not year:
            return None
        try:
            year = int(year)
        except ValueError as exc:
            raise Http404 from exc
        return get_object_or_404(
            AnnualAccount.objects.editable_by(self.request.user).filter(provider=self.provider),
            year=year,
        )

    def make_form(self, name, data=None):
        return AnnualAccountForm(
            data=data, prefix="account", provider=self.provider, instance=self.editing()
        )

    def handle_account(self, form):
        d = form.cleaned_data
        account, signals = services.annual_account_save(
            provider=self.provider,
            year=d["year"],
            revenue=d["revenue"],
            result=d["result"],
            executive_pay=d["executive_pay"],
            wnt_maximum=d["wnt_maximum"],
            note=d["note"],
            account=self.editing(),
            user=self.request.user,
        )
        raised = [s for s in signals or [] if getattr(s, "status", None) != SignalStatus.CLOSED]
        message = _("De jaarrekening %(year)s is opgeslagen.") % {"year": account.year}
        if raised:
            message += " " + _("Signalen: %(n)s.") % {"n": len(raised)}
        return message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = AnnualAccount.objects.visible_to(self.request.user).filter(
            provider=self.provider
        )
        rows = []
        for account in accounts.order_by("-year"):
            margin_check = finance.check_margin(account)
            wnt_check = finance.check_wnt(account)
            rows.append(
                {
                    "account": account,
                    "margin": finance.margin(account),
                    "margin_check": margin_check,
                    "margin_light": light(margin_check.level),
                    "wnt_maximum": finance.wnt_maximum(account),
                    "wnt_check": wnt_check,
                    "wnt_light": light(wnt_check.level),
                }
            )
        signals = (
            Signal.objects.visible_to(self.request.user)
            .filter(provider=self.provider, source=SignalSource.FINANCE)
            .order_by("-period", "topic")
        )
        context.update(
            title=_("Financiën"),
            rows=rows,
            finance_signals=[shown(s) for s in signals.select_related("contract")],
            editing=self.editing() if context["forms"] else None,
            margin_amber=finance.MARGIN_AMBER,
            margin_red=finance.MARGIN_RED,
        )
        return context
