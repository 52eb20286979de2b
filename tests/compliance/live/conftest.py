"""Fixtures of the live tests: a real Celery worker on the configured broker."""

import pytest
from celery.contrib.testing.worker import start_worker

from dashboard.celery import app


@pytest.fixture
def worker(transactional_db):
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=["doap"], shutdown_timeout=20
    ) as running:
        yield running
