"""A hook for the strategy page: a higher app (contracts: the development assignments with
status and progress) registers a panel here instead of procurement importing it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StrategyPanel:
    order: int
    template: str
    build: Callable[..., dict[str, Any]]  # build(user=..., owner=strategy, region=...) -> context


_PANELS: list[StrategyPanel] = []


def register_strategy_panel(
    *, order: int, template: str, build: Callable[..., dict[str, Any]]
) -> None:
    if any(p.template == template for p in _PANELS):
        return
    _PANELS.append(StrategyPanel(order, template, build))
    _PANELS.sort(key=lambda p: p.order)


def strategy_panels(*, user, strategy, region) -> list[tuple[str, dict[str, Any]]]:
    return [(p.template, p.build(user=user, owner=strategy, region=region)) for p in _PANELS]
