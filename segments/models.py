"""The care landscape of a region: municipalities, segments, participation, care forms, products."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedModel, ScopedQuerySet

from .codes import ParallelRule, ParticipationLevel, ProductCategory, Unit
from .validators import CBS_CODE_REGEX, validate_cbs_code

#: a figure about fewer youths than the region's threshold is not published; never below 5
PUBLIC_MIN_CELL_DEFAULT = 10
PUBLIC_MIN_CELL_FLOOR = 5


def public_region_q(scope, lookup: str = "region") -> Q:
    """Rows of a region whose public pages are on, for ``Scope.public`` (core.scoping)."""
    return Q(**{f"{lookup}__in": scope.public_region_ids, f"{lookup}__public_page_enabled": True})


class Region(ScopedModel):
    scope_region_lookup = "pk"
    # The public page's columns have database defaults: a migration test that goes back to an
    # earlier state of another app writes regions without them.

    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=40, unique=True)
    contracting_authority = models.CharField(_("aanbestedende dienst"), max_length=250)
    description = models.TextField(_("toelichting"), blank=True)
    # The public pages (/openbaar/<code>/), opt-in by the region administrator (docs/public.md)
    public_page_enabled = models.BooleanField(
        _("openbare pagina aan"),
        default=False,
        db_default=False,
        help_text=_(
            "Aan: iedereen leest zonder inloggen het zorglandschap, de open procedures, de "
            "gegunde contracten en de resultaten per aanbieder van deze regio."
        ),
    )
    public_min_cell = models.PositiveSmallIntegerField(
        _("minimum aantal jeugdigen per cijfer"),
        default=PUBLIC_MIN_CELL_DEFAULT,
        db_default=PUBLIC_MIN_CELL_DEFAULT,
        validators=[MinValueValidator(PUBLIC_MIN_CELL_FLOOR), MaxValueValidator(1000)],
        help_text=_(
            "Een cijfer over minder jeugdigen staat niet op de openbare pagina (minimaal 5)."
        ),
    )
    public_intro = models.TextField(
        _("inleiding op de openbare pagina"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Een korte tekst voor ouders, raadsleden en aanbieders (optioneel)."),
    )
    # Who signs the decision letters (procurement.signatory; a procedure may override them).
    letter_signatory_name = models.CharField(
        _("ondertekenaar van brieven"), max_length=150, blank=True, default="", db_default=""
    )
    letter_signatory_function = models.CharField(
        _("functie van de ondertekenaar"), max_length=150, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        constraints = [
            models.CheckConstraint(
                condition=Q(public_min_cell__gte=PUBLIC_MIN_CELL_FLOOR),
                name="region_public_min_cell_floor",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(pk__in=scope.municipality_region_ids)

    @classmethod
    def scope_public_q(cls, scope):
        return Q(pk__in=scope.public_region_ids, public_page_enabled=True)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(pk__in=scope.provider_region_ids)

    def get_absolute_url(self):
        return reverse("segments:region-detail", kwargs={"region": self.slug})


class Municipality(ScopedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio")
    )
    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=6,
        unique=True,
        validators=[validate_cbs_code],
        help_text=_("Gemeentecode van het CBS, bijvoorbeeld GM0505 (Dordrecht)."),
    )
    name = models.CharField(_("naam"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=CBS_CODE_REGEX), name="municipality_cbs_code_format"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.cbs_code})"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(pk__in=scope.municipality_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope)

    def get_absolute_url(self):
        return reverse(
            "segments:municipality-detail",
            kwargs={"region": self.region.slug, "pk": self.pk},
        )


class CareForm(ScopedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="care_forms", verbose_name=_("regio")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("naam"), max_length=150)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("jeugdhulpvorm")
        verbose_name_plural = _("jeugdhulpvormen")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="careform_unique_code"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope)

    def get_absolute_url(self):
        return reverse(
            "segments:careform-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )


class SegmentQuerySet(ScopedQuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)


class Segment(ScopedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="segments", verbose_name=_("regio")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("bovenliggend segment"),
        help_text=_("Leeg voor een hoofdsegment; gevuld voor een deelsegment."),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("Bijvoorbeeld 3a."))
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    target_group = models.TextField(_("doelgroep"), blank=True)
    development_assignments = models.TextField(_("ontwikkelopgaven"), blank=True)
    care_forms = models.ManyToManyField(
        CareForm, blank=True, related_name="segments", verbose_name=_("jeugdhulpvormen")
    )
    bought_regionally = models.BooleanField(
        _("regionaal ingekocht"),
        default=True,
        help_text=_(
            "Uit voor zorg die elke gemeente zelf inkoopt of organiseert (voorliggend veld)."
        ),
    )

    objects = SegmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("segment")
        verbose_name_plural = _("segmenten")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="segment_unique_code"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="segment_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope)

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.region_id and self.parent.region_id != self.region_id:
            raise ValidationError(
                {"parent": _("Een deelsegment hoort bij een segment van dezelfde regio.")}
            )
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": _(
                            "Een segment kan niet onder zichzelf of een eigen deelsegment hangen."
                        )
                    }
                )
            ancestor = ancestor.parent

    def get_absolute_url(self):
        return reverse(
            "segments:segment-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    @property
    def is_sub_segment(self) -> bool:
        return self.parent_id is not None


class Participation(ScopedModel):
    scope_region_lookup = "municipality__region"

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("gemeente"),
    )
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="participations", verbose_name=_("segment")
    )
    level = models.CharField(
        _("deelname"),
        max_length=10,
        choices=ParticipationLevel.choices,
        default=ParticipationLevel.FULL,
    )
    note = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Verplicht bij gedeeltelijke deelname: waarvoor wel en waarvoor niet."),
    )

    class Meta:
        ordering = ["segment__code", "municipality__name"]
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "segment"], name="participation_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(level__in=ParticipationLevel.values), name="participation_level_valid"
            ),
            models.CheckConstraint(
                condition=~Q(level=ParticipationLevel.PARTIAL) | ~Q(note=""),
                name="participation_partial_needs_note",
            ),
        ]

    def __str__(self):
        return f"{self.municipality.name} – {self.segment}: {self.get_level_display()}"

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope, "municipality__region")

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(municipality__in=scope.municipality_ids)

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.municipality_id
            and self.segment_id
            and self.municipality.region_id != self.segment.region_id
        ):
            errors["municipality"] = _("Deze gemeente hoort niet bij de regio van het segment.")
        if self.level == ParticipationLevel.PARTIAL and not self.note.strip():
            errors["note"] = _("Licht toe waarvoor de gemeente wel en niet deelneemt.")
        if errors:
            raise ValidationError(errors)


class SupportProfile(ScopedModel):
    """A support profile (e.g. the Amsterdam model, seed 004): the need of the family. Each
    profile has one product per intensity the region uses."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="support_profiles", verbose_name=_("regio")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    retired = models.BooleanField(
        _("niet meer in gebruik"),
        default=False,
        help_text=_(
            "Een profiel dat niet meer in gebruik is, blijft bij bestaande producten en "
            "contracten staan, maar wordt niet meer aangeboden voor nieuwe producten."
        ),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("ondersteuningsprofiel")
        verbose_name_plural = _("ondersteuningsprofielen")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="profile_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="profile_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope)

    def get_absolute_url(self):
        return reverse(
            "segments:supportprofile-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )


class Intensity(ScopedModel):
    """An intensity of support a region distinguishes within its profiles (e.g. Perspectief,
    Intensief, Acuut, Duurzaam), with its own rule for running alongside another profile."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="intensities", verbose_name=_("regio")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Kleine letters, cijfers, - of _."))
        ],
        help_text=_("Korte code, bijvoorbeeld acuut."),
    )
    name = models.CharField(_("naam"), max_length=100)
    description = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("volgorde"), default=1, help_text=_("Volgorde in tabellen en keuzelijsten.")
    )
    parallel = models.CharField(
        _("naast een ander profiel"),
        max_length=10,
        choices=ParallelRule.choices,
        default=ParallelRule.EXCLUSIVE,
    )
    parallel_max_days = models.PositiveSmallIntegerField(
        _("maximum aantal dagen naast een ander profiel"),
        null=True,
        blank=True,
        help_text=_("Alleen bij 'mag een beperkt aantal dagen naast een ander profiel lopen'."),
    )
    retired = models.BooleanField(_("niet meer in gebruik"), default=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("intensiteit")
        verbose_name_plural = _("intensiteiten")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="intensity_unique_code"),
            models.UniqueConstraint(fields=["region", "name"], name="intensity_unique_name"),
            models.CheckConstraint(
                condition=Q(parallel__in=ParallelRule.values), name="intensity_parallel_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(parallel=ParallelRule.LIMITED, parallel_max_days__gte=1)
                    | (~Q(parallel=ParallelRule.LIMITED) & Q(parallel_max_days__isnull=True))
                ),
                name="intensity_limit_only_when_limited",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    @classmethod
    def scope_public_q(cls, scope):
        return public_region_q(scope)

    def clean(self):
        super().clean()
        if self.parallel == ParallelRule.LIMITED and not self.parallel_max_days:
            raise ValidationError(
                {
                    "parallel_max_days": _(
                        "Noem hoeveel dagen deze intensiteit naast een ander profiel mag lopen."
                    )
                }
            )
        if self.parallel != ParallelRule.LIMITED:
            self.parallel_max_days = None

    def get_absolute_url(self):
        return reverse(
            "segments:intensity-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )


class Product(ScopedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="products", verbose_name=_("regio")
    )
    code = models.CharField(_("productcode"), max_length=20)
    name = models.CharField(_("naam"), max_length=200)
    care_form = models.ForeignKey(
        CareForm, on_delete=models.PROTECT, related_name="products", verbose_name=_("jeugdhulpvorm")
    )
    category = models.CharField(
        _("productcategorie (iJw)"), max_length=2, choices=ProductCategory.choices
    )
    unit = models.CharField(_("eenheid (iJw)"), max_length=2, choices=Unit.choices)
    support_profile = models.ForeignKey(
        SupportProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("ondersteuningsprofiel"),
    )
    intensity = models.ForeignKey(
        Intensity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("intensiteit"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="product_unique_code"),
            models.UniqueConstraint(
                fields=["support_profile", "intensity"],
                condition=Q(support_profile__isnull=False),
                name="product_one_per_profile_intensity",
            ),
            models.CheckConstraint(
                condition=Q(category__in=ProductCategory.values), name="product_category_valid"
            ),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="product_unit_valid"),
            models.CheckConstraint(
                condition=Q(support_profile__isnull=True, intensity__isnull=True)
                | Q(support_profile__isnull=False, intensity__isnull=False),
                name="product_profile_and_intensity_together",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    def clean(self):
        super().clean()
        errors = {}
        if self.region_id and self.care_form_id and self.care_form.region_id != self.region_id:
            errors["care_form"] = _("Deze jeugdhulpvorm hoort bij een andere regio.")
        if (
            self.region_id
            and self.support_profile_id
            and self.support_profile.region_id != self.region_id
        ):
            errors["support_profile"] = _("Dit ondersteuningsprofiel hoort bij een andere regio.")
        if self.region_id and self.intensity_id and self.intensity.region_id != self.region_id:
            errors["intensity"] = _("Deze intensiteit hoort bij een andere regio.")
        if bool(self.support_profile_id) != bool(self.intensity_id):
            errors["intensity"] = _(
                "Een profielproduct heeft zowel een ondersteuningsprofiel als een intensiteit."
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse(
            "segments:product-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )
