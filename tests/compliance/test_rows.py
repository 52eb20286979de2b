"""Many rows at once (compliance/rows.py): what goes in comes back, on SQLite and PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from compliance.models import Change, Software
from compliance.rows import insert_rows

pytestmark = pytest.mark.django_db
FIELDS = ("software", "at", "actor", "user", "subject", "action", "spec", "source", "field")
FIELDS += ("old", "new", "values")


def test_it_inserts_text_times_json_and_foreign_keys_as_given(make_user):
    software = Software.objects.create(name="S", slug="s", role="client")
    alice, now = make_user("alice"), timezone.now()
    rows = [
        (software.pk, now, "alice", alice.pk, "claim", "created", "XEP-0030", "self", "", "", "")
        + ({"note": "é"},),
        (software.pk, now, "a 'quoted'\tactor", None, "entry", "changed", "", "", "name", "", "N")
        + ({},),
    ]
    assert insert_rows(Change, FIELDS, rows) == 2
    assert insert_rows(Change, FIELDS, []) == 0
    got = Change.objects.order_by("pk")
    assert [(c.at, c.actor, c.user, c.action, c.field, c.values) for c in got] == [
        (now, "alice", alice, "created", "", {"note": "é"}),
        (now, "a 'quoted'\tactor", None, "changed", "name", {}),
    ]


def test_a_row_the_database_refuses_is_an_integrity_error_and_writes_nothing():
    software = Software.objects.create(name="S", slug="s", role="client")
    now = timezone.now()
    good = (software.pk, now, "a", None, "claim", "created", "XEP-0030", "self", "", "", "", {})
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Change, FIELDS, [good, (software.pk, now, None, *good[3:])])
    assert not Change.objects.exists()
