"""Make the day's notifications (expiring screenings and contracts, overdue actions, new red
signals): what the daily beat task does. Running it twice adds nothing."""

from datetime import date

from django.core.management.base import BaseCommand

from core.notifications import ensure_daily_task, notifications_produce


class Command(BaseCommand):
    help = "Maakt de meldingen van vandaag (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--schedule", action="store_true", help="Zet ook de dagelijkse taak voor beat klaar."
        )

    def handle(self, *args, today=None, schedule=False, **options):
        if schedule:
            ensure_daily_task()
        made = notifications_produce(today=today)
        for name, count in made.items():
            self.stdout.write(f"{name}: {count}")
