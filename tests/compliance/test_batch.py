"""The bulk commands (compliance/management/batch.py): every system check but the web site's."""

import pytest
from django.core.checks import Tags
from django.core.management import call_command, load_command_class
from django.core.management.base import SystemCheckError

COMMANDS = {
    "import_doap": ["tests/compliance/doap/files/none.doap"],
    "sync_registry": ["--url", "http://192.0.2.1/software.json"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_it_runs_the_checks_of_the_settings_and_models_but_not_of_the_web_site(command):
    tags = set(load_command_class("compliance", command).requires_system_checks)
    assert {"dashboard", Tags.models, Tags.caches, Tags.security} <= tags
    assert not {Tags.admin, Tags.templates, Tags.urls} & tags


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_it_refuses_to_run_on_unsafe_settings(settings, command):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    with pytest.raises(SystemCheckError, match="dashboard.E001"):
        call_command(command, *COMMANDS[command], skip_checks=False)
