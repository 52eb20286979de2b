import json

from django.core.management.base import BaseCommand, CommandError

from compliance.models import Software
from suites import catalogue
from suites.engine import verdicts_as_dict


class Command(BaseCommand):
    help = "Print a software's compliance verdicts for every suite year (or one)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--year", type=int, choices=sorted(catalogue.suites()))
        parser.add_argument("--json", action="store_true", help="print the verdicts as JSON")

    def handle(self, *args, **options) -> None:
        try:
            software = Software.objects.get(slug=options["slug"])
        except Software.DoesNotExist:
            raise CommandError(f"No software with slug {options['slug']!r}.") from None
        years = [options["year"]] if options["year"] else None
        verdicts = software.verdicts(years)
        if options["json"]:
            payload = {
                "software": software.slug,
                "role": software.role,
                "years": verdicts_as_dict(verdicts),
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        role = software.get_role_display()
        if software.role == Software.LIBRARY:
            role += " (judged against the client columns)"
        self.stdout.write(f"{software.name} — {role}")
        for year, by_category in verdicts.items():
            self.stdout.write(f"\n{catalogue.suite(year).title}")
            for category, by_level in by_category.items():
                for level, verdict in by_level.items():
                    label = f"{catalogue.CATEGORY_NAMES[category]} · {catalogue.LEVEL_NAMES[level]}"
                    if verdict.compliant:
                        partial = verdict.partial_specs
                        state = "compliant" + (
                            f" (partial: {', '.join(partial)})" if partial else ""
                        )
                    else:
                        state = "not compliant — missing: " + "; ".join(
                            f"{r.name} ({', '.join(r.lacking)})" for r in verdict.missing
                        )
                    self.stdout.write(f"  {label:<34} {state}")
