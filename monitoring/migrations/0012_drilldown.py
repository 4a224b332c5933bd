"""The drill-down's index on the declarations and the settlement rollup (issue 20), filled
from the active declarations already there (later imports refresh it with the KPI rollups)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
INSERT INTO monitoring_settlementrollup
    (region_id, contract_id, product_id, month, unit, quantity, amount, lines)
SELECT region_id, contract_id, product_id, month, unit,
    ROUND(SUM(quantity), 2), ROUND(SUM(amount), 2), COUNT(*)
FROM monitoring_declaration
WHERE active
GROUP BY region_id, contract_id, product_id, month, unit
"""


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0007_effect_scenario"),
        ("monitoring", "0011_line_indexes"),
        ("segments", "0003_public_page"),
    ]

    operations = [
        migrations.CreateModel(
            name="SettlementRollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="maand")),
                ("unit", models.CharField(max_length=2, verbose_name="eenheid (iJw)")),
                (
                    "quantity",
                    models.DecimalField(decimal_places=2, max_digits=16, verbose_name="aantal"),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="gedeclareerd (€)"
                    ),
                ),
                ("lines", models.PositiveIntegerField(default=0, verbose_name="declaratieregels")),
            ],
            options={
                "verbose_name": "afrekeningstelling",
                "verbose_name_plural": "afrekeningstellingen",
                "ordering": ["contract", "month", "product", "unit"],
            },
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                condition=models.Q(("active", True)),
                fields=["region", "month", "id"],
                name="declaration_drilldown",
            ),
        ),
        migrations.AddField(
            model_name="settlementrollup",
            name="contract",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contracts.contract",
                verbose_name="contract",
            ),
        ),
        migrations.AddField(
            model_name="settlementrollup",
            name="product",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="segments.product",
                verbose_name="product",
            ),
        ),
        migrations.AddField(
            model_name="settlementrollup",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="segments.region",
                verbose_name="regio",
            ),
        ),
        migrations.AddIndex(
            model_name="settlementrollup",
            index=models.Index(fields=["region", "month"], name="settlement_rollup_region"),
        ),
        migrations.AddConstraint(
            model_name="settlementrollup",
            constraint=models.UniqueConstraint(
                fields=("contract", "month", "product", "unit"), name="settlement_rollup_unique"
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
