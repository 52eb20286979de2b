"""The engine's rules, each with small hand-written cases. Pure: no database."""

import pytest

from suites import catalogue
from suites.catalogue import parse_suite
from suites.engine import (
    MET,
    MISSING,
    NA,
    OPTIONAL,
    WAIVED,
    Profile,
    evaluate,
    evaluate_feature,
    evaluate_suites,
    support_of,
    verdicts_as_dict,
)

ALL_REQUIRED = {
    "server": "required",
    "client": "required",
    "advanced_server": "required",
    "advanced_client": "required",
}


def row(name, providers, levels=None, **extra):
    return {
        "name": name,
        "providers": providers,
        "providers_rule": "all",
        "levels": levels or ALL_REQUIRED,
        **extra,
    }


def tiny_suite(core_rows, im_rows):
    """A suite with a core and an IM table built from rows."""
    return parse_suite(
        {
            "year": 2099,
            "xep": "XEP-9999",
            "title": "Test Suite",
            "shortname": "CS2099",
            "status": "Experimental",
            "version": "0.1",
            "date": "2099-01-01",
            "supersedes": [],
            "superseded_by": [],
            "column_headers": {},
            "global_rules": [],
            "doubts": [],
            "future_development": [],
            "changes_since": [],
            "spec_titles": {},
            "categories": [
                {"key": "core", "heading": "Core", "caption": "Core", "features": core_rows},
                {
                    "key": "im",
                    "heading": "IM",
                    "caption": "IM",
                    "requires": ["core"],
                    "features": im_rows,
                },
            ],
        }
    )


CORE = [
    row("Core features", ["RFC 6120"]),
    row(
        "Direct TLS",
        ["XEP-0368"],
        {**ALL_REQUIRED, "server": "not_required", "client": "not_required"},
    ),
]
CLIENT = Profile("client")
SERVER = Profile("server")


@pytest.mark.parametrize(
    ("status", "support"),
    [
        ("complete", "complete"),
        ("partial", "partial"),
        (" Complete\n", "complete"),
        ("PARTIAL", "partial"),
        ("planned", "unsupported"),
        ("deprecated", "unsupported"),
        ("removed", "unsupported"),
        ("wontfix", "unsupported"),
        ("", "unsupported"),
        (None, "unsupported"),
        ("full", "unsupported"),
        ("parial", "unsupported"),
    ],
)
def test_it_counts_only_complete_and_partial(status, support):
    assert support_of(status) == support


def test_a_feature_needs_all_its_providers():
    suite = tiny_suite(CORE, [row("Group Chat", ["XEP-0045", "XEP-0249"])])
    statuses = {"RFC 6120": "complete", "XEP-0045": "complete"}
    verdict = evaluate(suite, "im", "client", statuses, CLIENT)
    assert not verdict.compliant
    assert verdict.missing_names == ["Group Chat"]
    assert verdict.missing[0].lacking == ("XEP-0249",)
    statuses["XEP-0249"] = "complete"
    assert evaluate(suite, "im", "client", statuses, CLIENT).compliant


def test_any_one_provider_suffices_where_the_table_says_so():
    web = row(
        "Web Connection Mechanisms",
        ["RFC 7395", "XEP-0206"],
        providers_rule="per_level",
        providers_rule_by_level={
            "server": "all",
            "client": "any",
            "advanced_server": "all",
            "advanced_client": "any",
        },
    )
    suite = tiny_suite(CORE, [web])
    statuses = {"RFC 6120": "complete", "XEP-0206": "complete"}
    assert evaluate(suite, "im", "client", statuses, CLIENT).compliant
    server = evaluate(suite, "im", "server", statuses, SERVER)
    assert server.missing_names == ["Web Connection Mechanisms"]
    assert server.missing[0].lacking == ("RFC 7395",)


