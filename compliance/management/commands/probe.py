"""`python manage.py probe DOMAIN ...`: the probe's command line (probes.cli) inside the project.

Networks listed in the setting PROBE_ALLOW_NETWORKS are allowed besides --allow-network.
"""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from probes import cli
from probes.errors import UsageError


class Command(BaseCommand):
    help = cli.DESCRIPTION

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        namespace = cli.argparse.Namespace(**options)
        try:
            status = cli.run(
                namespace,
                environ=os.environ,
                stdout=self.stdout._out,
                stderr=self.stderr._out,
                networks=settings.PROBE_ALLOW_NETWORKS,
            )
        except UsageError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if status:
            sys.exit(status)
