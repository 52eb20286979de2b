from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


def make_embedded_directories() -> None:
    """The folders the embedded defaults write to: SQLite's, the file-system broker's and the
    collected static files'. Made when the app starts, never when the settings are read."""
    folders = [settings.STATIC_ROOT]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        name = str(settings.DATABASES["default"]["NAME"])
        if name != ":memory:" and not name.startswith("file:"):
            folders.append(Path(name).parent)
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    folders += [
        options[key]
        for key in ("data_folder_in", "processed_folder", "control_folder")
        if key in options
    ]
    if settings.CELERY_RESULT_BACKEND.startswith("file://"):
        folders.append(settings.CELERY_RESULT_BACKEND.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)


class DashboardConfig(AppConfig):
    """The project itself as an app: its system checks, and the folders it writes to."""

    name = "dashboard"

    def ready(self) -> None:
        from dashboard import checks  # noqa: F401 - registers the system checks

        make_embedded_directories()
