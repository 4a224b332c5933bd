"""Framework themes, the decision to adopt without every municipality's view, and the market
consultations and development tables of a strategy (issue 21, item 4; seeds 000 and 001).

Imported at the end of ``models.py`` so the models belong to the procurement app."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import get_private_storage, private_path
from core.roles import PROCUREMENT_EDITORS, Role
from core.ui.formatting import format_date
from providers.models import Provider
from segments.models import Municipality, Region

from .models import Framework, ProcurementModel, Strategy, _region_q

#: who keeps the region's list of themes: the procurement officer and the region administrator
THEME_EDITORS = PROCUREMENT_EDITORS | frozenset({Role.ADMINISTRATOR})
#: a theme raised by at least this many municipalities is highlighted on the framework page
#: ("punten die door vier of meer gemeenten zijn ingebracht", seed 001)
THEME_HIGHLIGHT_MIN_MUNICIPALITIES = 4


class Theme(ProcurementModel):
    """One theme (aandachtspunt) of the region's own list: municipal views on a framework and
    market consultations are tagged with it, so they can be counted."""

    scope_edit_roles = THEME_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="themes", verbose_name=_("regio")
    )
    name = models.CharField(_("thema"), max_length=150)
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="theme_unique_name"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope)

    def get_absolute_url(self):
        return reverse(
            "procurement:theme-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )


class AdoptionDecision(ProcurementModel):
    """The recorded decision to adopt a framework although some municipalities gave no view:
    who decided, when, why, and which municipalities were missing at that moment."""

    scope_region_lookup = "framework__region"

    framework = models.OneToOneField(
        Framework,
        on_delete=models.CASCADE,
        related_name="adoption_decision",
        verbose_name=_("inkoopkader"),
    )
    decided_by = models.CharField(
        _("besloten door"), max_length=200, help_text=_("Bijv. het Algemeen Bestuur.")
    )
    decided_on = models.DateField(_("besloten op"))
    reason = models.TextField(_("reden"))
    missing_municipalities = models.ManyToManyField(
        Municipality,
        related_name="+",
        verbose_name=_("gemeenten zonder zienswijze"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("besluit om door te gaan zonder alle zienswijzen")
        verbose_name_plural = _("besluiten om door te gaan zonder alle zienswijzen")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="adoption_decision_has_reason"),
            models.CheckConstraint(
                condition=~Q(decided_by=""), name="adoption_decision_has_decider"
            ),
        ]

    def __str__(self):
        return _("Besluit door te gaan zonder alle zienswijzen (%(framework)s)") % {
            "framework": self.framework
        }

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope, "framework__region")

    def get_absolute_url(self):
        return self.framework.get_absolute_url()


class ConsultationKind(models.TextChoices):
    MARKET = "market", _("Marktconsultatie")
    DEVELOPMENT_TABLE = "table", _("Ontwikkeltafel")


def consultation_minutes_path(instance, filename):
    return private_path(f"consultaties/{instance.strategy_id}", filename)


class MarketConsultation(ProcurementModel):
    """A market consultation or development table (ontwikkeltafel) held for a strategy: who
    took part, which themes were discussed, and the minutes."""

    scope_region_lookup = "strategy__region"

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("inkoopstrategie"),
    )
    held_on = models.DateField(_("datum"))
    kind = models.CharField(
        _("soort"), max_length=10, choices=ConsultationKind.choices, default=ConsultationKind.MARKET
    )
    title = models.CharField(_("onderwerp"), max_length=200, blank=True)
    providers = models.ManyToManyField(
        Provider,
        blank=True,
        related_name="consultations",
        verbose_name=_("deelnemende aanbieders"),
    )
    other_participants = models.TextField(
        _("overige deelnemers"),
        blank=True,
        help_text=_("Eén per regel: cliëntvertegenwoordigers, gemeenten, verwijzers, ..."),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="consultations", verbose_name=_("thema's")
    )
    minutes = models.TextField(_("verslag"), blank=True)
    minutes_file = models.FileField(
        _("verslag (document)"),
        storage=get_private_storage,
        upload_to=consultation_minutes_path,
        max_length=300,
        blank=True,
    )

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("marktconsultatie of ontwikkeltafel")
        verbose_name_plural = _("marktconsultaties en ontwikkeltafels")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConsultationKind.values), name="consultation_kind_valid"
            ),
        ]

    def __str__(self):
        label = self.title or self.get_kind_display()
        return f"{label} ({format_date(self.held_on)})" if self.held_on else str(label)

    @classmethod
    def scope_municipal_q(cls, scope):
        return _region_q(scope, "strategy__region")

    def get_absolute_url(self):
        return self.strategy.get_absolute_url() + "#consultaties"

    @property
    def other_participant_list(self) -> list[str]:
        return [line.strip() for line in self.other_participants.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if not self.kind or self.kind not in ConsultationKind.values:
            raise ValidationError({"kind": _("Kies marktconsultatie of ontwikkeltafel.")})
