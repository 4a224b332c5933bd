import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from api.demo import load_api_clients
from contracts.demo import load_contracts, load_effect_scenarios
from core.demo_clock import anchor, anchored
from core.notifications import notifications_produce
from demo.portal import load_portal_tender, load_portal_users
from demo.public import load_public_page
from demo.users import DEMO_PASSWORD, load_users
from monitoring.demo.ijw import write_samples
from monitoring.demo.production import load_production
from procurement.demo import load_procurement
from providers.demo import load_providers, renew_screenings
from reports.demo import load_reports
from segments.demo.load import load_landscape


class Command(BaseCommand):
    help = (
        "Load the demo regions, providers, users, procurement, contracts and production "
        "(repeatable: a second run adds nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (demo users have a known password).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Load the demo as if on this day (default: today); every demo date is relative "
            "to it.",
        )

    def handle(self, *args, force=False, today=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates users with a known password; run it with DEBUG on, "
                "or pass --force on a machine that is not in production."
            )
        started = time.monotonic()
        with anchored(today), transaction.atomic():
            regions = load_landscape()
            for region in regions:
                count = load_providers(region)
                self.stdout.write(f"  {region.name}: {count} aanbieders")
            users = load_users()
            for region in regions:  # after the users: scores and decisions name them
                self._report(region, load_procurement(region))
            for region in regions:  # after procurement: the WBO award creates its contracts
                self._report(region, load_contracts(region))
                self._report(region, load_production(region))
                self._report(region, load_effect_scenarios(region))  # prices the production
            for region in regions:  # after the procedures, which judged them on their own days
                self._report(region, renew_screenings(region))
            for region in regions:  # after production: reports are made from its figures
                self._report(region, load_reports(region))
            portal_users = load_portal_users()
            live = load_portal_tender()
            self.stdout.write(
                f"  Aanbiedersportaal: {len(portal_users)} portaalgebruikers"
                + (", een inschrijving via het portaal (SOJ-2027-AB-01)" if live else "")
            )
            public = load_public_page()
            if public is not None:
                self.stdout.write(f"  {public.name}: openbare pagina op /openbaar/{public.slug}/")
            clients = load_api_clients()
            if clients.get("clients"):
                self.stdout.write(f"  API-clients: {clients['clients']} (West-Brabant Oost)")
            # the day's notifications (expiring screenings and contracts, overdue actions),
            # after everything they are about; red signals and ready reports notified already
            made = notifications_produce(today=anchor())
            self.stdout.write(f"  Meldingen: {sum(made.values())} van vandaag")
            for region in regions:  # iJw sample messages to import on the import page
                paths = write_samples(region)
                if paths:
                    folder = paths[0].parent.relative_to(settings.BASE_DIR)
                    self.stdout.write(f"  {region.name}: iJw-voorbeeldberichten in {folder}/")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo geladen in {time.monotonic() - started:.1f} s: {len(regions)} regio's, "
                f"{len(users) + len(portal_users)} gebruikers (wachtwoord: {DEMO_PASSWORD})."
            )
        )

    def _report(self, region, counts: dict) -> None:
        if counts:
            summary = ", ".join(f"{n} {label}" for label, n in counts.items())
            self.stdout.write(f"  {region.name}: {summary}")
