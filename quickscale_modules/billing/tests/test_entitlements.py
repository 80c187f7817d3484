"""Entitlements: default plan, per-request cache, the decorator and the template tags."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from quickscale_modules.billing.models import Plan, Subscription

from quickscale_modules.billing import services

pytestmark = pytest.mark.django_db


def _subscribe(user: Any, key: str, status: str = "active") -> Subscription:
    return Subscription.objects.create(user=user, plan=Plan.objects.get(key=key), status=status)


def test_a_user_without_a_subscription_has_the_default_plan(plans: Any, ada: Any) -> None:
    assert services.current_plan(ada).key == "free"
    assert services.has_entitlement(ada, "todo.lists")
    assert services.entitlement_limit(ada, "todo.lists") == 3
    assert not services.has_entitlement(ada, "reports.export")
    assert services.entitlement_limit(ada, "reports.export") == 0
    assert services.within_limit(ada, "todo.lists", 2) and not services.within_limit(
        ada, "todo.lists", 3
    )
    assert services.entitlement_limit(AnonymousUser(), "todo.lists") == 3


@pytest.mark.parametrize(
    ("status", "plan"),
    [
        ("trialing", "pro"),
        ("active", "pro"),
        ("past_due", "pro"),
        ("canceled", "free"),
        ("incomplete", "free"),
        ("unpaid", "free"),
        ("incomplete_expired", "free"),
    ],
)
def test_only_a_live_subscription_grants_its_plan(
    plans: Any, ada: Any, status: str, plan: str
) -> None:
    _subscribe(ada, "pro", status)
    assert services.current_plan(ada).key == plan


def test_answers_are_cached_for_one_request_only(plans: Any, ada: Any) -> None:
    client = Client()
    client.force_login(ada)
    with CaptureQueriesContext(connection) as first:
        services.entitlement_limit(ada, "todo.lists")
    with CaptureQueriesContext(connection) as again:
        services.has_entitlement(ada, "todo.lists")
        services.entitlement_limit(ada, "reports.export")
    assert len(first) > 0 and len(again) == 0  # the same user object: cached
    assert client.get("/export/").status_code == 403
    _subscribe(ada, "pro")
    assert client.get("/export/").content == b"exported"  # the next request sees it
    services.forget(ada)
    assert services.has_entitlement(ada, "reports.export")


def test_the_decorator_refuses_with_an_upgrade_link(plans: Any, ada: Any) -> None:
    client = Client()
    client.force_login(ada)
    response = client.get("/export/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'href="/billing/"' in page and "Pro" in page and "Team" in page


def test_the_template_tags(plans: Any, ada: Any) -> None:
    template = Template(
        '{% load billing %}{% has_entitlement "reports.export" as ok %}'
        '{% entitlement_limit "todo.lists" as n %}{{ ok }}/{{ n }}'
    )
    request = RequestFactory().get("/")
    request.user = ada
    assert template.render(Context({"request": request})) == "False/3"
    _subscribe(ada, "team")
    request.user = type(ada).objects.get(pk=ada.pk)
    assert template.render(Context({"request": request})) == "True/None"


def test_the_pricing_page_lists_the_plans_for_anyone(plans: Any) -> None:
    page = Client().get("/billing/").content.decode()
    assert "Free" in page and "€9.00 a month" in page and "14-day free trial" in page
    assert (
        "€99.00 a year" in page and "todo.lists: up to 3" in page and "Log in to subscribe" in page
    )


def test_my_subscription_without_one_shows_the_free_plan(plans: Any, ada: Any) -> None:
    client = Client()
    client.force_login(ada)
    assert "You are on the Free plan." in client.get("/billing/subscription/").content.decode()
    assert client.post("/billing/subscribe/nope/").status_code == 404
    response = client.post("/billing/subscribe/free/", follow=True)
    assert "cannot be subscribed to" in response.content.decode()


def test_loading_plans_is_idempotent_and_retires_removed_plans(plans: Any) -> None:
    from quickscale_modules.billing import plans as billing_plans

    specs = billing_plans.configured()
    billing_plans.load(specs)
    assert Plan.objects.count() == 3
    billing_plans.load([s for s in specs if s.key != "team"])
    assert not Plan.objects.get(key="team").active
    assert Plan.objects.get(key="free").entitlements.get(key="todo.lists").limit == 3


def test_a_feature_no_plan_names_is_not_gated(plans: Any) -> None:
    assert services.is_gated("todo.lists") and services.is_gated("team.seats")
    assert not services.is_gated("todo.items")
