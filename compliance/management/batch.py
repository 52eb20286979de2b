"""The base of the commands that import in bulk: the system checks of what they use."""

from django.core.checks import Tags
from django.core.checks.registry import registry
from django.core.management.base import BaseCommand

# The web site's: nothing an import does uses them, and loading what they check is about 0.5 s
# of a process's start: the template engines with every tag library (read by the admin's
# checks and the templates'), and the URL conf with every view, DRF and drf-spectacular. They
# run with `manage.py check`, runserver and migrate.
WEB_SITE_TAGS = {Tags.admin, Tags.templates, Tags.urls}


class BatchCommand(BaseCommand):
    """A command run in bulk (import_doap, sync_registry): before it runs, every system check
    but the web site's, the dashboard's checks of the settings among them (--skip-checks
    skips them all, as for any command)."""

    @property
    def requires_system_checks(self) -> list[str]:
        """The tags Django runs the checks of (read once the apps and their checks are loaded)."""
        return sorted(registry.tags_available() - WEB_SITE_TAGS)
