from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The project itself as an app, so that its system checks are registered."""

    name = "dashboard"

    def ready(self) -> None:
        from dashboard import checks  # noqa: F401 - registers the system checks
