from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete


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
        # Cached badges and readings follow what no write path of theirs sees
        # (compliance/versions.py).
        from compliance import versions
        from compliance.models import ProbedServer, ProbeRun, Software

        post_save.connect(versions.software_written, sender=Software)
        post_delete.connect(versions.software_written, sender=Software)
        post_save.connect(versions.run_saved, sender=ProbeRun)
        post_delete.connect(versions.run_deleted, sender=ProbeRun)
        pre_delete.connect(versions.server_deleting, sender=ProbedServer)
