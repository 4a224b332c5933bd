"""Providers of youth care, consortia and their screenings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import get_private_storage, private_path
from core.roles import PROVIDER_EDITORS
from core.scoping import ScopedModel, ScopedQuerySet
from core.ui.formatting import format_date
from segments.models import CareForm, Municipality, Region, Segment

from .admissibility import (
    Instrument,
    KindRule,
    Requirement,
    ScreeningFact,
    ScreeningStatus,
    judge,
    judge_consortium,
)
from .validators import AGB_REGEX, KVK_REGEX, validate_agb_code, validate_kvk_number


class ProviderKind(models.TextChoices):
    INSTITUTION = "institution", _("Instelling")
    SOLO_PRACTITIONER = "solo", _("Vrijgevestigde")
    CERTIFIED_INSTITUTION = "certified", _("Gecertificeerde instelling (GI)")
    CONSORTIUM = "consortium", _("Samenwerkingsverband")


class ProviderReach(models.TextChoices):
    REGIONAL = "regional", _("Regionaal")
    NATIONAL = "national", _("Landelijk")
    CUSTOM = "custom", _("Maatwerk")


class ProviderQuerySet(ScopedQuerySet):
    def consortia(self):
        return self.filter(kind=ProviderKind.CONSORTIUM)

    def organisations(self):
        return self.exclude(kind=ProviderKind.CONSORTIUM)


class Provider(ScopedModel):
    """A care organisation, or a consortium (samenwerkingsverband) of them.

    A consortium is a provider of kind ``consortium`` with one lead contractor and members,
    so contracts and submissions can point at either in the same way.
    """

    scope_edit_roles = PROVIDER_EDITORS

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="providers", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(
        _("soort"), max_length=12, choices=ProviderKind.choices, default=ProviderKind.INSTITUTION
    )
    kvk_number = models.CharField(
        _("KvK-nummer"),
        max_length=8,
        blank=True,
        validators=[validate_kvk_number],
        help_text=_(
            "Acht cijfers. Mag leeg blijven bij een samenwerkingsverband zonder eigen inschrijving."
        ),
    )
    agb_code = models.CharField(
        _("AGB-code"), max_length=8, blank=True, validators=[validate_agb_code]
    )
    reach = models.CharField(
        _("reikwijdte"),
        max_length=10,
        choices=ProviderReach.choices,
        default=ProviderReach.REGIONAL,
    )
    identity_bound = models.BooleanField(
        _("identiteitsgebonden"),
        default=False,
        help_text=_("Levert zorg vanuit een levensbeschouwelijke identiteit."),
    )
    denomination = models.CharField(_("denominatie"), max_length=120, blank=True)
    care_forms = models.ManyToManyField(
        CareForm, blank=True, related_name="providers", verbose_name=_("jeugdhulpvormen")
    )
    municipalities_served = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="providers",
        verbose_name=_("gemeenten waar de aanbieder levert"),
    )
    capacity_places = models.PositiveIntegerField(_("capaciteit (plaatsen)"), null=True, blank=True)
    capacity_fte = models.DecimalField(
        _("capaciteit (fte)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    city = models.CharField(_("vestigingsplaats"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail contractzaken"), blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kvk_number"],
                condition=~Q(kvk_number=""),
                name="provider_unique_kvk_per_region",
            ),
            models.CheckConstraint(
                condition=Q(kvk_number__regex=KVK_REGEX)
                | Q(kind=ProviderKind.CONSORTIUM, kvk_number=""),
                name="provider_kvk_format",
            ),
            models.CheckConstraint(
                condition=Q(agb_code="") | Q(agb_code__regex=AGB_REGEX), name="provider_agb_format"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ProviderKind.values), name="provider_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(identity_bound=False) | ~Q(denomination=""),
                name="provider_identity_needs_denomination",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def serving(cls, municipality_ids):
        """Subquery of the ids of providers delivering in these municipalities."""
        return cls.objects.filter(municipalities_served__in=municipality_ids).values("pk")

    @classmethod
    def scope_municipal_q(cls, scope):
        # A municipality sees the providers that deliver in it (a subquery: no duplicate rows).
        return Q(pk__in=cls.serving(scope.municipality_ids))

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(pk__in=scope.provider_ids)

    def clean(self):
        super().clean()
        errors = {}
        if self.kind != ProviderKind.CONSORTIUM and not self.kvk_number:
            errors["kvk_number"] = _("Vul het KvK-nummer in (acht cijfers).")
        if self.identity_bound and not self.denomination.strip():
            errors["denomination"] = _("Noem de denominatie van een identiteitsgebonden aanbieder.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse(
            "providers:provider-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    @property
    def is_consortium(self) -> bool:
        return self.kind == ProviderKind.CONSORTIUM

    def effective_care_forms(self):
        """Care forms the provider offers; for a consortium the union of its members' forms."""
        if self.is_consortium:
            return CareForm.objects.filter(
                providers__consortium_memberships__consortium=self
            ).distinct()
        return self.care_forms.all()

    def admissibility(self, today=None, *, segment=None, instrument: Instrument | None = None):
        """The verdict against the region's screening instrument: region-wide, or for one
        ``segment`` (a ``Segment`` or its id: the kinds required for it or a segment above it
        count too). Pass the ``instrument`` when judging many providers of one region."""
        today = today or timezone.localdate()
        if instrument is None:
            instrument = ScreeningKind.instrument_of(self.region_id)
        if self.is_consortium:
            memberships = list(self.members.all())
            return judge_consortium(
                {
                    m.member.name: m.member.admissibility(
                        today, segment=segment, instrument=instrument
                    )
                    for m in memberships
                },
                has_lead=any(m.is_lead for m in memberships),
            )
        segment_id = getattr(segment, "pk", segment)
        facts = [
            ScreeningFact(s.kind_id, s.status, s.date, s.valid_until, s.pk)
            for s in self.screenings.all()
        ]
        return judge(facts, instrument.required(segment_id), today)

    @property
    def lead(self):
        membership = next((m for m in self.members.all() if m.is_lead), None)
        return membership.member if membership else None


