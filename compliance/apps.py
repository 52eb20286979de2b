from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_suites_after_migrate(sender, using, **kwargs) -> None:
    from compliance.suite_loader import load_suites

    load_suites(using=using)


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "XMPP compliance"

    def ready(self) -> None:
        # The catalogue follows the data files after every migrate (test databases included);
        # `python manage.py load_suites` does the same on demand.
        post_migrate.connect(_load_suites_after_migrate, sender=self)
