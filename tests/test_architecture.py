"""One door per write: no model write in the browser, API, task or command layers.

Every state change is a service (``<app>/services.py``, or a sub-domain's ``services.py``). This
test reads the syntax tree of every module of those layers — ``views*``, ``forms*``, ``api*``,
``tasks.py``, ``*_views.py``, ``endpoints.py`` and management commands — and fails on a model
write there: ``.save()``, ``.delete()``, ``Model.objects.create/update/get_or_create/
update_or_create/bulk_create/bulk_update`` and ``queryset.update()/delete()``. A second test imports
every view and fails when a Django create/update/delete view still relies on Django's own
``form_valid`` (which saves or deletes the object itself)."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.edit import BaseDeleteView, DeletionMixin, ModelFormMixin

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "accounts",
    "segments",
    "providers",
    "procurement",
    "contracts",
    "monitoring",
    "reports",
    "api",
)
LAYER_FILE = re.compile(r"^(views|forms|api|tasks|endpoints)(_\w+)?\.py$|^\w+_views\.py$")
WRITE_METHODS = {"save", "delete"}
MANAGER_WRITES = {
    "create",
    "update",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "delete",
}
QUERYSET_METHODS = {
    "filter",
    "exclude",
    "all",
    "select_for_update",
    "select_related",
    "prefetch_related",
    "order_by",
    "visible_to",
    "restrict",
    "objects",
}


def layer_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue
            in_commands = "management" in rel.parts and "commands" in rel.parts
            if in_commands and path.name != "__init__.py" or LAYER_FILE.match(path.name):
                found.append(path)
    return found


def _chain(node: ast.AST) -> list[str]:
    """``a.b.c(...).d`` → ['a', 'b', 'c', 'd'] (call results keep the called name)."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Name):
            names.append(node.id)
            break
        else:
            break
    return names[::-1]


def model_writes(source: str, filename: str = "<source>") -> list[str]:
    """Every model write in ``source``, as 'line: expression'."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        receiver = _chain(node.func.value)
        if (
            method in WRITE_METHODS
            or method in MANAGER_WRITES
            and receiver
            and receiver[-1] in QUERYSET_METHODS
        ):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}()")
    return found


@pytest.mark.parametrize("path", layer_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_model_write_outside_services(path):
    writes = model_writes(path.read_text(), str(path))
    assert not writes, (
        f"{path.relative_to(ROOT)} writes to the database outside a service; call a "
        f"<thing>_<verb> service instead:\n" + "\n".join(writes)
    )


def test_the_checker_finds_each_kind_of_write():
    source = """
def form_valid(self, form):
    obj = form.save()
    self.object.delete()
    Norm.objects.create(kpi="x")
    Norm.objects.filter(pk=1).update(norm=2)
    Norm.objects.filter(pk=1).delete()
    Share.objects.update_or_create(year=1)
    context.update(title="not a write")
    messages.success(self.request, "not a write")
