"""Every settlement signal is shown with a label in words, never its raw key (issue 22: the
settlement page showed "no_occupancy: …")."""

import ast
import inspect

from contracts import settlement


def _flag_kinds() -> set[str]:
    tree = ast.parse(inspect.getsource(settlement))
    kinds = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Flag":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                kinds.add(first.value)
    return kinds


def test_every_flag_kind_has_a_label():
    kinds = _flag_kinds()
    assert "no_occupancy" in kinds and len(kinds) >= 10
    assert sorted(kinds - set(settlement.FLAG_LABELS)) == []
    assert settlement.flag_label("no_occupancy") == "Geen bezettingsgegevens"
    assert settlement.flag_label("something_new") == "Signaal"
