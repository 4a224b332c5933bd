import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from segments.filters import RegionFilterSet, yes_no_filter
from segments.models import CareForm, Municipality, Segment

from .admissibility import Requirement
from .models import Provider, ProviderKind, ProviderReach, Screening, ScreeningKind


class ProviderFilterSet(RegionFilterSet):
    """Filters for the provider list (page and API). ``admissible`` needs the queryset to be
    annotated by ``selectors.with_admissibility``."""

    search_fields = ("name", "kvk_number", "agb_code", "city")
    kind = django_filters.ChoiceFilter(choices=ProviderKind.choices, label=_("Soort"))
    reach = django_filters.ChoiceFilter(choices=ProviderReach.choices, label=_("Reikwijdte"))
    care_form = django_filters.ModelChoiceFilter(
        field_name="care_forms",
        queryset=CareForm.objects.all(),
        label=_("Jeugdhulpvorm"),
        distinct=True,
    )
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipalities_served",
        queryset=Municipality.objects.all(),
        label=_("Levert in gemeente"),
        distinct=True,
    )
    identity_bound = yes_no_filter(label=_("Identiteitsgebonden"))
    admissible = yes_no_filter(field_name="is_admissible", label=_("Toelaatbaar"))
    admissible_for = django_filters.ModelChoiceFilter(
        queryset=Segment.objects.order_by("code"),
        label=_("Toelaatbaar voor segment"),
        method="filter_admissible_for",
        help_text=_("Ook de screenings die alleen voor dit segment vereist zijn."),
    )

    class Meta:
        model = Provider
        fields = [
            "q",
            "kind",
            "reach",
            "care_form",
            "municipality",
            "identity_bound",
            "admissible",
            "admissible_for",
        ]

    def filter_admissible_for(self, queryset, name, segment):
        from .selectors import with_admissibility

        return with_admissibility(
            queryset, segment=segment, annotation="is_admissible_for_segment"
        ).filter(is_admissible_for_segment=True)


class ProviderPageFilterSet(ProviderFilterSet):
    """The provider list page's filters: the API's, and the providers with a screening that
    runs out soon (the region overview's panel links here)."""

    # a ChoiceFilter: its first option is the empty one ("Alle"), so a form sent from the
    # page does not filter on it unless chosen (a TypedChoiceFilter has no empty option, and
    # the browser sent its first choice, 30 days, with every filter)
    screening_expiring = django_filters.ChoiceFilter(
        choices=[
            ("30", _("binnen 30 dagen")),
            ("60", _("binnen 60 dagen")),
            ("90", _("binnen 90 dagen")),
        ],
        label=_("Screening verloopt"),
        method="filter_screening_expiring",
    )

    class Meta(ProviderFilterSet.Meta):
        fields = [*ProviderFilterSet.Meta.fields, "screening_expiring"]

    def filter_screening_expiring(self, queryset, name, days):
        from .selectors import expiring_screenings

        soon = expiring_screenings(
            Screening.objects.filter(provider__in=queryset.values("pk")),
            today=timezone.localdate(),
            days=int(days),
        )
        return queryset.filter(pk__in=soon.values("provider"))


class ScreeningKindFilterSet(RegionFilterSet):
    search_fields = ("name", "code", "description")
    requirement = django_filters.ChoiceFilter(
        choices=Requirement.choices, label=_("Vereist voor toelating")
    )
    active = yes_no_filter(label=_("In gebruik"))

    class Meta:
        model = ScreeningKind
        fields = ["q", "requirement", "active"]
