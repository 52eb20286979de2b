import json

from django.core.management.base import BaseCommand, CommandError

from compliance.doap.importer import UnusableSource, import_doap
from compliance.doap.parse import DoapError
from suites.engine import ROLES


class Command(BaseCommand):
    help = "Create or update a software entry and its claims from a DOAP file (XEP-0453)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="path or http(s) URL of the DOAP file")
        parser.add_argument(
            "--role",
            choices=ROLES,
            help="server, client or library (needed when the DOAP does not say)",
        )
        parser.add_argument(
            "--terminal",
            action="store_true",
            default=None,
            help="the software is a command line or terminal based interface",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options) -> None:
        try:
            result = import_doap(
                options["source"], role=options["role"], terminal=options["terminal"]
            )
        except UnusableSource as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except DoapError as exc:
            raise CommandError(f"{options['source']}: {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return
        software = result.software
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            f"{verb} {software.slug} ({software.role}): {result.claims} claims, "
            f"{len(result.findings)} lint findings."
        )
        for finding in result.findings:
            self.stdout.write(f"  {finding}")
