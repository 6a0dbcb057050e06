"""Project-wide guarantees: migrations match the models, configuration refuses bad values."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from tierdesk.config import ConfigurationError, env_bool, env_int


@pytest.mark.django_db
def test_no_model_change_ships_without_its_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_bad_configuration_values_are_refused_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("TIERDESK_PORT", "eighty")
    with pytest.raises(ConfigurationError, match="TIERDESK_PORT"):
        env_int("PORT", 8000)
    monkeypatch.setenv("TIERDESK_DEBUG", "maybe")
    with pytest.raises(ConfigurationError, match="TIERDESK_DEBUG"):
        env_bool("DEBUG", False)


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    from tierdesk.config import env_str

    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("TIERDESK_SECRET_KEY", raising=False)
    monkeypatch.setenv("TIERDESK_SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "s3cret"


def test_tierdesk_refuses_to_start_on_a_bad_setting(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tierdesk.cli", "check"],
        env={"TIERDESK_DATA_DIR": str(tmp_path), "TIERDESK_PORT": "99999", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "TIERDESK_PORT must be at most 65535" in result.stderr


def test_shared_database_without_a_secret_key_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tierdesk.cli", "check"],
        env={
            "TIERDESK_DATA_DIR": str(tmp_path),
            "TIERDESK_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "TIERDESK_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("command", ["run", "worker", "migrate", "demo", "createagent", "token"])
def test_every_operator_command_explains_itself(command, capsys):
    from django.core.management import load_command_class

    app = (
        "django.core"
        if command == "migrate"
        else ("tierdesk.accounts" if command in ("createagent", "token") else "tierdesk.operations")
    )
    help_text = load_command_class(app, command).help
    assert len(help_text) > 40
    with pytest.raises(SystemExit) as exited:
        call_command(command, "--help")
    assert exited.value.code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("usage:")
    assert " ".join(help_text.split())[:30] in " ".join(printed.split())
