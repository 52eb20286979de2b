"""/probe/ and a run's page: refusals in words, the live partial, the verdicts, hints and who
sees the evidence."""

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from compliance.models import CheckResult, ProbedServer, ProbeRun
from compliance.probing.ownership import SESSION_RUNS
from probes.hints import hint_for
from tests.compliance.probing.test_submit import public_zone, queued  # noqa: F401 - fixtures

EVIDENCE = "<iq type='result'><vCard>the account's own data</vCard></iq>"


def make_run(state=ProbeRun.RUNNING, jid="", **fields) -> ProbeRun:
    server, _ = ProbedServer.objects.get_or_create(domain="example.org")
    run = ProbeRun.objects.create(
        server=server, state=state, probe_version="1.1", total_checks=4, jid=jid, **fields
    )
    CheckResult.objects.create(
        run=run,
        position=0,
        check_id="xep0313-mam",
        specs=["XEP-0313"],
        outcome="fail",
        entity="user@example.org",
        detail="The server does not advertise urn:xmpp:mam:2.",
        evidence=[{"kind": "received", "text": EVIDENCE}],
    )
    return run


@pytest.mark.django_db
def test_the_form_explains_the_test_account():
    response = Client().get("/probe/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "dedicated account" in text
    assert "undoes what it wrote" in text
    assert 'type="password"' in text


@pytest.mark.django_db
def test_a_refused_submission_says_why_and_keeps_the_domain_typed():
    response = Client().post("/probe/", {"domain": "example.org:5222", "password": "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "without a port" in text
    assert 'value="example.org:5222"' in text
    assert 'value="x"' not in text  # the password is never rendered back
    assert not ProbeRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_submission_redirects_to_its_run_and_a_rate_limit_is_a_429(
    public_zone,  # noqa: F811
    queued,  # noqa: F811
    settings,
):
    settings.PROBE_RUNS_PER_DOMAIN_HOUR = 1
    client = Client()
    response = client.post("/probe/", {"domain": "example.org"})
    run = ProbeRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/probe/runs/{run.key}/"
    assert client.session[SESSION_RUNS] == [str(run.key)]
    ProbeRun.objects.update(state=ProbeRun.DONE)
    response = client.post("/probe/", {"domain": "example.org"})
    assert response.status_code == 429
    assert "try again after" in response.content.decode()


@pytest.mark.django_db
def test_a_running_run_polls_its_partial_and_refreshes_without_javascript():
    run = make_run()
    text = Client().get(f"/probe/runs/{run.key}/").content.decode()
    assert f'hx-get="/probe/runs/{run.key}/progress/"' in text
    assert 'hx-trigger="every 1s"' in text
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in text
    assert 'max="4" value="1"' in text
    assert "The server does not advertise urn:xmpp:mam:2." in text


@pytest.mark.django_db
def test_the_partial_of_an_ended_run_stops_polling_and_reloads_the_page():
    run = make_run(state=ProbeRun.DONE, finished_at=timezone.now())
    response = Client().get(f"/probe/runs/{run.key}/progress/", headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()
    text = Client().get(f"/probe/runs/{run.key}/").content.decode()
    assert "http-equiv" not in text


@pytest.mark.django_db
def test_an_ended_run_shows_verdicts_and_the_hint_for_the_software_read():
    verdicts = {
        "2023": {
            "im": {
                "server": {"compliant": False, "missing": ["Message Archive"]},
                "advanced_server": {"compliant": False, "missing": ["Message Archive"]},
            }
        }
    }
    run = make_run(
        state=ProbeRun.DONE,
        finished_at=timezone.now(),
        verdicts=verdicts,
        software_name="Prosody",
        software_version="0.12.3",
    )
    text = Client().get(f"/probe/runs/{run.key}/").content.decode()
    assert "not compliant</strong>: missing Message Archive" in text
    hint = hint_for("xep0313-mam", "Prosody", "0.12.3")
    assert f"How to fix it on Prosody ({hint.versions}):" in text
    assert escape(hint.text) in text
    assert escape(hint.config[0]) in text


@pytest.mark.django_db
def test_evidence_of_an_account_run_is_only_for_who_asked(make_user):
    alice, mallory = make_user("alice"), make_user("mallory")
    run = make_run(jid="probe@example.org", requested_by=alice)
    escaped = "&lt;vCard&gt;the account&#x27;s own data"
    anonymous = Client().get(f"/probe/runs/{run.key}/").content.decode()
    assert escaped not in anonymous
    assert "shown only to whoever asked for it" in anonymous
    other = Client()
    other.force_login(mallory)
    assert escaped not in other.get(f"/probe/runs/{run.key}/").content.decode()
    owner = Client()
    owner.force_login(alice)
    assert escaped in owner.get(f"/probe/runs/{run.key}/").content.decode()
    public = make_run(state=ProbeRun.DONE)
    assert escaped in Client().get(f"/probe/runs/{public.key}/").content.decode()


@pytest.mark.django_db
def test_an_unknown_run_is_a_404():
    assert Client().get("/probe/runs/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.django_db
def test_the_admin_shows_runs_read_only_and_never_their_password(admin_client):
    from compliance.probing.credentials import seal

    run = make_run(jid="probe@example.org", secret=seal("hunter2 the password"))
    page = admin_client.get(f"/admin/compliance/proberun/{run.pk}/change/").content.decode()
    assert "probe@example.org" in page
    assert "hunter2" not in page
    assert bytes(run.secret).decode() not in page
    assert "field-secret" not in page
    assert admin_client.post(f"/admin/compliance/proberun/{run.pk}/delete/").status_code == 403


def crash_reports(monkeypatch, settings, post) -> tuple[str, str]:
    """A submission that crashes inside `submit` (after the account was read) through
    `post(client, form)`: the admins' e-mail and the full HTML report, with every frame's
    locals. Both must show the JID and not the password."""
    import sys

    from django.core import mail
    from django.core.signals import got_request_exception
    from django.views.debug import ExceptionReporter

    from compliance.probing import submit

    password = " ".join(["correct", "horse", "battery", "staple"])  # not in the source shown
    reports = []

    def crash(*args, **kwargs):
        raise RuntimeError("the broker went away")

    def report(sender, request, **kwargs):
        reports.append(ExceptionReporter(request, *sys.exc_info()).get_traceback_html())

    settings.ADMINS = [("Admin", "admin@example.org")]
    monkeypatch.setattr(submit, "run_async", crash)
    got_request_exception.connect(report)
    try:
        form = {"domain": "example.org", "jid": "probe@example.org", "password": password}
        assert post(Client(raise_request_exception=False), form).status_code == 500
    finally:
        got_request_exception.disconnect(report)
    [mail_report] = mail.outbox
    [html] = reports
    for text in (mail_report.body, html):
        assert "the broker went away" in text
        assert password not in text
        assert escape(password) not in text
    assert "probe@example.org" in html  # the frames' locals are there, the password is not
    return mail_report.body, html


@pytest.mark.django_db
def test_a_crash_while_submitting_reports_no_password(monkeypatch, settings):
    crash_reports(monkeypatch, settings, lambda client, form: client.post("/probe/", form))