class ConsortiumMembership(ScopedModel):
    scope_region_lookup = "consortium__region"
    scope_edit_roles = PROVIDER_EDITORS

    consortium = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("samenwerkingsverband"),
        limit_choices_to={"kind": ProviderKind.CONSORTIUM},
    )
    member = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="consortium_memberships",
        verbose_name=_("aanbieder"),
    )
    is_lead = models.BooleanField(_("hoofdaannemer"), default=False)

    class Meta:
        ordering = ["-is_lead", "member__name"]
        verbose_name = _("lid van samenwerkingsverband")
        verbose_name_plural = _("leden van samenwerkingsverbanden")
        constraints = [
            models.UniqueConstraint(fields=["consortium", "member"], name="consortium_member_once"),
            models.UniqueConstraint(
                fields=["consortium"], condition=Q(is_lead=True), name="consortium_one_lead"
            ),
            models.CheckConstraint(
                condition=~Q(consortium=models.F("member")), name="consortium_not_own_member"
            ),
        ]

    def __str__(self):
        role = _("hoofdaannemer") if self.is_lead else _("onderaannemer")
        return f"{self.member} ({role}) in {self.consortium}"

    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(consortium__in=Provider.serving(scope.municipality_ids))

    def clean(self):
        super().clean()
        errors = {}
        if self.consortium_id and self.member_id:
            if self.consortium_id == self.member_id:
                errors["member"] = _("Een samenwerkingsverband kan niet lid van zichzelf zijn.")
            elif self.member.is_consortium:
                errors["member"] = _(
                    "Een samenwerkingsverband kan geen lid zijn van een ander samenwerkingsverband."
                )
            elif self.member.region_id != self.consortium.region_id:
                errors["member"] = _("Deze aanbieder hoort bij een andere regio.")
        if self.consortium_id and not self.consortium.is_consortium:
            errors["consortium"] = _("Kies een aanbieder van de soort samenwerkingsverband.")
        if errors:
            raise ValidationError(errors)


class ScreeningKindQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(active=True)


