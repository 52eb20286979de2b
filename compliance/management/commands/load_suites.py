from django.core.management.base import BaseCommand

from compliance.suite_loader import load_suites


class Command(BaseCommand):
    help = "Load (or re-sync) the Compliance Suite tables from suites/data/ into the database."

    def handle(self, *args, **options) -> None:
        report = load_suites()
        self.stdout.write(
            f"{report.years} suite years, {report.features_created} features created, "
            f"{report.features_updated} up to date or updated, {report.features_deleted} removed, "
            f"{report.specs} specifications; statuses of {report.software_refreshed} software "
            "entries updated."
        )
