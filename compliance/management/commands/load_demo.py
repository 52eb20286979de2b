from django.core.management.base import BaseCommand

from compliance.demo import load_demo, remove_demo


class Command(BaseCommand):
    help = "Load the example entries (fictional, marked as examples), or remove them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--remove", action="store_true", help="delete every example entry")

    def handle(self, *args, **options) -> None:
        if options["remove"]:
            self.stdout.write(f"Removed the example entries ({remove_demo()} rows).")
        else:
            self.stdout.write(f"{load_demo()} example entries loaded (remove: load_demo --remove).")
