"""Import a file of production data from the command line, whole or nothing.

    python manage.py import_production --region <regio> --kind declaraties declaraties-2026-03.csv

Prints the progress in percentages and the outcome; on rejection the errors (the first 50 and
the count) and exit status 1. The file is read where it is and never deleted or copied.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monitoring.imports.formats import FileProblem, format_for
from monitoring.imports.models import DatasetKind, ImportFormat, ImportStatus
from monitoring.imports.services import import_offer
from segments.models import Region

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Importeer productiegegevens (CSV of JSON) voor een regio: heel het bestand of niets."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het bestand (.csv of .json).")
        parser.add_argument("--region", required=True, help="Korte code (slug) van de regio.")
        parser.add_argument(
            "--kind", required=True, choices=DatasetKind.values, help="Soort gegevens."
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=ImportFormat.values,
            help="Formaat; standaard volgt het uit de extensie.",
        )

    def handle(self, *args, file, region, kind, file_format=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        try:
            region_obj = Region.objects.get(slug=region)
        except Region.DoesNotExist:
            raise CommandError(f"Onbekende regio: {region}") from None
        try:
            file_format = format_for(path.name, file_format)
        except FileProblem as problem:
            raise CommandError(problem.message) from None
        shown = {"percent": -1}

        def progress(done: int, total: int) -> None:
            percent = min(100, round(100 * done / total)) if total else 0
            if percent >= shown["percent"] + 5 or (percent == 100 and shown["percent"] < 100):
                shown["percent"] = percent
                self.stdout.write(f"  {percent:3d}%  {done} van {total} regels gecontroleerd")

        def announce(batch) -> None:
            self.stdout.write(f"Import {batch.pk}: {batch.get_kind_display()} uit {path.name}")

        batch = import_offer(
            region=region_obj,
            kind=kind,
            file_format=file_format,
            path=path,
            file_name=path.name,
            run="now",
            delete_file=False,  # the operator's own file
            on_created=announce,
            on_progress=progress,
        )
        batch.refresh_from_db()
        if batch.status == ImportStatus.SUCCEEDED:
            self.stdout.write(self.style.SUCCESS(batch.message))
            if batch.months:
                self.stdout.write(f"KPI's bijgewerkt voor {len(batch.months)} maanden.")
            return
        self.stderr.write(self.style.ERROR(batch.message))
        for error in batch.errors[:SHOWN_ERRORS]:
            where = f"regel {error['row']}" if error["row"] else "bestand"
            column = f", kolom {error['column']}" if error["column"] else ""
            self.stderr.write(f"  {where}{column}: {error['message']}")
        if batch.error_count > SHOWN_ERRORS:
            self.stderr.write(f"  … en nog {batch.error_count - SHOWN_ERRORS} fouten.")
        raise CommandError(
            f"Import {batch.pk} {batch.get_status_display().lower()}; er is niets geïmporteerd.",
            returncode=1,
        )
