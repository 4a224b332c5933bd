"""Date inputs are ISO in every language (issue 22).

A browser's ``<input type=date>`` reads only ``2026-11-10``. Rendered with the Dutch date format
(``10-11-2026``) Chromium shows an empty field, and saving the unchanged form loses the date or
fails on a required one. Every date field in the project uses ``core.ui.forms.DateInput``."""

import importlib
import inspect
import pathlib
from datetime import date

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import html as lxml_html

from core.ui import forms as ui_forms

APPS = [
    "accounts",
    "api",
    "contracts",
    "core",
    "monitoring",
    "portal",
    "procurement",
    "providers",
    "public",
    "reports",
    "segments",
]


def _modules():
    root = pathlib.Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts or "management" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield importlib.import_module(".".join(parts))


def _date_widgets():
    """(where, field class, widget) of every date and date-time field of every form and filter
    set class defined in the project's modules."""
    found = []
    for module in _modules():
        for name, cls in vars(module).items():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseForm):
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.DateField | forms.DateTimeField):
                        where = f"{module.__name__}.{name}.{field_name}"
                        found.append((where, field, field.widget))
            if issubclass(cls, django_filters.FilterSet):
                for field_name, flt in cls.base_filters.items():
                    field = flt.field
                    if isinstance(field, forms.DateField | forms.DateTimeField):
                        where = f"{module.__name__}.{name}.{field_name}"
                        found.append((where, field, field.widget))
    return found


def test_every_date_field_of_every_form_uses_the_iso_picker():
    widgets = _date_widgets()
    assert len(widgets) > 30  # the walk found the project's forms
    wrong = []
    for where, field, widget in widgets:
        if isinstance(field, forms.DateTimeField):
            ok = isinstance(widget, ui_forms.DateTimeInput)
        else:
            ok = isinstance(widget, ui_forms.DateInput)
        if not ok:
            wrong.append(f"{where}: {type(widget).__module__}.{type(widget).__name__}")
    assert wrong == []


def test_every_date_picker_renders_iso_in_dutch_and_english():
    day = date(2020, 11, 10)
    for language in ("nl", "en"):
        with translation.override(language):
            for where, _field, widget in _date_widgets():
                rendered = widget.render("d", day)
                assert 'value="2020-11-10' in rendered, (language, where, rendered)
                assert 'type="date' in rendered, where


def test_the_api_key_expiry_picker_is_iso():
    """A field added in ``__init__`` is not in ``base_fields``: checked on its own."""
    from api.forms import RotateForm

    widget = RotateForm(today=date(2026, 11, 10)).fields["expires_on"].widget
    assert isinstance(widget, ui_forms.DateInput)
    with translation.override("nl"):
        assert 'value="2027-11-10"' in widget.render("expires_on", date(2027, 11, 10))


@pytest.mark.django_db
def test_municipal_view_keeps_its_dates_when_saved_unchanged_in_dutch(client, world_a, users):
    """The issue's report: with ``Accept-Language: nl`` the edit page showed ``01-11-2020``
    (an empty field in Chromium); saving it unchanged failed on "Ontvangen op" or cleared
    "Beantwoord op"."""
    view = world_a.proc.view
    client.force_login(users.officer)
    edit = reverse(
        "procurement:view-update",
        kwargs={"region": world_a.region.slug, "framework": view.framework_id, "pk": view.pk},
    )
    response = client.get(edit, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content.decode())
    [form] = [f for f in page.forms if "received_on" in f.inputs]
    assert form.inputs["received_on"].value == "2020-11-01"
    assert form.inputs["responded_on"].value == "2020-12-10"

    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    response = client.post(edit, data, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302, response.context["form"].errors
    view.refresh_from_db()
    assert view.received_on == date(2020, 11, 1)
    assert view.responded_on == date(2020, 12, 10)
