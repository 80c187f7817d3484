"""email_settings(): provider selection, credentials from env, clear errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from quickscale_modules.notifications.providers import PROVIDER_NAMES, PROVIDERS, env_vars
from quickscale_modules.notifications.settings import (
    CONSOLE_BACKEND,
    SMTP_BACKEND,
    email_settings,
)


def test_sendgrid_is_the_default_and_reads_its_key_from_env() -> None:
    result = email_settings(env={"SENDGRID_API_KEY": "SG.abc"}, debug=False)
    assert result["EMAIL_BACKEND"] == "anymail.backends.sendgrid.EmailBackend"
    assert result["ANYMAIL"] == {"SENDGRID_API_KEY": "SG.abc"}


def test_missing_credential_in_production_names_the_env_var() -> None:
    with pytest.raises(ImproperlyConfigured) as err:
        email_settings("sendgrid", env={}, debug=False)
    message = str(err.value)
    assert "SENDGRID_API_KEY" in message
    assert "set it" in message


def test_every_missing_credential_is_named_at_once() -> None:
    with pytest.raises(ImproperlyConfigured) as err:
        email_settings("mailjet", env={"MAILJET_API_KEY": ""}, debug=False)
    assert "MAILJET_API_KEY and MAILJET_SECRET_KEY" in str(err.value)


def test_debug_uses_console_without_credentials() -> None:
    result = email_settings("postmark", env={}, debug=True)
    assert result == {"EMAIL_BACKEND": CONSOLE_BACKEND}


def test_optional_settings_pass_through_only_when_set() -> None:
    env = {"MAILGUN_API_KEY": "key-1", "MAILGUN_API_URL": "https://api.eu.example/v3"}
    result = email_settings("mailgun", env=env, debug=False)
    assert result["ANYMAIL"] == {
        "MAILGUN_API_KEY": "key-1",
        "MAILGUN_API_URL": "https://api.eu.example/v3",
    }


def test_smtp_option_for_local_testing() -> None:
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": "1025", "EMAIL_USE_TLS": "false"}
    result = email_settings("smtp", env=env, debug=True)
    assert result["EMAIL_BACKEND"] == SMTP_BACKEND
    assert result["EMAIL_HOST"] == "127.0.0.1"
    assert result["EMAIL_PORT"] == 1025
    assert result["EMAIL_USE_TLS"] is False


def test_bad_smtp_port_is_a_clear_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a number"):
        email_settings("smtp", env={"EMAIL_PORT": "twenty-five"})


def test_email_provider_env_var_overrides_configured_provider() -> None:
    env = {"EMAIL_PROVIDER": "smtp", "EMAIL_HOST": "mail.local"}
    result = email_settings("sendgrid", env=env, debug=False)
    assert result["EMAIL_BACKEND"] == SMTP_BACKEND
    assert result["EMAIL_HOST"] == "mail.local"


def test_unknown_provider_lists_the_valid_ones() -> None:
    with pytest.raises(ImproperlyConfigured) as err:
        email_settings("carrier-pigeon", env={}, debug=False)
    assert "carrier-pigeon" in str(err.value)
    assert "sendgrid" in str(err.value) and "smtp" in str(err.value)


def test_from_addresses_come_from_env() -> None:
    env = {"DEFAULT_FROM_EMAIL": "hi@acme.test", "SERVER_EMAIL": "ops@acme.test"}
    result = email_settings("console", env=env)
    assert result["DEFAULT_FROM_EMAIL"] == "hi@acme.test"
    assert result["SERVER_EMAIL"] == "ops@acme.test"


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_every_provider_backend_imports_and_accepts_its_settings(name: str) -> None:
    """Each mapped backend path is a real anymail class configured by the env we produce."""
    from django.test import override_settings
    from django.utils.module_loading import import_string

    spec = PROVIDERS[name]
    env = {var: f"value-for-{var.lower()}" for var in spec.required}
    for var in spec.required:
        if var.endswith("_API_URL"):
            env[var] = "https://esp.example/api/"
    config = email_settings(name, env=env, debug=False)
    backend_class = import_string(config["EMAIL_BACKEND"])
    with override_settings(ANYMAIL=config["ANYMAIL"]):
        backend_class()  # raises AnymailConfigurationError if a required setting is missing
    assert set(env_vars(name)) >= set(spec.required)


def test_provider_names_cover_console_and_smtp() -> None:
    assert {"console", "smtp", "sendgrid"} <= set(PROVIDER_NAMES)


def test_provider_table_imports_without_django() -> None:
    """The generator (which must not import Django) reads names and env vars from it."""
    import subprocess
    import sys
    from pathlib import Path

    src = Path(__file__).resolve().parent.parent / "src"
    code = (
        f"import sys; sys.path.insert(0, {str(src)!r}); "
        "from quickscale_modules.notifications import providers as p; "
        "print(p.DEFAULT_PROVIDER, ' '.join(p.env_vars('mailjet')), 'django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "sendgrid",
        "MAILJET_API_KEY",
        "MAILJET_SECRET_KEY",
        "MAILJET_API_URL",
        "False",
    ]
