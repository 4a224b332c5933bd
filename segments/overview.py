"""A hook for the region overview page: higher apps (providers, procurement, contracts,
monitoring) register panels here instead of segments importing them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    build: Callable[..., dict[str, Any]]  # build(user=..., region=...) -> template context


_PANELS: list[Panel] = []


def register_panel(*, order: int, template: str, build: Callable[..., dict[str, Any]]) -> None:
    if any(p.template == template for p in _PANELS):
        return
    _PANELS.append(Panel(order, template, build))
    _PANELS.sort(key=lambda p: p.order)


def panels_for(*, user, region) -> list[tuple[str, dict[str, Any]]]:
    return [(p.template, p.build(user=user, region=region)) for p in _PANELS]
