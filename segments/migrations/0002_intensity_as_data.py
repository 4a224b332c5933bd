"""Intensities become a region's own data (with their rule for running alongside another
profile); support profiles can be retired. Existing products keep their intensity: each region
gets an Intensity row for every intensity code its products used."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

# The four intensities the code knew until now (seed 004), with the stacking rule that was
# hard-coded in the settlement: Duurzaam may run alongside, Acuut at most 14 days.
KNOWN = {
    "perspectief": ("Perspectief", 1, "exclusive", None),
    "intensief": ("Intensief", 2, "exclusive", None),
    "acuut": ("Acuut", 3, "limited", 14),
    "duurzaam": ("Duurzaam", 4, "alongside", None),
}


def forwards(apps, schema_editor):
    Product = apps.get_model("segments", "Product")
    Intensity = apps.get_model("segments", "Intensity")
    cache = {}
    for product in Product.objects.exclude(intensity_code="").order_by("pk"):
        key = (product.region_id, product.intensity_code)
        if key not in cache:
            name, position, parallel, days = KNOWN.get(
                product.intensity_code, (product.intensity_code.capitalize(), 9, "exclusive", None)
            )
            cache[key], _ = Intensity.objects.get_or_create(
                region_id=product.region_id,
                code=product.intensity_code,
                defaults={
                    "name": name,
                    "position": position,
                    "parallel": parallel,
                    "parallel_max_days": days,
                },
            )
        product.intensity = cache[key]
        product.save(update_fields=["intensity"])


def backwards(apps, schema_editor):
    Product = apps.get_model("segments", "Product")
    for product in Product.objects.exclude(intensity=None).select_related("intensity"):
        product.intensity_code = product.intensity.code
        product.save(update_fields=["intensity_code"])


class Migration(migrations.Migration):
    dependencies = [("segments", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="supportprofile",
            name="retired",
            field=models.BooleanField(
                default=False,
                help_text="Een profiel dat niet meer in gebruik is, blijft bij bestaande producten en contracten staan, maar wordt niet meer aangeboden voor nieuwe producten.",
                verbose_name="niet meer in gebruik",
            ),
        ),
        migrations.CreateModel(
            name="Intensity",
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
                        help_text="Korte code, bijvoorbeeld acuut.",
                        max_length=20,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[a-z0-9][a-z0-9_-]*$", "Kleine letters, cijfers, - of _."
                            )
                        ],
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="naam")),
                ("description", models.TextField(blank=True, verbose_name="omschrijving")),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="Volgorde in tabellen en keuzelijsten.",
                        verbose_name="volgorde",
                    ),
                ),
                (
                    "parallel",
                    models.CharField(
                        choices=[
                            ("exclusive", "Niet naast een ander profiel"),
                            ("alongside", "Mag naast een ander profiel lopen"),
                            (
                                "limited",
                                "Mag een beperkt aantal dagen naast een ander profiel lopen",
                            ),
                        ],
                        default="exclusive",
                        max_length=10,
                        verbose_name="naast een ander profiel",
                    ),
                ),
                (
                    "parallel_max_days",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Alleen bij 'mag een beperkt aantal dagen naast een ander profiel lopen'.",
                        null=True,
                        verbose_name="maximum aantal dagen naast een ander profiel",
                    ),
                ),
                (
                    "retired",
                    models.BooleanField(default=False, verbose_name="niet meer in gebruik"),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="intensities",
                        to="segments.region",
                        verbose_name="regio",
                    ),
                ),
            ],
            options={
                "verbose_name": "intensiteit",
                "verbose_name_plural": "intensiteiten",
                "ordering": ["position", "name"],
                "abstract": False,
            },
        ),
        migrations.RemoveConstraint(model_name="product", name="product_intensity_valid"),
        migrations.RemoveConstraint(
            model_name="product", name="product_profile_and_intensity_together"
        ),
        migrations.RenameField(
            model_name="product", old_name="intensity", new_name="intensity_code"
        ),
        migrations.AddField(
            model_name="product",
            name="intensity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="products",
                to="segments.intensity",
                verbose_name="intensiteit",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="product", name="intensity_code"),
        migrations.AddConstraint(
            model_name="intensity",
            constraint=models.UniqueConstraint(
                fields=("region", "code"), name="intensity_unique_code"
            ),
        ),
        migrations.AddConstraint(
            model_name="intensity",
            constraint=models.UniqueConstraint(
                fields=("region", "name"), name="intensity_unique_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="intensity",
            constraint=models.CheckConstraint(
                condition=models.Q(("parallel__in", ["exclusive", "alongside", "limited"])),
                name="intensity_parallel_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="intensity",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("parallel", "limited"), ("parallel_max_days__gte", 1)),
                    models.Q(
                        models.Q(("parallel", "limited"), _negated=True),
                        ("parallel_max_days__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="intensity_limit_only_when_limited",
            ),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.UniqueConstraint(
                condition=models.Q(("support_profile__isnull", False)),
                fields=("support_profile", "intensity"),
                name="product_one_per_profile_intensity",
            ),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("intensity__isnull", True), ("support_profile__isnull", True)),
                    models.Q(("intensity__isnull", False), ("support_profile__isnull", False)),
                    _connector="OR",
                ),
                name="product_profile_and_intensity_together",
            ),
        ),
    ]
