"""The personal data this component declares in its manifest is real: every declared
model, user path and field exists in Django's app registry; the sample hook makes rows
of every declared model for its user alone; and erasing as declared (what the runtime
does: delete, or blank the listed fields) leaves nothing of that user reachable and the
other user's rows as they were."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.module_loading import import_string

MANIFEST = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
QUICKSCALE = MANIFEST["tool"]["quickscale"]
DECLARED = {label: t for label, t in QUICKSCALE.get("models", {}).items() if "user" in t}


def _model(label: str) -> type[models.Model]:
    model: type[models.Model] = apps.get_model(label)
    return model


def _reached(model: type[models.Model], path: str) -> Any:
    """The model at the end of a lookup path ("pk": the model itself)."""
    if path == "pk":
        return model
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    return model


def _blank(model: type[models.Model], name: str) -> Any:
    return None if model._meta.get_field(name).null else ""


def _rows(label: str, user: Any) -> set[Any]:
    """The pks of ``label``'s rows of ``user`` (a user or a user's pk)."""
    found = _model(label)._default_manager.filter(**{DECLARED[label]["user"]: user})
    return set(found.values_list("pk", flat=True))


def _erase_as_declared(user: Any) -> None:
    """The runtime's order: the declarations last to first, then the user row."""
    for label, table in reversed(DECLARED.items()):
        rows = _model(label)._default_manager.filter(pk__in=_rows(label, user))
        if table["erase"] == "delete":
            rows.delete()
        elif table["erase"] == "anonymize":
            rows.update(**{name: _blank(_model(label), name) for name in table["anonymize"]})
    user.delete()


@pytest.mark.parametrize("label", sorted(DECLARED))
def test_declaration_names_real_fields(label: str) -> None:
    table = DECLARED[label]
    model = _model(label)
    assert _reached(model, table["user"]) is get_user_model(), table["user"]
    assert table["description"] and table["erase"] in {"delete", "anonymize", "keep"}
    concrete = {f.name for f in model._meta.concrete_fields}
    assert set(table.get("export", [])) <= concrete
    assert set(table.get("fields", {})) <= concrete
    if table["erase"] == "delete":
        assert "anonymize" not in table and "reason" not in table
    else:
        assert table["reason"]
    for name in table.get("anonymize", []):
        assert table["erase"] == "anonymize" and name in concrete, name
        field = model._meta.get_field(name)
        assert field.null or isinstance(field, models.CharField | models.TextField), name


def test_component_is_declared() -> None:
    assert DECLARED, "no model declares a user: say holds = false instead"
    assert QUICKSCALE["personal-data"].get("holds", True) is True


@pytest.mark.django_db
def test_sample_rows_are_their_users_and_erasure_leaves_the_other_user_alone() -> None:
    sample = import_string(QUICKSCALE["personal-data"]["sample"])
    ann, bob = (
        get_user_model().objects.create_user(username=n, email=f"{n}@example.com", password="x")
        for n in ("ann", "bob")
    )
    sample(ann)
    sample(bob)
    kept: dict[str, set[Any]] = {}
    deleted: dict[str, set[Any]] = {}
    for label, table in DECLARED.items():
        mine, theirs = _rows(label, ann), _rows(label, bob)
        assert mine and theirs and not mine & theirs, label
        # Erasure has something to blank in each row it anonymizes.
        for name in table.get("anonymize", []):
            values = _model(label)._default_manager.filter(pk__in=mine).values_list(name)
            assert all(value for (value,) in values), (label, name)
        (deleted if table["erase"] == "delete" else kept)[label] = mine
    before = {label: _rows(label, bob) for label in DECLARED}

    ann_pk = ann.pk
    _erase_as_declared(ann)

    for label, table in DECLARED.items():
        rows = _model(label)._default_manager
        assert not _rows(label, ann_pk) and _rows(label, bob) == before[label], label
        if label in deleted:  # gone, not merely out of reach through a blanked link
            assert not rows.filter(pk__in=deleted[label]).exists(), label
        else:  # still there, with the declared fields blank
            blank = {name: _blank(_model(label), name) for name in table["anonymize"]}
            assert rows.filter(pk__in=kept[label], **blank).count() == len(kept[label]), label


# --- before_erase: the subscription ends at Stripe (localstripe) ---------------------


@pytest.fixture
def subscribed(plans: Any, stripe_api: Any, webhook: Any, ada: Any) -> dict[str, Any]:
    """ada subscribed to "pro" through Checkout; the subscription as Stripe holds it."""
    from django.core.management import call_command
    from django.test import Client

    call_command("billing_sync", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    client.force_login(ada)
    response = client.post("/billing/subscribe/pro/")
    session, sub = stripe_api.complete_checkout(response["Location"].rsplit("/", 1)[1])
    assert isinstance(sub, dict)
    assert webhook.send("checkout.session.completed", session).status_code == 200
    assert webhook.send("customer.subscription.created", sub).status_code == 200
    return sub


@pytest.mark.django_db
def test_before_erase_cancels_the_subscription_at_stripe_at_once(
    subscribed: dict[str, Any], stripe_api: Any, ada: Any
) -> None:
    from quickscale_modules.billing.models import Subscription

    assert Subscription.objects.get(user=ada).is_live
    assert stripe_api.stored(f"/v1/subscriptions/{subscribed['id']}")["status"] != "canceled"
    before_erase = import_string(QUICKSCALE["personal-data"]["before-erase"])
    before_erase(ada)
    assert stripe_api.stored(f"/v1/subscriptions/{subscribed['id']}")["status"] == "canceled"
    # At once: Stripe's cancel, not an update to cancel at the period's end.
    assert ("DELETE", f"/v1/subscriptions/{subscribed['id']}", {}) in stripe_api.writes


@pytest.mark.django_db
@pytest.mark.parametrize("status", [None, "canceled", "incomplete_expired"])
def test_before_erase_without_a_running_subscription_calls_no_stripe(
    status: str | None, ada: Any, settings: Any
) -> None:
    """No subscription, or one that ended: nothing to cancel (without a Stripe key any
    call would raise BillingError)."""
    from quickscale_modules.billing.models import Subscription

    settings.STRIPE_SECRET_KEY = ""
    if status:
        Subscription.objects.create(
            user=ada, status=status, stripe_customer_id="cus_x", stripe_subscription_id="sub_x"
        )
    import_string(QUICKSCALE["personal-data"]["before-erase"])(ada)
    assert Subscription.objects.filter(user=ada).count() == (1 if status else 0)
