"""Settings of bench/api.py: the project's, plus a constant SVG view to compare against."""

from dashboard.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
