"""Screening kinds become each region's own data (issue 16).

Every existing region gets the four kinds that used to be hard-coded, required for every
provider, and every screening points at its region's kind of the same code. Reversible: going
back writes the codes onto the screenings again (only the four original codes fit the old
column)."""

import django.db.models.deletion
from django.db import migrations, models

# The instrument every region had while it was code (validity as the demo used it).
ORIGINAL_KINDS = [
    ("bibob", "Integriteit (Bibob)", 36),
    ("vog", "Verklaring omtrent gedrag (VOG)", 24),
    ("quality", "Kwaliteit", 36),
    ("financial", "Financiële gezondheid", 24),
]


def kinds_from_codes(apps, schema_editor):
    Region = apps.get_model("segments", "Region")
    ScreeningKind = apps.get_model("providers", "ScreeningKind")
    Screening = apps.get_model("providers", "Screening")
    for region in Region.objects.all():
        for code, name, months in ORIGINAL_KINDS:
            kind, _created = ScreeningKind.objects.get_or_create(
                region=region,
                code=code,
                defaults={"name": name, "validity_months": months, "requirement": "all"},
            )
            Screening.objects.filter(provider__region=region, kind_code=code).update(kind=kind)


def codes_from_kinds(apps, schema_editor):
    Screening = apps.get_model("providers", "Screening")
    ScreeningKind = apps.get_model("providers", "ScreeningKind")
    for kind in ScreeningKind.objects.all():
        Screening.objects.filter(kind=kind).update(kind_code=kind.code[:10])


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0002_annual_account"),
        ("segments", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="screening", name="screening_kind_valid"),
        migrations.AlterModelOptions(
            name="screening",
            options={
                "ordering": ["-date", "-pk"],
                "verbose_name": "screening",
                "verbose_name_plural": "screenings",
            },
        ),
        migrations.RenameField(model_name="screening", old_name="kind", new_name="kind_code"),
        migrations.CreateModel(
            name="ScreeningKind",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="Korte code, uniek in de regio, bijv. bibob.",
                        max_length=20,
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="naam")),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="wat wordt getoetst"),
                ),
                (
                    "validity_months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Hoe lang een voldoende screening geldig blijft. Laat u bij een screening 'geldig tot en met' leeg, dan volgt die hieruit. Leeg: onbeperkt geldig.",
                        null=True,
                        verbose_name="geldigheid (maanden)",
                    ),
                ),
                (
                    "requirement",
                    models.CharField(
                        choices=[
                            ("none", "Niet vereist"),
                            ("all", "Vereist voor elke aanbieder"),
                            ("segments", "Alleen vereist voor gekozen segmenten"),
                        ],
                        default="all",
                        max_length=10,
                        verbose_name="vereist voor toelating",
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Een soort die niet meer in gebruik is, wordt niet meer aangeboden voor nieuwe screenings en is nergens meer vereist.",
                        verbose_name="in gebruik",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="screening_kinds",
                        to="segments.region",
                        verbose_name="regio",
                    ),
                ),
                (
                    "segments",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Alleen bij 'alleen vereist voor gekozen segmenten': de segmenten waarvoor deze screening vereist is (hun deelsegmenten vallen eronder).",
                        related_name="screening_kinds",
                        to="segments.segment",
                        verbose_name="segmenten",
                    ),
                ),
            ],
            options={
                "verbose_name": "screeningssoort",
                "verbose_name_plural": "screeningssoorten",
                "ordering": ["-active", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("region", "code"), name="screeningkind_unique_code"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("requirement__in", ["none", "all", "segments"])),
                        name="screeningkind_requirement_valid",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="screening",
            name="kind",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="screenings",
                to="providers.screeningkind",
                verbose_name="soort screening",
            ),
        ),
        # Nullable while the data moves, so that going back can re-add the column before
        # the codes are written onto it again.
        migrations.AlterField(
            model_name="screening",
            name="kind_code",
            field=models.CharField(
                choices=[
                    ("bibob", "Integriteit (Bibob)"),
                    ("vog", "Verklaring omtrent gedrag (VOG)"),
                    ("quality", "Kwaliteit"),
                    ("financial", "Financiële gezondheid"),
                ],
                max_length=10,
                null=True,
                verbose_name="soort screening",
            ),
        ),
        migrations.RunPython(kinds_from_codes, codes_from_kinds),
        migrations.RemoveField(model_name="screening", name="kind_code"),
        migrations.AlterField(
            model_name="screening",
            name="kind",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="screenings",
                to="providers.screeningkind",
                verbose_name="soort screening",
            ),
        ),
    ]