class ScreeningKind(ScopedModel):
    """One kind of screening in a region's own instrument (e.g. Bibob, VOG, an on-site quality
    visit): what it checks, how long a passed one stays valid, and for which providers it is
    required for admission (none, every provider, or the providers in some segments)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="screening_kinds", verbose_name=_("regio")
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("Korte code, uniek in de regio, bijv. bibob.")
    )
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("wat wordt getoetst"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("geldigheid (maanden)"),
        null=True,
        blank=True,
        help_text=_(
            "Hoe lang een voldoende screening geldig blijft. Laat u bij een screening "
            "'geldig tot en met' leeg, dan volgt die hieruit. Leeg: onbeperkt geldig."
        ),
    )
    requirement = models.CharField(
        _("vereist voor toelating"),
        max_length=10,
        choices=Requirement.choices,
        default=Requirement.ALL,
    )
    segments = models.ManyToManyField(
        Segment,
        blank=True,
        related_name="screening_kinds",
        verbose_name=_("segmenten"),
        help_text=_(
            "Alleen bij 'alleen vereist voor gekozen segmenten': de segmenten waarvoor deze "
            "screening vereist is (hun deelsegmenten vallen eronder)."
        ),
    )
    active = models.BooleanField(
        _("in gebruik"),
        default=True,
        help_text=_(
            "Een soort die niet meer in gebruik is, wordt niet meer aangeboden voor nieuwe "
            "screenings en is nergens meer vereist."
        ),
    )

    objects = ScreeningKindQuerySet.as_manager()

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("screeningssoort")
        verbose_name_plural = _("screeningssoorten")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="screeningkind_unique_code"),
            models.CheckConstraint(
                condition=Q(requirement__in=Requirement.values),
                name="screeningkind_requirement_valid",
            ),
        ]

    def __str__(self):
        return self.name

    # The instrument is the region's published admission policy: reference data for the
    # region's municipalities and providers (the usage figures stay on the region's pages).
    @classmethod
    def scope_municipal_q(cls, scope):
        return Q(region__in=scope.municipality_region_ids)

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(region__in=scope.provider_region_ids)

    def get_absolute_url(self):
        return reverse(
            "providers:screeningkind-detail", kwargs={"region": self.region.slug, "pk": self.pk}
        )

    def rule(self, segment_ids=None) -> KindRule:
        if segment_ids is None:
            segment_ids = [s.pk for s in self.segments.all()]
        return KindRule(
            id=self.pk,
            name=self.name,
            requirement=self.requirement,
            segment_ids=frozenset(segment_ids),
            active=self.active,
        )

    @classmethod
    def instrument_of(cls, region) -> Instrument:
        """The region's instrument for the pure judgement, in three queries."""
        region_id = getattr(region, "pk", region)
        # In the order the region set them up: the reasons are named in that order.
        kinds = list(
            cls.objects.filter(region_id=region_id).order_by("pk").prefetch_related("segments")
        )
        parents = {}
        if any(k.requirement == Requirement.SEGMENTS for k in kinds):
            parents = dict(
                Segment.objects.filter(region_id=region_id).values_list("pk", "parent_id")
            )
        return Instrument(kinds=tuple(k.rule() for k in kinds), parents=parents)


