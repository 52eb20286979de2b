"""axe-core over every page type, at 1400 px and on a 390 px phone, with the real DOAP files:
no violation. axe is injected in a context that bypasses the Content-Security-Policy (the
only one that does: the site itself has no inline script)."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE
from tests.compliance.probing.test_pages import make_run

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/compare/2023/im/advanced-client/",
    "/compare/2023/core/server/?compliant=on",
    "/compare/2023/im/client/?sort=fastest",  # a bad value: the 400 page
    "/software/",
    "/software/{prosody}/",
    "/software/{openfire}/",
    "/software/{swift}/",  # no data
    "/software/{prosody}/history/",
    "/software/no-such-entry/",  # the 404 page
    "/suites/",
    "/suites/2023/",
    "/specs/",
    "/specs/XEP-0030/",
    "/registry/",
    "/accounts/login/",
    "/accounts/signup/",
    "/probe/",
    "/probe/runs/{run}/",
    "/servers/",
    "/servers/{server}/",
]


def ended_run():
    """A finished probe run with a failed check (its hint and evidence shown) and verdicts: its
    server's latest."""
    from django.utils import timezone

    verdicts = {"2023": {"im": {"server": {"compliant": False, "missing": ["Message Archive"]}}}}
    run = make_run(
        state="done",
        finished_at=timezone.now(),
        verdicts=verdicts,
        software_name="Prosody",
        software_version="0.12.3",
    )
    run.server.latest_run = run
    run.server.save(update_fields=["latest_run"])
    return run


def violations(page) -> list[str]:
    found = page.evaluate("axe.run().then(result => result.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], indirect=True)
def test_no_page_type_has_an_axe_violation(live_server, real_entries, axe_page, axe_script):
    call_command("load_demo")  # example entries, shown with ?examples=on
    slugs = {stem: software.slug for stem, software in real_entries.items()}
    run = ended_run()
    slugs["run"], slugs["server"] = run.key, run.server.domain
    found = {}
    for path in [*PAGES, "/compare/2023/core/client/?examples=on"]:
        path = path.format(**slugs)
        axe_page.goto(live_server.url + path)
        axe_page.add_script_tag(path=str(axe_script))
        if problems := violations(axe_page):
            found[path] = problems
    assert found == {}
