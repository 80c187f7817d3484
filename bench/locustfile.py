"""The load bench_load.py applies (Locust): a realistic mix on a todo + auth project.

- Visitor (1 in 4): the anonymous home page.
- Member (3 in 4): logs in once through the real login form (CSRF, allauth), then
  lists their todo lists, opens one and adds an item to it.
- Home (``--tags home`` style: BENCH_SCENARIO=home): only the anonymous home page, for
  the comparison with a plain Django project serving the same HTML.

The run stops after BENCH_MAX_REQUESTS requests, whatever --run-time says.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from requests import Response

MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
SCENARIO = os.environ.get("BENCH_SCENARIO", "mix")
ACCOUNTS = itertools.cycle(os.environ.get("BENCH_ACCOUNTS", "").split(","))
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_LIST = re.compile(r'href="/todo/(\d+)/"')
_count = itertools.count(1)


_environment: Environment | None = None


@events.init.add_listener
def _keep(environment: Environment, **kwargs: object) -> None:
    global _environment
    _environment = environment


@events.request.add_listener
def _bounded(**kwargs: object) -> None:
    """Stop the run after MAX_REQUESTS requests (from a greenlet of its own)."""
    if next(_count) == MAX_REQUESTS and _environment and _environment.runner:
        gevent.spawn(_environment.runner.quit)


class Visitor(HttpUser):
    weight = 1
    wait_time = between(0, 0)

    @task
    def home(self) -> None:
        self.client.get("/", name="home (anonymous)")


if SCENARIO == "mix":

    class Member(HttpUser):
        weight = 3
        wait_time = between(0, 0)

        def send(self, method: str, url: str, name: str, **kwargs: Any) -> Response:
            """One request; then the cookies it set lose their Secure flag. The site
            marks them Secure (production) and the bench speaks plain HTTP on loopback,
            as behind a TLS-terminating proxy, so a browser's jar would send them."""
            response = self.client.request(method, url, name=name, **kwargs)
            for cookie in self.client.cookies:
                cookie.secure = False
            return response

        def on_start(self) -> None:
            page = self.send("GET", "/accounts/login/", "login page")
            token = _CSRF.search(page.text)
            assert token, page.text[:500]
            form = {"login": next(ACCOUNTS), "password": PASSWORD}
            form["csrfmiddlewaretoken"] = token.group(1)
            login = self.send("POST", "/accounts/login/", "login", data=form)
            lists = self.send("GET", "/todo/", "todo lists")
            assert login.history and lists.url.endswith("/todo/"), "the login failed"
            form_token = _CSRF.search(lists.text)  # the token a browser posts back
            self.csrf = form_token.group(1) if form_token else ""
            found = _LIST.search(lists.text)
            if found is None:
                new = {"title": "Bench", "csrfmiddlewaretoken": self.csrf}
                self.send("POST", "/todo/", "new list", data=new)
                found = _LIST.search(self.send("GET", "/todo/", "todo lists").text)
            assert found, "no todo list"
            self.list_id = found.group(1)

        @task(3)
        def lists(self) -> None:
            self.send("GET", "/todo/", "todo lists")

        @task(3)
        def one_list(self) -> None:
            self.send("GET", f"/todo/{self.list_id}/", "todo list")

        @task(1)
        def add_item(self) -> None:
            self.send(
                "POST",
                f"/todo/{self.list_id}/items/",
                "add item",
                data={"title": "Buy milk", "csrfmiddlewaretoken": self.csrf},
                headers={"HX-Request": "true"},
            )
