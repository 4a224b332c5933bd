"""Reads of development assignments for the contract and strategy pages."""

from django.db.models import Prefetch

from core.roles import PROVIDER_EDITORS
from core.scoping import scope_for

from .models_development import DevelopmentAssignment, DevelopmentUpdate


def development_items(user, *, contract=None, strategy=None) -> list[DevelopmentAssignment]:
    """The assignments of one contract or strategy the user may see, each with its updates
    (newest first) in ``updates_list``."""
    owner = {"contract": contract} if contract is not None else {"strategy": strategy}
    return list(
        DevelopmentAssignment.objects.visible_to(user)
        .filter(**owner)
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=DevelopmentUpdate.objects.select_related("by"),
                to_attr="updates_list",
            )
        )
    )


def development_panel(*, user, owner, region) -> dict:
    """The development-assignments section of a contract or strategy page (the template reads
    it as ``panel``)."""
    from .models import Contract

    is_contract = isinstance(owner, Contract)
    items = development_items(user, **({"contract": owner} if is_contract else {"strategy": owner}))
    return {
        "items": items,
        "owner": owner,
        "is_contract": is_contract,
        "can_edit": scope_for(user).has_role(region.pk, PROVIDER_EDITORS),
    }
