"""Recompute the KPI rollups, the KPI signals and the finance signals of one or every region."""

import time

from django.core.management.base import BaseCommand, CommandError

from monitoring.kpis.rollups import refresh_region
from segments.models import Region


class Command(BaseCommand):
    help = "Herbereken de KPI-maandtellingen en signalen van een regio (of van alle regio's)."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="slug van de regio; zonder: alle regio's")
        parser.add_argument(
            "--no-signals",
            action="store_true",
            help="alleen de maandtellingen, geen signalen beoordelen",
        )

    def handle(self, *args, region=None, no_signals=False, **options):
        regions = Region.objects.order_by("slug")
        if region:
            regions = regions.filter(slug=region)
            if not regions.exists():
                raise CommandError(f"Onbekende regio: {region}")
        for r in regions:
            started = time.perf_counter()
            rows = refresh_region(r.pk, signals=not no_signals)
            seconds = time.perf_counter() - started
            self.stdout.write(f"{r.slug}: {rows} maandtellingen in {seconds:.2f} s")
