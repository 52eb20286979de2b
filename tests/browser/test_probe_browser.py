"""A probe submitted through the web form in Chromium, probed by a real worker against the real
Prosody: the run page shows its progress and ends, by itself, with the CLI's outcomes."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from compliance.probing.submit import Account, probe_options
from probes.outcomes import best
from probes.report import check_outcomes
from probes.runner import run_probe
from tests.servers.prosody import DOMAIN, PASSWORD, USER

pytestmark = [pytest.mark.browser, pytest.mark.prosody]


def test_a_probe_from_the_form_shows_progress_and_ends_with_the_cli_outcomes(
    live_server, probe_worker, page
):
    polls = []
    page.on("response", lambda r: "/progress/" in r.url and polls.append(r.status))
    page.goto(f"{live_server.url}/probe/")
    page.get_by_label("Domain").fill(DOMAIN)
    page.get_by_label("Test account (JID)").fill(f"{USER}@{DOMAIN}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Probe").click()
    page.wait_for_url(re.compile(r"/probe/runs/[0-9a-f-]+/$"))
    assert page.locator("progress#run-progress").is_visible()
    page.locator("#verdicts").wait_for(timeout=90_000)  # the page reloads itself at the end
    progress = page.locator("progress#run-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max")
    assert "Done:" in page.locator("#progress").inner_text()
    assert all(status == 200 for status in polls)
    shown: dict[str, list[str]] = {}
    for row in page.locator("table.results tbody tr").all():
        check = row.locator("th code").inner_text()
        outcome = row.locator("td").first.locator("strong").inner_text()
        shown.setdefault(check, []).append(outcome.replace(" ", "_"))
    options = probe_options(DOMAIN, Account(f"{USER}@{DOMAIN}", PASSWORD))
    with ThreadPoolExecutor(1) as pool:  # Playwright's loop runs in this thread
        direct = pool.submit(asyncio.run, run_probe(options)).result()
    assert {check: best(found) for check, found in shown.items()} == check_outcomes(direct.outcomes)
    assert "Prosody" in page.locator("main").inner_text()
    assert PASSWORD not in page.content()
