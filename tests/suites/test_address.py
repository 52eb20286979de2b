"""A suite cell addressed by URL parts: slugs, names, roles. Pure."""

import pytest

from suites.address import NotFound, cell_label, level_slug, resolve, roles_at


def test_a_verdict_is_named_with_its_year_category_level_and_role():
    assert cell_label(2022, "im", "advanced_server") == "XMPP 2022 · IM · Advanced Server"
    assert (
        cell_label(2021, "av", "client", "library") == "XMPP 2021 · A/V Calling · Client (library)"
    )


def test_url_parts_resolve_to_a_cell_or_say_which_part_is_unknown():
    suite, category, level = resolve(2023, "im", "advanced-client")
    assert (suite.year, category, level) == (2023, "im", "advanced_client")
    assert level_slug(level) == "advanced-client"
    with pytest.raises(NotFound, match="no compliance suite for 2018"):
        resolve(2018, "im", "client")
    with pytest.raises(NotFound, match="no category 'chat'"):
        resolve(2023, "chat", "client")
    with pytest.raises(NotFound, match="no level 'advanced_client'"):
        resolve(2023, "im", "advanced_client")


def test_levels_judge_servers_or_clients_and_libraries():
    assert roles_at("advanced_server") == ["server"]
    assert roles_at("client") == ["client", "library"]
