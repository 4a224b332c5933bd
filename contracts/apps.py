from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracten")

    def ready(self):
        from procurement.signals import award_made
        from segments.overview import register_panel

        from . import audit  # noqa: F401
        from .selectors import contract_summary
        from .services import contracts_from_award

        award_made.connect(contracts_from_award, dispatch_uid="contracts_from_award")
        from procurement.strategy_panels import register_strategy_panel

        from .selectors_development import development_panel

        register_strategy_panel(
            order=10, template="contracts/_development_assignments.html", build=development_panel
        )
        register_panel(order=30, template="contracts/_overview_panel.html", build=contract_summary)
