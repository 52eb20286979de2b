import json
import sys

from django.conf import settings
from django.core.management.base import CommandError

from compliance.management.batch import BatchCommand
from compliance.registry.sync import SyncFailed, SyncRefused, sync_registry

BAR_WIDTH = 30


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """'[#####-----]  43/86 DOAP files' for a terminal line."""
    filled = width * done // total if total else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total} DOAP files"


class Command(BatchCommand):
    help = (
        "Sync the xmpp.org software registry: one entry per registry entry, every DOAP file "
        "imported (concurrently, conditionally)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--url", help=f"the registry's URL (default REGISTRY_URL, {settings.REGISTRY_URL})"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="draw the progress bar even when standard error is not a terminal",
        )

    def handle(self, *args, **options) -> None:
        shown = options["progress"] or (options["progress"] is None and sys.stderr.isatty())
        try:
            report = sync_registry(options["url"], progress=self.draw if shown else None)
        except SyncRefused as exc:
            raise CommandError(str(exc), returncode=3) from exc
        except SyncFailed as exc:
            raise CommandError(str(exc)) from exc
        if shown:
            self.stderr.write("")
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        for entry in report.entries:
            if entry.outcome not in ("unchanged", "no_doap"):
                reason = f": {entry.reason}" if entry.reason else ""
                self.stdout.write(f"{entry.outcome:<10} {entry.name}{reason}")
        counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts.items() if n)
        self.stdout.write(
            f"{report.registry}: {len(report.entries)} entries ({counts}) in "
            f"{report.duration_s:.1f} s."
        )

    def draw(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{progress_bar(done, total)}", ending="")
        self.stderr.flush()
