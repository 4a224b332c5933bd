"""Pages for the case director's consent (``contracts.consent``): record one, prefilled from a
stacking or switch signal on the settlement page, and revoke one. For the contract editors
(officer, contract manager); the consents are listed on the contract page."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ui.formatting import format_date as _d
from segments.models import Product

from . import consent as consent_services
from .codes import ConsentKind
from .forms_consent import ProfileConsentForm, ProfileConsentRevokeForm
from .models import ProfileConsent
from .views import ContractActionView

SECTION = "instemmingen"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class ProfileConsentCreateView(ContractActionView):
    form_class = ProfileConsentForm
    title = gettext_lazy("Instemming regisseur vastleggen")
    submit_label = gettext_lazy("Instemming vastleggen")
    section = SECTION

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.families = None

    def profile_products(self):
        return (
            Product.objects.filter(arrangements__contract=self.contract)
            .exclude(support_profile=None)
            .distinct()
            .order_by("code")
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.families is None:
            self.families = consent_services.profile_families(self.contract)
        kwargs.update(families=self.families, products=self.profile_products())
        return kwargs

    def get_initial(self):
        """Prefilled from a signal on the settlement page: family, kind, products, days."""
        query = self.request.GET
        codes = [c for c in query.get("products", "").split(",") if c]
        kind = query.get("kind", "")
        return {
            "family": query.get("family", ""),
            "kind": kind if kind in ConsentKind.values else ConsentKind.STACKING,
            "products": list(self.profile_products().filter(code__in=codes)),
            "valid_from": _day(query.get("valid_from")),
            "valid_until": _day(query.get("valid_until")),
        }

    def get_intro(self):
        return _(
            "Eén perspectiefplan, één profiel, één tarief per gezin (inkoopstrategie, "
            "'Stapeling'). Stapeling in de uitzonderingen en een overstap naar een andere "
            "profiel-intensiteitcombinatie mogen alleen met instemming van de regisseur van het "
            "gezin (lokaal team of GI); de bewijslast ligt bij de aanbieder. Met een vastgelegde "
            "instemming toont de afrekening de stapeling of wissel als toelichting in plaats "
            "van als signaal."
        )

    def act(self, form):
        d = form.cleaned_data
        consent = consent_services.profile_consent_record(
            contract=self.contract,
            region=self.region,
            family=d["family"],
            kind=d["kind"],
            products=d["products"],
            given_on=d["given_on"],
            case_director=d["case_director"],
            reason=d["reason"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            user=self.request.user,
        )
        return _("De instemming van %(who)s d.d. %(day)s voor gezin %(family)s is vastgelegd.") % {
            "who": consent.case_director,
            "day": _d(consent.given_on),
            "family": consent.family,
        }


class ProfileConsentRevokeView(ContractActionView):
    form_class = ProfileConsentRevokeForm
    submit_label = gettext_lazy("Instemming intrekken")
    danger = True
    section = SECTION

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.consent = get_object_or_404(
            ProfileConsent.objects.restrict(request.user).filter(contract=self.contract),
            pk=kwargs["consent"],
        )

    def get_title(self):
        return _("Intrekken: %(consent)s") % {"consent": self.consent}

    def get_intro(self):
        return _(
            "De instemming blijft zichtbaar, met wie haar introk, wanneer en waarom. De "
            "afrekening meldt de stapeling of wissel daarna weer als signaal."
        )

    def act(self, form):
        consent_services.profile_consent_revoke(
            consent=self.consent, reason=form.cleaned_data["reason"], user=self.request.user
        )
        return _("%(consent)s is ingetrokken.") % {"consent": self.consent}