class Screening(ScopedModel):
    scope_region_lookup = "provider__region"
    scope_edit_roles = PROVIDER_EDITORS

    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, related_name="screenings", verbose_name=_("aanbieder")
    )
    kind = models.ForeignKey(
        ScreeningKind,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("soort screening"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ScreeningStatus.choices, default=ScreeningStatus.PENDING
    )
    date = models.DateField(_("datum"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    outcome_note = models.TextField(_("toelichting op de uitkomst"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("date")),
                name="screening_valid_after_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ScreeningStatus.values), name="screening_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.provider} ({format_date(self.date)})"

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_until and self.date and self.valid_until < self.date:
            errors["valid_until"] = _("'Geldig tot en met' ligt voor de datum van de screening.")
        if self.kind_id and self.provider_id and self.kind.region_id != self.provider.region_id:
            errors["kind"] = _("Deze soort screening hoort bij een andere regio.")
        if errors:
            raise ValidationError(errors)


class AnnualAccount(ScopedModel):
    """Figures from a provider's annual accounts (jaarrekening) for one year.

    The checks on them (profit margin against 5% / 15%, executive pay against the WNT maximum)
    are pure functions in ``providers.finance``; monitoring raises signals from them."""

    scope_region_lookup = "provider__region"
    scope_edit_roles = PROVIDER_EDITORS

    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="annual_accounts",
        verbose_name=_("aanbieder"),
    )
    year = models.PositiveSmallIntegerField(_("boekjaar"))
    revenue = models.DecimalField(_("omzet (€)"), max_digits=14, decimal_places=2)
    result = models.DecimalField(_("resultaat (€)"), max_digits=14, decimal_places=2)
    executive_pay = models.DecimalField(
        _("bezoldiging hoogste topfunctionaris (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    wnt_maximum = models.DecimalField(
        _("toepasselijk WNT-maximum (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Het bezoldigingsmaximum dat voor deze aanbieder geldt (sectorklasse of het "
            "algemene maximum). Leeg: het algemene maximum van het boekjaar."
        ),
    )
    note = models.TextField(_("toelichting"), blank=True)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["provider", "-year"]
        verbose_name = _("jaarrekening")
        verbose_name_plural = _("jaarrekeningen")
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="annual_account_unique_year"),
            models.CheckConstraint(condition=Q(revenue__gt=0), name="annual_account_revenue"),
        ]

    def __str__(self):
        return f"{self.provider} {self.year}"


# ---------------------------------------------------------------- the provider portal's users


class ProviderRole(models.TextChoices):
    """What a user of a provider organisation does in the provider portal."""

    ADMINISTRATOR = "admin", _("Beheerder van de aanbieder")
    EMPLOYEE = "employee", _("Medewerker van de aanbieder")


class ProviderUser(ScopedModel):
    """A user of a provider organisation (never of a consortium: the lead acts for it). The
    user sees only what the scope gives a provider (``Scope.provider_ids``); staff roles and
    a provider role are never held by the same user."""

    scope_edit_roles = PROVIDER_EDITORS
    scope_region_lookup = "provider__region"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_memberships",
        verbose_name=_("gebruiker"),
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="portal_users",
        verbose_name=_("aanbieder"),
    )
    role = models.CharField(_("rol"), max_length=12, choices=ProviderRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)

    class Meta:
        ordering = ["provider", "user__last_name", "user__first_name", "user__email"]
        verbose_name = _("portaalgebruiker")
        verbose_name_plural = _("portaalgebruikers")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="provider_user_one_organisation"),
            models.CheckConstraint(
                condition=Q(role__in=ProviderRole.values), name="provider_user_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.provider}"

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)

    @property
    def is_admin(self) -> bool:
        return self.role == ProviderRole.ADMINISTRATOR


# ---------------------------------------------------------------- the provider's inbox


class MessageKind(models.TextChoices):
    """What a message in a provider's inbox is (the letters follow the procurement decisions
    that produce them; see ``procurement.letters``)."""

    PROVISIONAL_AWARD = "provisional_award", _("Voorlopige gunningsbeslissing")
    DEFINITIVE_AWARD = "definitive_award", _("Definitieve gunning")
    REFUSAL = "refusal", _("Afwijzing")
    ADMISSION = "admission", _("Toelating")
    NOT_ADMITTED = "not_admitted", _("Niet toegelaten")
    QNA = "qna", _("Nota van inlichtingen")
    EVIDENCE_REQUEST = "evidence_request", _("Verzoek om bewijsstukken")
    OTHER = "other", _("Overig")


#: the kinds that are a decision letter about one submission
LETTER_KINDS = frozenset(
    {
        MessageKind.PROVISIONAL_AWARD,
        MessageKind.DEFINITIVE_AWARD,
        MessageKind.REFUSAL,
        MessageKind.ADMISSION,
        MessageKind.NOT_ADMITTED,
    }
)


def _inbox_letter_path(instance, filename):
    return private_path("inbox", filename)


def _inbox_answer_path(instance, filename):
    return private_path("inbox-answers", filename)


