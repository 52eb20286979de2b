"""The WSGI application (gunicorn dashboard.wsgi). It refuses to start on unsafe settings, such
as the development SECRET_KEY without DEBUG, which only manage.py would otherwise check."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
application = get_wsgi_application()

from dashboard.checks import refuse_unsafe_settings  # noqa: E402 - needs the apps loaded

refuse_unsafe_settings()
