import json

from django.core.management.base import CommandError

from compliance.doap.importer import UnusableSource, import_doap
from compliance.doap.parse import DoapError
from compliance.management.batch import BatchCommand
from suites.engine import ROLES


class Command(BatchCommand):
    help = "Create or update a software entry and its claims from a DOAP file (XEP-0453)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "source", nargs="+", help="paths or http(s) URLs of DOAP files, one entry each"
        )
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
        sources = options["source"]
        if len(sources) == 1:
            result = self.import_one(sources[0], options)
            if options["json"]:
                self.stdout.write(json.dumps(result.as_dict(), indent=2))
            else:
                self.describe(result)
            return
        self.import_many(sources, options)

    def import_one(self, source: str, options):
        """The ImportResult; CommandError (exit 2 for a usage error, else 1) when it fails."""
        try:
            return import_doap(source, role=options["role"], terminal=options["terminal"])
        except UnusableSource as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except DoapError as exc:
            raise CommandError(f"{source}: {exc}") from exc

    def import_many(self, sources: list[str], options) -> None:
        """Each file on its own (a failure does not stop the others), in one process; with
        --json, an array of the per-file objects in order. Exits non-zero when any failed."""
        objects, failures = [], []
        for source in sources:
            try:
                result = self.import_one(source, options)
            except CommandError as exc:
                failures.append(exc.returncode)
                objects.append({"source": source, "error": str(exc)})
                if not options["json"]:
                    self.stderr.write(str(exc))
                continue
            objects.append({"source": source, **result.as_dict()})
            if not options["json"]:
                self.describe(result)
        if options["json"]:
            self.stdout.write(json.dumps(objects, indent=2))
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(sources)} files could not be imported.",
                returncode=max(failures),
            )

    def describe(self, result) -> None:
        software = result.software
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            f"{verb} {software.slug} ({software.role}): {result.claims} claims, "
            f"{len(result.findings)} lint findings."
        )
        for finding in result.findings:
            self.stdout.write(f"  {finding}")
