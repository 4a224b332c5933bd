"""Form building blocks shared by every app's pages."""

from django import forms
from django.core.exceptions import ValidationError

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type=date>``). Its value is always ISO
    (``2026-11-10``), whatever the active language: the HTML standard reads nothing else, so a
    Dutch ``10-11-2026`` would show an empty field and an unchanged form would lose the date."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=ISO_DATE)
        self.attrs["type"] = "date"


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (``<input type=datetime-local>``), ISO like
    :class:`DateInput`."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)
        self.attrs["type"] = "datetime-local"


class DateField(forms.DateField):
    """A date field with the ISO date picker; every page's date input is one of these or uses
    :class:`DateInput` (``tests/core/test_date_inputs.py`` walks every form)."""

    widget = DateInput


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (``<input type=file multiple>``); ``clean`` gives the list of
    files, each cleaned as a single file field would. No file: the field's "required" error,
    or ``[]`` when it is optional."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data]
        items = [item for item in items if item]
        if not items:
            single(None, initial)  # raises "required" when the field is
            return []
        return [single(item, initial) for item in items]


class RegionBoundModelForm(forms.ModelForm):
    """A model form for an object that belongs to the region in the URL.

    The region is not a field: it is set from the URL, and every choice of a related object is
    limited to that region. The region still takes part in model validation, so uniqueness per
    region and the model's cross-region checks give field errors instead of database errors.
    """

    region_field = "region"

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        if self.region_field:
            setattr(self.instance, self.region_field, region)
        self.limit_choices_to_region()

    def limit_choices_to_region(self):
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "region"):
                field.queryset = queryset.filter(region=self.region)

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.region_field:
            exclusions.discard(self.region_field)
        return exclusions


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal next to the fields it names (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a ValidationError, field errors included, as plain sentences."""
    if hasattr(exc, "error_dict"):
        return [str(m) for msgs in exc.message_dict.values() for m in msgs]
    return [str(m) for m in exc.messages]