"""
    writes = model_writes(source)
    assert [w.split(":")[0] for w in writes] == ["3", "4", "5", "6", "7", "8"]


#: public service functions that write yet take a positional argument, and why
POSITIONAL_WRITERS = {
    ("api/services.py", "key_for_token"): "the authentication lookup; it only notes the key's "
    "last use (at most once a minute), as a side effect of reading it",
}


def service_modules() -> list[Path]:
    return sorted(
        p for app in APPS for p in (ROOT / app).rglob("services.py") if "migrations" not in p.parts
    )


def positional_writers(source: str, rel: str) -> list[str]:
    """Public functions in ``source`` that write to the database and take a positional
    argument (a signal receiver's ``sender`` excepted: Django passes it so)."""
    offenders = []
    for node in ast.parse(source, rel).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        positional = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
        if not positional or positional[0] == "sender" or (rel, node.name) in POSITIONAL_WRITERS:
            continue
        if model_writes(ast.unparse(node)):
            offenders.append(f"{node.lineno}: {node.name}({', '.join(positional)}, ...)")
    return offenders


@pytest.mark.parametrize("path", service_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_service_that_writes_takes_its_arguments_by_keyword(path):
    """HackSoft style: a state change is called ``thing_verb(*, ...)``."""
    rel = str(path.relative_to(ROOT))
    offenders = positional_writers(path.read_text(), rel)
    assert not offenders, f"{rel}: make these keyword-only (``*,``):\n" + "\n".join(offenders)


def test_the_keyword_check_would_find_a_positional_writer():
    source = """
def norm_set(norm, value):
    norm.save()

def norm_clear(*, norm):
    norm.delete()

def norm_changed(sender, instance, **kwargs):
    Norm.objects.filter(pk=instance.pk).update(stale=True)

def norm_label(norm):
    return str(norm)
"""
    assert positional_writers(source, "x/services.py") == ["2: norm_set(norm, value, ...)"]


def _views():
    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", None)
                if view is not None:
                    yield view

    return sorted(set(walk(get_resolver().url_patterns)), key=lambda c: c.__qualname__)


# Django's own methods that save or delete the object of a generic view.
DJANGO_WRITES = {
    (ModelFormMixin, "form_valid"),
    (BaseDeleteView, "form_valid"),
    (DeletionMixin, "delete"),
}


def reaches_django_write(view: type, method: str) -> str | None:
    """Follows ``method`` down the view's MRO through ``super().<method>(`` calls; the Django
    method that writes, if the chain gets there, else ``None``."""
    for klass in view.__mro__:
        if method not in vars(klass):
            continue
        if (klass, method) in DJANGO_WRITES:
            return f"{klass.__module__}.{klass.__qualname__}.{method}"
        if klass.__module__.startswith("django."):
            return None
        source = textwrap.dedent(inspect.getsource(vars(klass)[method]))
        if f"super().{method}(" not in source:
            return None
    return None


def test_no_view_lets_django_save_or_delete_the_object():
    offenders = []
    for view in _views():
        if view.__module__.split(".")[0] not in APPS:
            continue
        for method in ("form_valid", "delete"):
            writer = reaches_django_write(view, method)
            if writer:
                offenders.append(f"{view.__module__}.{view.__qualname__}: {writer}")
    assert not offenders, "views that let Django save or delete the object:\n" + "\n".join(
        offenders
    )


def test_the_view_checker_follows_super_calls():
    from django.views import generic

    class Saves(generic.CreateView):
        def form_valid(self, form):
            return super().form_valid(form)

    class CallsAService(generic.CreateView):
        def form_valid(self, form):
            return self.render_to_response({})

    class Deletes(generic.DeleteView):
        pass

    assert reaches_django_write(Saves, "form_valid").endswith("ModelFormMixin.form_valid")
    assert reaches_django_write(CallsAService, "form_valid") is None
    assert reaches_django_write(Deletes, "form_valid").endswith("BaseDeleteView.form_valid")
    assert reaches_django_write(Deletes, "delete").endswith("DeletionMixin.delete")


def test_every_generic_edit_view_names_its_service():
    from core.ui.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView

    wanted = {
        ScopedCreateView: "create_service",
        ScopedUpdateView: "update_service",
        ScopedDeleteView: "delete_service",
    }
    missing = [
        f"{view.__module__}.{view.__qualname__}.{attribute}"
        for view in _views()
        for base, attribute in wanted.items()
        if issubclass(view, base) and getattr(view, attribute) is None
    ]
    assert not missing, "generic views without a service:\n" + "\n".join(missing)


# --- no region in the code --------------------------------------------------------------------

#: the demo regions' codes; a region's own rules are data, so no code names one
DEMO_REGION_CODES = re.compile(
    r"""["'/](zhz|wbo|ams)["'/]|\bregion\.slug\s*==|\bslug\s*==\s*["']"""
)


def _code_files():
    for app in (*APPS, "config", "templates"):
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt"):
                continue
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"demo", "migrations"} or path.name == "demo.py":
                continue
            yield path


def test_no_region_code_outside_demo_data_and_tests():
    """A new region makes the product its own through data: nothing outside the demo loaders
    (and tests) names a region or branches on one."""
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _code_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DEMO_REGION_CODES.search(line)
    ]
    assert hits == []


def test_the_region_code_check_would_find_one():
    assert DEMO_REGION_CODES.search('if region.slug == "ams":')
    assert DEMO_REGION_CODES.search('PROFILE_REGION = "ams"')
    assert DEMO_REGION_CODES.search("href='/regios/wbo/'")
    assert not DEMO_REGION_CODES.search('"sample"')


def test_no_views_module_over_600_lines():
    """A page module a newcomer can read: past 600 lines a group of pages gets a module of its
    own (``views_<group>.py``), as contracts, procurement and the dashboards did."""
    modules = [
        p
        for app in (*APPS, "portal", "public")
        for p in (ROOT / app).rglob("*.py")
        if re.match(r"^views(_\w+)?\.py$|^\w+_views\.py$", p.name)
    ]
    assert len(modules) > 30
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules
        if (n := len(p.read_text().splitlines())) >= 600
    }
    assert not long, f"split these views modules: {long}"