class ProviderMessage(ScopedModel):
    """A message the region sends to a provider's inbox in the portal: a decision letter, a
    nota van inlichtingen, a request for evidence. A message to a consortium is read by its
    lead's portal users (their scope holds the consortium). What it is about is kept as plain
    ids (providers sits below procurement): ``tender_id`` and ``submission_id``.
    ``dedupe_key`` makes sending the same letter twice a no-op."""

    scope_region_lookup = "provider__region"
    scope_edit_roles = PROVIDER_EDITORS

    provider = models.ForeignKey(
        Provider,
        on_delete=models.CASCADE,
        related_name="inbox_messages",
        verbose_name=_("aanbieder"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=MessageKind.choices)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("bericht"), blank=True)
    letter = models.FileField(
        _("brief"),
        storage=get_private_storage,
        upload_to=_inbox_letter_path,
        max_length=300,
        blank=True,
    )
    letter_name = models.CharField(_("bestandsnaam"), max_length=150, blank=True)
    tender_id = models.PositiveIntegerField(_("procedure"), null=True, blank=True)
    submission_id = models.PositiveIntegerField(_("inschrijving"), null=True, blank=True)
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=80, blank=True, editable=False)
    sent_at = models.DateTimeField(_("verzonden op"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verzonden door"),
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("bericht aan aanbieder")
        verbose_name_plural = _("berichten aan aanbieders")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="provider_message_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="provider_message_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["submission_id"]), models.Index(fields=["tender_id"])]

    def __str__(self):
        return self.subject

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(provider__in=scope.provider_ids)

    @property
    def is_letter(self) -> bool:
        return self.kind in LETTER_KINDS

    @property
    def asks_evidence(self) -> bool:
        return self.kind == MessageKind.EVIDENCE_REQUEST


class MessageReceipt(ScopedModel):
    """The first time one portal user opened a message (a read receipt)."""

    scope_region_lookup = "message__provider__region"
    scope_edit_roles = PROVIDER_EDITORS

    message = models.ForeignKey(
        ProviderMessage,
        on_delete=models.CASCADE,
        related_name="receipts",
        verbose_name=_("bericht"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="message_receipts",
        verbose_name=_("gebruiker"),
    )
    read_at = models.DateTimeField(_("gelezen op"), default=timezone.now)

    class Meta:
        ordering = ["read_at", "pk"]
        verbose_name = _("leesbevestiging")
        verbose_name_plural = _("leesbevestigingen")
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="message_receipt_once")
        ]

    def __str__(self):
        return f"{self.message} – {self.user}"

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(message__provider__in=scope.provider_ids)


class EvidenceAnswer(ScopedModel):
    """A provider's answer to a request for evidence: a note and the files it uploaded."""

    scope_region_lookup = "message__provider__region"
    scope_edit_roles = PROVIDER_EDITORS

    message = models.ForeignKey(
        ProviderMessage,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("verzoek"),
    )
    note = models.TextField(_("toelichting"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwoord door"),
    )
    answered_at = models.DateTimeField(_("beantwoord op"), default=timezone.now)

    class Meta:
        ordering = ["answered_at", "pk"]
        verbose_name = _("antwoord op verzoek om bewijsstukken")
        verbose_name_plural = _("antwoorden op verzoeken om bewijsstukken")

    def __str__(self):
        return f"{self.message} – {format_date(self.answered_at)}"

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(message__provider__in=scope.provider_ids)


class EvidenceFile(ScopedModel):
    """One file of an answer, stored privately; served only through a scoped view."""

    scope_region_lookup = "answer__message__provider__region"
    scope_edit_roles = PROVIDER_EDITORS

    answer = models.ForeignKey(
        EvidenceAnswer, on_delete=models.CASCADE, related_name="files", verbose_name=_("antwoord")
    )
    file = models.FileField(
        _("bestand"), storage=get_private_storage, upload_to=_inbox_answer_path, max_length=300
    )
    name = models.CharField(_("bestandsnaam"), max_length=150)
    size = models.PositiveIntegerField(_("grootte"), default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("bewijsstuk")
        verbose_name_plural = _("bewijsstukken")

    def __str__(self):
        return self.name

    @classmethod
    def scope_provider_q(cls, scope):
        return Q(answer__message__provider__in=scope.provider_ids)