def test_any_one_rule_with_nothing_supported_lacks_every_provider():
    web = row("Web", ["RFC 7395", "XEP-0206"], providers_rule="any")
    result = evaluate_feature(
        tiny_suite(CORE, [web]).category("im").features[0], "im", "client", {}, CLIENT
    )
    assert result.state == MISSING
    assert result.lacking == ("RFC 7395", "XEP-0206")
    assert "any one of" in result.reason


def test_a_verdict_relying_on_partial_says_so():
    suite = tiny_suite(CORE, [row("Group Chat", ["XEP-0045", "XEP-0249"])])
    statuses = {"RFC 6120": "complete", "XEP-0045": "partial", "XEP-0249": "complete"}
    verdict = evaluate(suite, "im", "client", statuses, CLIENT)
    assert verdict.compliant
    assert verdict.partial_specs == ["XEP-0045"]
    assert verdict.as_dict() == {
        "compliant": True,
        "missing": [],
        "relies_on_partial": ["XEP-0045"],
    }


def test_any_one_rule_does_not_rely_on_partial_when_one_is_complete():
    web = row("Web", ["RFC 7395", "XEP-0206"], providers_rule="any")
    suite = tiny_suite(CORE, [web])
    statuses = {"RFC 6120": "complete", "RFC 7395": "complete", "XEP-0206": "partial"}
    assert evaluate(suite, "im", "client", statuses, CLIENT).partial_specs == []
    statuses["RFC 7395"] = "planned"
    assert evaluate(suite, "im", "client", statuses, CLIENT).partial_specs == ["XEP-0206"]


def test_non_core_categories_require_core_at_the_same_level():
    suite = tiny_suite(CORE, [row("Blocking", ["XEP-0191"])])
    statuses = {"XEP-0191": "complete"}
    verdict = evaluate(suite, "im", "client", statuses, CLIENT)
    assert verdict.missing_names == ["Core features"]
    assert verdict.missing[0].category == "core"
    advanced = evaluate(suite, "im", "advanced_client", statuses, CLIENT)
    assert advanced.missing_names == ["Core features", "Direct TLS"]


def test_core_does_not_require_other_categories():
    suite = tiny_suite(CORE, [row("Blocking", ["XEP-0191"])])
    assert evaluate(suite, "core", "client", {"RFC 6120": "complete"}, CLIENT).compliant


def test_not_required_and_na_cells_are_not_requirements():
    levels = {
        "server": "na",
        "client": "not_required",
        "advanced_server": "na",
        "advanced_client": "required",
    }
    suite = tiny_suite(CORE, [row("Chat States", ["XEP-0085"], levels)])
    feature = suite.category("im").features[0]
    assert evaluate_feature(feature, "im", "server", {}, SERVER).state == NA
    assert evaluate_feature(feature, "im", "client", {}, CLIENT).state == OPTIONAL
    assert evaluate(suite, "im", "client", {"RFC 6120": "complete"}, CLIENT).compliant
    assert evaluate(
        suite, "im", "advanced_client", {"RFC 6120": "complete", "XEP-0368": "complete"}, CLIENT
    ).missing_names == ["Chat States"]


def nocli_suite():
    levels = {
        "server": "na",
        "client": "not_required",
        "advanced_server": "na",
        "advanced_client": "required",
    }
    avatars = row(
        "User Avatars",
        ["XEP-0084"],
        levels,
        notes={"advanced_client": "Not required for command line or terminal based interfaces."},
        note_ids={"advanced_client": "nocli"},
    )
    return tiny_suite(CORE, [avatars])


def test_terminal_interfaces_are_waived_where_the_note_says_so():
    statuses = {"RFC 6120": "complete", "XEP-0368": "complete"}
    suite = nocli_suite()
    gui = evaluate(suite, "im", "advanced_client", statuses, CLIENT)
    assert gui.missing_names == ["User Avatars"]
    terminal = evaluate(
        suite, "im", "advanced_client", statuses, Profile("client", terminal_interface=True)
    )
    assert terminal.compliant
    assert [r.name for r in terminal.waived] == ["User Avatars"]
    assert "terminal" in terminal.waived[0].reason


