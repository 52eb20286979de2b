"""Asserting that a refused import changed nothing in the database."""

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Claim, Software


def snapshot():
    """Everything an import may touch, to compare before and after a failed one."""
    return (
        list(Software.objects.order_by("pk").values()),
        list(Claim.objects.order_by("pk").values()),
    )


def failing_import(source, match):
    before = snapshot()
    with pytest.raises(CommandError, match=match):
        call_command("import_doap", source)
    assert snapshot() == before
