"""The site's address comes from configuration (quickscale_core.site), and the deploy
checks refuse what would let the Host header decide it.

The Django part runs in one subprocess with its own settings (core's tests configure
no Django project); each row of the table is one set of settings there.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from quickscale_core.site import parse_site_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("  ", ""),
        ("https://www.acme.com", "https://www.acme.com"),
        ("https://WWW.Acme.com/", "https://www.acme.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_a_site_url_is_kept_as_its_origin(value: str, expected: str) -> None:
    assert parse_site_url(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "www.acme.com",  # no scheme
        "ftp://www.acme.com",
        "https://",
        "https://www.acme.com/app",  # a path: links take theirs from the URLconf
        "https://www.acme.com/?next=x",
        "https://www.acme.com/#top",
        "https://user@www.acme.com",
        "https://www.acme.com:port",
        "https://www.acme.com:0",
        "https://[::1",
    ],
)
def test_anything_but_an_origin_is_refused_naming_the_variable(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"DJANGO_SITE_URL=.* e\.g\. DJANGO_SITE_URL="):
        parse_site_url(value)


PROBE = r"""
import json, sys
import django
from django.conf import settings

settings.configure(SECRET_KEY="x" * 50, DEBUG=False, ALLOWED_HOSTS=[], USE_TZ=True)
django.setup()
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from quickscale_core.security import check_allowed_hosts, check_site_url
from quickscale_core.site import SiteURLMiddleware, site_url

rows = []
for case in json.loads(sys.argv[1]):
    with override_settings(
        DEBUG=case["debug"], ALLOWED_HOSTS=case["hosts"], QUICKSCALE_SITE_URL=case["url"]
    ):
        errors = [e.id for e in check_allowed_hosts() + check_site_url()]
        hints = " ".join(e.hint for e in check_allowed_hosts() + check_site_url())
        try:
            site = SiteURLMiddleware(lambda r: HttpResponse(r.build_absolute_uri("/x/?a=1")))
        except ImproperlyConfigured as error:
            link = f"refused: {error}"
        else:
            request = RequestFactory().get("/", HTTP_HOST=case["host"])
            link = site(request).content.decode()
        rows.append({"site_url": site_url(), "errors": errors, "hints": hints, "link": link})
print(json.dumps(rows))
"""

# (name, DEBUG, ALLOWED_HOSTS, DJANGO_SITE_URL, the request's Host)
# -> (site_url(), deploy check ids, the absolute link a request builds)
CASES = [
    (
        "configured, any port of an allowed host",
        (False, ["www.acme.com", "localhost"], "https://www.acme.com", "localhost:31337"),
        ("https://www.acme.com", [], "https://www.acme.com/x/?a=1"),
    ),
    (
        "configured, wildcard hosts: refused by check --deploy, links still configured",
        (False, ["*"], "https://www.acme.com", "evil.example"),
        ("https://www.acme.com", ["quickscale_core.E002"], "https://www.acme.com/x/?a=1"),
    ),
    (
        "unset: https and the first exact allowed host",
        (False, [".acme.com", "Shop.Acme.com", "localhost"], "", "localhost:1"),
        ("https://shop.acme.com", [], "https://shop.acme.com/x/?a=1"),
    ),
    (
        "unset, wildcard only: no address, the site refuses to start",
        (False, ["*"], "", "evil.example"),
        (None, ["quickscale_core.E002", "quickscale_core.E003"], "refused"),
    ),
    (
        "configured but not an allowed host: every link would get 400",
        (False, ["localhost"], "https://www.acme.com", "localhost"),
        ("https://www.acme.com", ["quickscale_core.E003"], "https://www.acme.com/x/?a=1"),
    ),
    (
        "development, unset: the development server's own address",
        (True, ["localhost"], "", "localhost:8123"),
        (None, [], "http://localhost:8123/x/?a=1"),
    ),
    (
        "development, configured: the configured one",
        (True, ["localhost"], "http://localhost:8000", "localhost:8123"),
        ("http://localhost:8000", [], "http://localhost:8000/x/?a=1"),
    ),
]


@pytest.fixture(scope="module")
def probed() -> list[dict[str, object]]:
    cases = [
        {"debug": debug, "hosts": hosts, "url": url, "host": host}
        for _, (debug, hosts, url, host), _ in CASES
    ]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


@pytest.mark.parametrize(
    ("index", "expected"), [(i, c[2]) for i, c in enumerate(CASES)], ids=[c[0] for c in CASES]
)
def test_links_and_deploy_checks_follow_the_configured_address(
    probed: list[dict[str, object]], index: int, expected: tuple[str | None, list[str], str]
) -> None:
    row = probed[index]
    site, errors, link = expected
    assert (row["site_url"], row["errors"]) == (site, errors)
    assert str(row["link"]).startswith(link), row["link"]
    if errors:  # each error names its fix
        assert "DJANGO_" in str(row["hints"])
    if link == "refused":
        assert "set DJANGO_SITE_URL" in str(row["link"])
