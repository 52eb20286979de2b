from django.core.management.base import BaseCommand

from compliance.logos import fetch_logos, logos_to_fetch
from compliance.models import Software


class Command(BaseCommand):
    help = "Fetch the entries' logos (the DOAP files' schema:logo) through the guarded client."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="every entry, not only new URLs")

    def handle(self, *args, **options) -> None:
        fields = ("pk", "logo_url", "logo_fetched_url")
        software = list(Software.objects.only(*fields)) if options["all"] else logos_to_fetch()
        counts = fetch_logos(software)
        self.stdout.write(", ".join(f"{outcome}: {n}" for outcome, n in counts.items()))
