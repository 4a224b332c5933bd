"""Forms of the report pages: ask for a report, subscribe, edit the schedule, start a run and
set the verdeelsleutel.

Choices of subjects are always the region's, and only those the user may read (a municipal user
subscribes to their own municipality and the board summary). A report form has a select per kind
of subject and per cadence; a small script shows only the ones that fit the chosen kind, but the
form works without it: only the fields that fit the kind are read, and a missing one is an error
on that very field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.roles import ALL_REGION_ROLES
from core.scoping import scope_for
from providers.models import Provider
from segments.models import Municipality, Segment

from . import periods
from .models import CADENCE, SUBJECT_FIELD, ReportKind, ReportSchedule, Subscription, subject_key
from .schedules import CRON_FIELDS

#: how many recent periods each cadence offers in a select
RECENT = {periods.MONTH: 24, periods.QUARTER: 8, periods.YEAR: 5}
#: the period select of each cadence
PERIOD_FIELD = {periods.MONTH: "month", periods.QUARTER: "quarter", periods.YEAR: "year"}

SUBJECT_REQUIRED = {
    ReportKind.PROVIDER: gettext_lazy("Kies de aanbieder van de aanbiedersrapportage."),
    ReportKind.SEGMENT: gettext_lazy("Kies het segment van de segmentrapportage."),
    ReportKind.MUNICIPALITY: gettext_lazy("Kies de gemeente van de gemeenterapportage."),
}
#: what a municipal user may subscribe to (what they may read)
MUNICIPAL_KINDS = (ReportKind.MUNICIPALITY, ReportKind.BOARD)
PERIOD_REQUIRED = {
    periods.MONTH: gettext_lazy("Kies een maand: deze rapportage gaat over een maand."),
    periods.QUARTER: gettext_lazy("Kies een kwartaal: deze rapportage gaat over een kwartaal."),
    periods.YEAR: gettext_lazy("Kies een jaar: deze rapportage gaat over een jaar."),
}


def period_choices(cadence: str, today: date) -> list[tuple[str, str]]:
    return [(p.code, p.label) for p in periods.recent_periods(cadence, today, RECENT[cadence])]


def subject_querysets(user, region) -> dict:
    """The subjects of the region the user may read, per subject field."""
    return {
        "provider": Provider.objects.visible_to(user).filter(region=region).order_by("name", "pk"),
        "segment": Segment.objects.visible_to(user).filter(region=region).order_by("code", "pk"),
        "municipality": Municipality.objects.visible_to(user)
        .filter(region=region)
        .order_by("name", "pk"),
    }


class SegmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class SubjectFieldsMixin:
    """A select per kind of subject (aanbieder, segment, gemeente), marked with the kind it
    belongs to so the script can show the right one."""

    def add_subject_fields(self, querysets: dict, *, empty_label) -> None:
        labels = {
            "provider": _("Aanbieder"),
            "segment": _("Segment"),
            "municipality": _("Gemeente"),
        }
        kinds = {
            "provider": ReportKind.PROVIDER,
            "segment": ReportKind.SEGMENT,
            "municipality": ReportKind.MUNICIPALITY,
        }
        for name, queryset in querysets.items():
            field_class = SegmentChoiceField if name == "segment" else forms.ModelChoiceField
            self.fields[name] = field_class(
                label=labels[name],
                queryset=queryset,
                required=False,
                empty_label=empty_label,
            )
            self.fields[name].widget.attrs["data-kind"] = kinds[name]
        if "provider" in self.fields:
            # a region has hundreds of providers: a search box narrows the list
            # (static/js/select-filter.js); the select still submits the provider's id
            self.fields["provider"].widget.attrs.update(
                {
                    "data-filter-label": _("Zoek op naam"),
                    "data-filter-status": _("Gevonden: %(n)s"),
                }
            )


class ReportRequestForm(SubjectFieldsMixin, forms.Form):
    """Kind, subject and period of a report made on demand."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Soort rapportage"),
        choices=[("", gettext_lazy("Kies de soort")), *ReportKind.choices],
        help_text=gettext_lazy(
            "Aanbieders per maand; segmenten en gemeenten per kwartaal; de bestuurlijke "
            "samenvatting per jaar."
        ),
    )

    def __init__(self, *args, user, region, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.today = today or timezone.localdate()
        self.fields["kind"].widget.attrs["data-report-kind"] = ""
        self.add_subject_fields(subject_querysets(user, region), empty_label=_("Kies"))
        labels = {
            periods.MONTH: _("Maand"),
            periods.QUARTER: _("Kwartaal"),
            periods.YEAR: _("Jaar"),
        }
        for cadence, name in PERIOD_FIELD.items():
            self.fields[name] = forms.ChoiceField(
                label=labels[cadence],
                choices=period_choices(cadence, self.today),
                required=False,
            )
            self.fields[name].widget.attrs["data-cadence"] = cadence
        self.fields["other_period"] = forms.CharField(
            label=_("Of een andere periode"),
            required=False,
            max_length=40,
            help_text=_(
                "Bijvoorbeeld 2026-10 of oktober 2026 (een maand), 2026-K3 (een kwartaal) of 2026."
            ),
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        field = SUBJECT_FIELD[kind]
        if field is None:
            cleaned["subject"] = self.region
        elif cleaned.get(field) is None:
            if field not in self.errors:
                self.add_error(field, SUBJECT_REQUIRED[kind])
        else:
            cleaned["subject"] = cleaned[field]
        cadence = CADENCE[kind]
        text = (cleaned.get("other_period") or "").strip()
        source = "other_period" if text else PERIOD_FIELD[cadence]
        code = text or cleaned.get(PERIOD_FIELD[cadence])
        if not code:
            if source not in self.errors:
                self.add_error(source, PERIOD_REQUIRED[cadence])
            return cleaned
        try:
            period = periods.parse_period(cadence, code)
        except ValueError as exc:
            self.add_error(source, str(exc))
            return cleaned
        if period.start > self.today:
            self.add_error(
                source,
                _("%(period)s ligt in de toekomst; kies een periode die al begonnen is.")
                % {"period": period.label},
            )
            return cleaned
        cleaned["period"] = period
        return cleaned


class SubscriptionForm(SubjectFieldsMixin, forms.Form):
    """A kind of report and, if the user wants, one subject; empty means every subject of the
    kind the user may read."""

    kind = forms.ChoiceField(label=gettext_lazy("Soort rapportage"))

    def __init__(self, *args, user, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.region = region
        scope = scope_for(user)
        self.municipal_only = not scope.has_role(region.pk, ALL_REGION_ROLES)
        kinds = ReportKind.choices
        querysets = subject_querysets(user, region)
        if self.municipal_only:
            # a municipality reads its own reports and the board summary, nothing else
            kinds = [(k, label) for k, label in kinds if k in MUNICIPAL_KINDS]
            querysets = {"municipality": querysets["municipality"]}
        self.fields["kind"].choices = [("", _("Kies de soort")), *kinds]
        self.fields["kind"].widget.attrs["data-report-kind"] = ""
        self.add_subject_fields(querysets, empty_label=_("Alle"))
        for name in querysets:
            self.fields[name].help_text = _("Leeg: alle die u mag zien.")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not kind:
            return cleaned
        field = SUBJECT_FIELD[kind]
        subject = cleaned.get(field) if field and field in self.fields else None
        cleaned["subject"] = subject
        key = subject_key(kind, subject) if subject is not None else ""
        cleaned["subject_key"] = key
        if Subscription.objects.filter(
            user=self.user, region=self.region, kind=kind, subject_key=key
        ).exists():
            what = subject_label(kind, subject) if subject is not None else _("alle onderwerpen")
            raise ValidationError(
                _("U bent al geabonneerd op de %(kind)s van %(what)s.")
                % {"kind": ReportKind(kind).label.lower(), "what": what}
            )
        return cleaned

    def build(self) -> Subscription:
        data = self.cleaned_data
        kind = data["kind"]
        field = SUBJECT_FIELD[kind]
        subject = data["subject"]
        extra = {field: subject} if field and subject is not None else {}
        return Subscription(
            user=self.user,
            region=self.region,
            kind=kind,
            subject_key=data["subject_key"],
            **extra,
        )


def subject_label(kind: str, subject) -> str:
    if subject is None:
        return ""
    if kind == ReportKind.SEGMENT:
        return f"{subject.code} {subject.name}"
    return subject.name


CRON_LABELS = {
    "minute": gettext_lazy("minuut"),
    "hour": gettext_lazy("uur"),
    "day_of_month": gettext_lazy("dag van de maand"),
    "month_of_year": gettext_lazy("maand"),
    "day_of_week": gettext_lazy("dag van de week"),
}
CRON_ALLOWED = {
    "minute": "0–59",
    "hour": "0–23",
    "day_of_month": "1–31",
    "month_of_year": "1–12",
    "day_of_week": "0–6 (0 = zondag) of mon–sun",
}


def cron_validator(name, validator):
    """django-celery-beat's validator of one cron field, with a Dutch message."""

    def validate(value):
        try:
            validator(value)
        except (ValidationError, ValueError) as exc:
            raise ValidationError(
                _(
                    "'%(value)s' is geen geldige %(field)s. Gebruik %(allowed)s, * (elke), een "
                    "lijst (1,15), een reeks (1-5) of een stap (*/15)."
                )
                % {"value": value, "field": CRON_LABELS[name], "allowed": CRON_ALLOWED[name]},
                code="cron",
            ) from exc

    return validate


class CronField(forms.CharField):
    """A cron field; spaces are dropped ("0, 30" is "0,30")."""

    def to_python(self, value):
        return "".join((super().to_python(value) or "").split())


class ScheduleForm(forms.ModelForm):
    """When a kind of report is made: the five cron fields, each checked with the validator
    django-celery-beat uses (time zone Europe/Amsterdam)."""

    class Meta:
        model = ReportSchedule
        fields = ["enabled", "minute", "hour", "day_of_month", "month_of_year", "day_of_week"]
        field_classes = {name: CronField for name, _validator in CRON_FIELDS}
        help_texts = {
            "minute": gettext_lazy("0–59, bijvoorbeeld 0 of 0,30."),
            "hour": gettext_lazy("0–23 (Nederlandse tijd), bijvoorbeeld 6."),
            "day_of_month": gettext_lazy("1–31, bijvoorbeeld 10; * voor elke dag."),
            "month_of_year": gettext_lazy("1–12, bijvoorbeeld 1,4,7,10; * voor elke maand."),
            "day_of_week": gettext_lazy("0–6 (0 = zondag) of mon–sun; * voor elke dag."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, validator in CRON_FIELDS:
            field = self.fields[name]
            field.validators.append(cron_validator(name, validator))
            field.widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})


class RunForm(forms.Form):
    """The period a run started by hand covers (the last complete one unless chosen)."""

    period = forms.ChoiceField(label=gettext_lazy("Periode"))

    def __init__(self, *args, cadence: str, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadence = cadence
        today = today or timezone.localdate()
        self.fields["period"].choices = period_choices(cadence, today)
        self.fields["period"].initial = periods.last_complete(cadence, today).code

    def clean_period(self):
        try:
            return periods.parse_period(self.cadence, self.cleaned_data["period"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class BudgetSharesForm(forms.Form):
    """A percentage per municipality of the region for one year; together at most 100%."""

    def __init__(self, *args, municipalities, shares: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = list(municipalities)
        for m in self.municipalities:
            self.fields[self.field_name(m)] = forms.DecimalField(
                label=m.name,
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                max_digits=6,
                decimal_places=3,
                initial=shares.get(m.pk),
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            )

    @staticmethod
    def field_name(municipality) -> str:
        return f"m{municipality.pk}"

    def rows(self):
        return [(m, self[self.field_name(m)]) for m in self.municipalities]

    def clean(self):
        cleaned = super().clean()
        if any(self.field_name(m) in self.errors for m in self.municipalities):
            return cleaned
        total = sum(
            (cleaned.get(self.field_name(m)) or Decimal("0") for m in self.municipalities),
            Decimal("0"),
        )
        cleaned["total"] = total
        if total > 100:
            raise ValidationError(
                _(
                    "Samen is dat %(total)s%%: meer dan 100%%. Verlaag één of meer aandelen; "
                    "er is niets opgeslagen."
                )
                % {"total": format_percentage(total)},
                code="over_100",
            )
        return cleaned

    def shares(self) -> dict:
        """municipality -> percentage (None: no share)."""
        return {m: self.cleaned_data.get(self.field_name(m)) for m in self.municipalities}


def format_percentage(value) -> str:
    """12.500 -> '12,5'."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")
