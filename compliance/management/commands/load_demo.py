from django.core.management.base import BaseCommand

from compliance.demo import load_demo, remove_demo
from compliance.models import Software


class Command(BaseCommand):
    help = "Load the example entries (fictional, marked as examples), or remove them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--remove", action="store_true", help="delete every example entry")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into a database without any entry (what `dev.py run` does)",
        )

    def handle(self, *args, **options) -> None:
        if options["remove"]:
            self.stdout.write(f"Removed the example entries ({remove_demo()} rows).")
        elif options["if_empty"] and Software.objects.exists():
            self.stdout.write("The database has entries: no example entries loaded.")
        else:
            self.stdout.write(f"{load_demo()} example entries loaded (remove: load_demo --remove).")