def push_suite():
    levels = {
        "server": "not_required",
        "client": "not_required",
        "advanced_server": "required",
        "advanced_client": "required",
    }
    push = row(
        "Third Party Push Notifications",
        ["XEP-0357"],
        levels,
        notes={
            "advanced_client": "Only on platforms that disallow long-lasting "
            "background connections."
        },
        note_ids={"advanced_client": "push-platforms"},
    )
    return tiny_suite(CORE, [push])


def test_push_is_required_only_on_background_restricted_platforms():
    statuses = {"RFC 6120": "complete", "XEP-0368": "complete"}
    desktop = evaluate(push_suite(), "im", "advanced_client", statuses, CLIENT)
    assert desktop.compliant
    assert desktop.waived[0].state == WAIVED
    ios = evaluate(
        push_suite(),
        "im",
        "advanced_client",
        statuses,
        Profile("client", background_restricted=True),
    )
    assert ios.missing_names == ["Third Party Push Notifications"]
    server = evaluate(push_suite(), "im", "advanced_server", statuses, SERVER)
    assert server.missing_names == ["Third Party Push Notifications"]


def test_the_terminal_flag_does_not_waive_other_notes():
    statuses = {"RFC 6120": "complete", "XEP-0368": "complete"}
    verdict = evaluate(
        push_suite(),
        "im",
        "advanced_client",
        statuses,
        Profile("client", terminal_interface=True, background_restricted=True),
    )
    assert verdict.missing_names == ["Third Party Push Notifications"]


def test_libraries_are_judged_against_the_client_columns_and_labelled():
    suite = catalogue.suite(2022)
    verdicts = evaluate_suites([suite], {}, Profile("library"))
    assert set(verdicts[2022]["im"]) == {"client", "advanced_client"}
    assert verdicts[2022]["im"]["client"].role == "library"


def test_servers_get_the_server_columns_of_every_category_of_the_year():
    verdicts = evaluate_suites(catalogue.suites().values(), {}, SERVER)
    assert set(verdicts[2019]) == {"core", "web", "im", "mobile"}
    assert set(verdicts[2022]) == {"core", "web", "im", "mobile", "av"}
    assert set(verdicts[2022]["av"]) == {"server", "advanced_server"}


def test_missing_lists_feature_names_as_in_the_tables_core_included():
    verdicts = evaluate_suites([catalogue.suite(2022)], {}, SERVER)
    missing = verdicts_as_dict(verdicts)["2022"]["mobile"]["server"]["missing"]
    assert missing == [
        "Core features",
        "TLS",
        "Feature discovery",
        "Server Extensibility",
        "Stream Management",
        "Client State Indication",
    ]


def test_2022_and_2023_give_identical_verdicts():
    statuses = {
        "RFC 6120": "complete",
        "RFC 7590": "complete",
        "XEP-0030": "complete",
        "XEP-0115": "partial",
        "XEP-0402": "complete",
        "XEP-0411": "complete",
    }
    for profile in (SERVER, CLIENT):
        verdicts = verdicts_as_dict(
            evaluate_suites([catalogue.suite(2022), catalogue.suite(2023)], statuses, profile)
        )
        assert verdicts["2022"] == verdicts["2023"]


def test_2022_replaced_bookmarks_conversion_in_advanced_group_chat():
    statuses = {
        "XEP-0048": "complete",
        "XEP-0313": "complete",
        "XEP-0410": "complete",
        "XEP-0411": "complete",
    }
    feature_2021 = next(
        f for f in catalogue.suite(2021).category("im").features if f.name == "Advanced Group Chat"
    )
    feature_2022 = next(
        f for f in catalogue.suite(2022).category("im").features if f.name == "Advanced Group Chat"
    )
    assert evaluate_feature(feature_2021, "im", "advanced_server", statuses, SERVER).state == MET
    result = evaluate_feature(feature_2022, "im", "advanced_server", statuses, SERVER)
    assert result.state == MISSING
    assert result.lacking == ("XEP-0402",)
