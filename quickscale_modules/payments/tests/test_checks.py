"""Settings from the environment, and the system checks that guard them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from quickscale_modules.payments.settings import stripe_settings

pytestmark = pytest.mark.django_db  # dj-stripe's own checks read its tables

TEST_KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_51QuickScaleModuleTests000000",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_51QuickScaleModuleTests000000",
    "STRIPE_WEBHOOK_SECRET": "whsec_quickscale_tests",
}


def _deploy_check() -> str:
    try:
        call_command("check", "--deploy", "--tag", "security")
    except SystemCheckError as error:
        return str(error)
    return ""


@override_settings(DEBUG=False, STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET="")
def test_missing_keys_with_debug_off_fail_check_deploy_naming_them() -> None:
    message = _deploy_check()
    assert "quickscale_payments.E001" in message
    assert "Stripe needs STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET when DEBUG is off" in message


@override_settings(DEBUG=False, **TEST_KEYS)
def test_all_keys_set_pass_check_deploy() -> None:
    assert "quickscale_payments" not in _deploy_check()


@override_settings(DEBUG=False, STRIPE_PUBLISHABLE_KEY="sk_test_51Oops000000000000000000000")
def test_a_key_in_the_wrong_place_is_an_error() -> None:
    assert "quickscale_payments.E002" in _deploy_check()


@override_settings(DEBUG=False, STRIPE_SECRET_KEY="sk_live_51QuickScaleModuleTests000000")
def test_a_live_secret_key_with_a_test_publishable_key_is_an_error() -> None:
    assert "quickscale_payments.E003" in _deploy_check()


@override_settings(DEBUG=True, STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET="")
def test_missing_keys_in_development_are_fine() -> None:
    assert "quickscale_payments" not in _deploy_check()


@override_settings(DEBUG=True, STRIPE_SECRET_KEY="sk_live_51QuickScaleModuleTests000000")
def test_a_live_key_while_debugging_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("check")  # warnings do not fail the command...
    assert "quickscale_payments.W001" in capsys.readouterr().err
    with pytest.raises(SystemCheckError, match="charge real cards"):
        call_command("check", "--fail-level", "WARNING")  # ...unless asked to


def test_settings_come_from_the_environment() -> None:
    built = stripe_settings({**TEST_KEYS, "STRIPE_SECRET_KEY": " sk_live_abc "})
    assert built["STRIPE_SECRET_KEY"] == "sk_live_abc" and built["STRIPE_LIVE_MODE"] is True
    assert built["DJSTRIPE_FOREIGN_KEY_TO_FIELD"] == "id"
    assert "STRIPE_API_HOST" not in built  # only a local fake sets it
    assert stripe_settings({"STRIPE_API_HOST": "http://127.0.0.1:8420/"})["STRIPE_API_HOST"] == (
        "http://127.0.0.1:8420"
    )
    assert stripe_settings({})["STRIPE_SECRET_KEY"] == ""
