"""Multi-factor authentication: TOTP with recovery codes, the staff rule on the admin.

The settings helpers are checked here; INSTALLED_APPS is fixed at start-up, so the
outer test re-runs this file in a pytest subprocess with settings_mfa (MFA on, the
strict CSP), where the inner tests walk the pages in Chromium and through the test
client.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import axe_findings, launched, watch_csp
from conftest import require
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from quickscale_testing.modules import unavailable

from quickscale_modules.auth import conf, mfa

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO = PACKAGE_DIR.parent.parent
INNER = os.environ.get("DJANGO_SETTINGS_MODULE") == "settings_mfa"
# Deselected (not skipped) by conftest.py outside the MFA-enabled subprocess.
inner_only = pytest.mark.mfa_inner
INNER_TESTS = 9  # each must pass, none skipped
INNER_ARGS = ["--ds=settings_mfa", "-m", "mfa_inner", "tests/test_mfa.py"]

PASSWORD = "correct-horse-battery-9"
EMAIL = "ada@example.com"


@pytest.mark.skipif(INNER, reason="outer driver")
def test_mfa_enabled_suite_passes() -> None:
    require("pyotp", "the TOTP walk computes codes with pyotp")
    require("qrcode", "allauth.mfa needs django-allauth[mfa]")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *INNER_ARGS],
        cwd=PACKAGE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings_mfa"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(rf"\b{INNER_TESTS} passed\b", result.stdout), result.stdout[-2000:]


@pytest.mark.parametrize(
    ("factors", "types", "passkeys"),
    [
        ([], None, None),
        (["totp"], ["totp", "recovery_codes"], False),
        (["webauthn"], ["webauthn", "recovery_codes"], True),
        (["webauthn", "totp"], ["totp", "webauthn", "recovery_codes"], True),
    ],
)
def test_mfa_settings_per_factor(factors: list[str], types: Any, passkeys: Any) -> None:
    """Recovery codes come with any factor; passkey login with WebAuthn; no factor, no
    MFA_* setting at all (a project that leaves MFA off is unchanged)."""
    values = mfa.mfa_settings(factors, "Acme")
    assert values.get("MFA_SUPPORTED_TYPES") == types
    assert values.get("MFA_PASSKEY_LOGIN_ENABLED") == passkeys
    if factors:
        assert values["MFA_TOTP_ISSUER"] == "Acme"
        assert values["MFA_ADAPTER"] == "quickscale_modules.auth.mfa_adapter.MFAAdapter"


@pytest.mark.parametrize(
    ("options", "written", "app", "middleware"),
    [
        ({}, {}, False, False),
        ({"mfa": [], "mfa_required": "nobody"}, {}, False, False),
        ({"mfa": ["totp"]}, {"QUICKSCALE_AUTH_MFA": '["totp"]'}, True, False),
        ({"mfa_required": "staff"}, {"QUICKSCALE_AUTH_MFA_REQUIRED": '"staff"'}, True, True),
    ],
)
def test_the_mfa_options_change_a_project_only_when_on(
    options: dict[str, Any], written: dict[str, str], app: bool, middleware: bool
) -> None:
    """Off (the defaults) a generated project's settings.py is as without MFA; on, it
    gains the setting, allauth.mfa and, for staff, the middleware right after allauth's;
    requirements.txt gains the packages allauth.mfa needs."""
    from quickscale_toolchain.catalog import Entry
    from quickscale_toolchain.generator import settings_model
    from quickscale_toolchain.generator.wiring import Wiring
    from quickscale_toolchain.manifest import MANIFEST_FILE, parse_manifest

    assert settings_model.component_assignments(PACKAGE_DIR, **options) == {
        "LOGIN_URL": '"account_login"',
        **written,
    }
    path = PACKAGE_DIR / MANIFEST_FILE
    manifest = parse_manifest(path.read_text(encoding="utf-8"), str(path))
    entries = settings_model.switched_on([Entry(manifest)], {"auth": options})
    apps = [item.code for item in settings_model.installed_apps(entries, "acme")]
    assert ('"allauth.mfa"' in apps) is app
    names = [item.code for item in settings_model.middleware(entries)]
    staff = '"quickscale_modules.auth.mfa.StaffMFAMiddleware"'
    allauths = '"allauth.account.middleware.AccountMiddleware"'
    assert (staff in names) is middleware
    if middleware:
        assert names.index(staff) == names.index(allauths) + 1
    wiring = Wiring(entries=(Entry(manifest),), providers={}, options={"auth": options})
    pinned = [line for line in wiring.requirement_lines() if line.startswith(("qrcode", "fido2"))]
    assert pinned == (["qrcode==8.2", "fido2==2.2.1"] if app else [])


@pytest.mark.parametrize(
    ("entry", "errors"),
    [
        ("mfa: [totp, webauthn]\n    mfa_required: staff", []),
        (
            "mfa: [totp, sms]",
            [
                "quickscale.yml:6:17: error: modules.auth.mfa[1]: 'sms' is not a valid value "
                "for 'mfa' — allowed: 'totp', 'webauthn'"
            ],
        ),
        (
            "mfa_required: admins",
            [
                "quickscale.yml:6:19: error: modules.auth.mfa_required: 'admins' is not a valid "
                "value for 'mfa_required' — allowed: 'nobody', 'staff'"
            ],
        ),
    ],
)
def test_quickscale_validate_locates_a_bad_mfa_option(
    tmp_path: Path, entry: str, errors: list[str]
) -> None:
    """The real CLI on a project's quickscale.yml: one located line per bad value."""
    cli = Path(sys.executable).parent / "quickscale"
    if not cli.exists():
        unavailable(f"{cli} is not installed (the quickscale CLI)")
    (tmp_path / "quickscale.yml").write_text(
        f"schema_version: 2\nproject:\n  name: acme\nmodules:\n  auth:\n    {entry}\n"
    )
    done = subprocess.run(
        [str(cli), "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    found = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert (done.returncode, found) == (1 if errors else 0, errors), done.stderr


@pytest.mark.parametrize(
    ("factors", "required", "error"),
    [
        (["sms"], "nobody", "mfa lists 'sms'; choose from totp, webauthn"),
        (["totp"], "admins", "mfa_required must be one of nobody, staff, got 'admins'"),
    ],
)
def test_bad_mfa_settings_are_refused_in_one_line(
    factors: list[str], required: str, error: str
) -> None:
    class Settings:
        DEBUG = False
        QUICKSCALE_AUTH_MFA = factors
        QUICKSCALE_AUTH_MFA_REQUIRED = required

    with pytest.raises(ImproperlyConfigured, match=re.escape(error)):
        conf.defaults(Settings())


def test_mfa_required_staff_alone_turns_totp_on() -> None:
    """Staff need a factor they can add: the option alone offers TOTP."""

    class Settings:
        DEBUG = False
        QUICKSCALE_AUTH_MFA_REQUIRED = "staff"

    assert conf.defaults(Settings())["MFA_SUPPORTED_TYPES"] == ["totp", "recovery_codes"]


@pytest.mark.parametrize("debug", [False, True])
def test_webauthn_never_accepts_an_insecure_origin(debug: bool) -> None:
    """allauth's MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN accepts any origin: no default of the
    module sets it, and no file the module or core ships names it (core's settings and
    the templates of a project's settings.py among them); http://localhost works
    without it."""

    class Settings:
        DEBUG = debug
        QUICKSCALE_AUTH_MFA = ["totp", "webauthn"]

    assert not [k for k in conf.defaults(Settings()) if "INSECURE" in k]
    text = {".py", ".j2", ".html", ".toml", ".json", ".txt", ".cfg", ".yml", ".yaml", ".env"}
    roots = [PACKAGE_DIR / "src", PACKAGE_DIR / "generate", REPO / "quickscale_core" / "src"]
    shipped = [p for root in roots for p in root.rglob("*") if p.suffix in text]
    assert any(p.name == "settings.py.j2" for p in shipped)  # a project's settings template
    naming = [p for p in shipped if "ALLOW_INSECURE_ORIGIN" in p.read_text(encoding="utf-8")]
    assert naming == []


@inner_only
def test_inner_the_totp_qr_code_is_inline_svg_with_a_text_alternative() -> None:
    """No data: URI (the CSP's img-src stays 'self'), dark modules on white."""
    from quickscale_modules.auth.mfa_adapter import MFAAdapter

    svg = MFAAdapter().build_totp_svg("otpauth://totp/Acme:ada?secret=JBSWY3DPEHPK3PXP")
    assert svg.startswith('<svg role="img" aria-label="QR code of the authenticator secret"')
    assert "data:" not in svg and "<?xml" not in svg
    assert '<rect fill="white"' in svg


# --- inner: MFA on (settings_mfa) -------------------------------------------------------


def _user(*, staff: bool) -> Any:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=EMAIL.split("@")[0], email=EMAIL, password=PASSWORD, is_staff=staff
    )
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    return user


@inner_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("staff", "with_totp", "required", "admin_status"),
    [
        (True, False, "staff", 302),  # refused: sent to add a second factor
        (True, True, "staff", 200),
        (True, False, "nobody", 200),
        (False, False, "staff", 302),  # not staff: the admin's own login, as ever
    ],
)
def test_inner_staff_rule_on_the_admin(
    client: Client, settings: Any, staff: bool, with_totp: bool, required: str, admin_status: int
) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    settings.QUICKSCALE_AUTH_MFA_REQUIRED = required
    user = _user(staff=staff)
    if with_totp:
        TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == admin_status
    if staff and admin_status == 302:
        assert response["Location"] == "/accounts/2fa/"
        page = client.get(response["Location"]).content.decode()
        assert "Staff accounts need two-factor authentication to use the admin." in page
    assert client.get("/accounts/profile/").status_code == 200  # the rest of the site stays


@inner_only
@pytest.mark.django_db
def test_inner_wrong_codes_count_as_failed_logins(client: Client) -> None:
    """The second step is rate-limited like the password: after the account's allowance
    of failed logins (5 per 5 minutes) even the right code is refused."""
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(_user(staff=False), secret)
    stage = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert stage["Location"] == "/accounts/2fa/authenticate/"
    totp = pyotp.TOTP(secret)
    right = totp.now()
    accepted = {totp.at(time.time() + step) for step in (-30, 0, 30)}  # the tolerance
    wrong = next(code for code in ("000000", "111111", "222222") if code not in accepted)
    for _ in range(5):
        page = client.post("/accounts/2fa/authenticate/", {"code": wrong}).content.decode()
        assert "Incorrect code." in page
    page = client.post("/accounts/2fa/authenticate/", {"code": right}).content.decode()
    assert "Too many failed login attempts" in page
    assert "_auth_user_id" not in client.session


@inner_only
@pytest.mark.django_db
def test_inner_deleting_the_account_re_authenticates_by_the_second_factor(
    client: Client, settings: Any
) -> None:
    """With a second factor, allauth offers it beside the password to re-authenticate;
    the code alone does, and the waiting POST (the typed address with it) erases."""
    import pyotp
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    settings.QUICKSCALE_PERSONAL_DATA = {
        "core": {
            "models": {
                label: {"user": user, "description": label, "erase": "delete"}
                for label, user in [("qs_auth_testapp.User", "pk"), ("mfa.Authenticator", "user")]
            }
        }
    }
    secret = generate_totp_secret()
    TOTP.activate(_user(staff=False), secret)
    totp = pyotp.TOTP(secret)
    client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp.now()})
    asked = client.post("/accounts/delete/", {"confirmation": EMAIL})
    assert asked.status_code == 302
    offered = client.get(asked["Location"]).content.decode()
    assert "Use authenticator app or code" in offered
    by_code = f"{reverse('mfa_reauthenticate')}?next=%2Faccounts%2Fdelete%2F"
    # The next step's code: allauth takes each code once (the tolerance allows it).
    response = client.post(by_code, {"code": totp.at(time.time() + 30)})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def page() -> Iterator[Any]:
    with launched() as browser:
        tab = browser.new_context().new_page()
        tab.set_default_timeout(15_000)
        tab.csp_violations = []
        watch_csp(tab, tab.csp_violations)
        yield tab


@inner_only
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inner_totp_and_recovery_codes_in_chromium(
    page: Any, live_server: Any, artifacts_dir: Path
) -> None:
    """A staff user is refused the admin until they enrol TOTP (the code computed from the
    secret the page shows); then logs in with a TOTP code, then with a recovery code,
    which works once. No page breaks the CSP; axe finds nothing serious."""
    import pyotp
    from playwright.sync_api import expect

    _user(staff=True)
    base = live_server.url
    findings: list[str] = []

    def shots(name: str) -> None:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(artifacts_dir / f"mfa-{name}-{scheme}.png"), full_page=True)
        page.emulate_media(color_scheme="light")

    def log_in(next_url: str = "") -> None:
        page.goto(f"{base}/accounts/login/{next_url}")
        page.get_by_label("Email:", exact=True).fill(EMAIL)
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()

    def log_out() -> None:
        page.goto(f"{base}/accounts/logout/")
        page.get_by_role("main").get_by_role("button", name="Log out", exact=True).click()

    # Refused the admin, at its login too: sent to add a second factor.
    log_in("?next=/admin/")
    expect(page).to_have_url(f"{base}/accounts/2fa/")
    expect(page.get_by_text("Staff accounts need two-factor authentication")).to_be_visible()
    shots("staff-refused")
    page.goto(f"{base}/admin/")
    expect(page).to_have_url(f"{base}/accounts/2fa/")

    # Enrol: the QR code is inline SVG; the code comes from the secret shown.
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a factor is added.
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("img", name="QR code of the authenticator secret")).to_be_visible()
    findings += axe_findings(page)
    shots("totp-activate")
    secret = page.get_by_test_id("totp-secret").input_value()
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(f"{base}/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    shots("recovery-codes")
    findings += axe_findings(page)
    page.goto(f"{base}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    log_out()

    # Log in with a TOTP code.
    log_in()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    findings += axe_findings(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    log_out()

    # Log in with a recovery code; the same code a second time is refused.
    for attempt in ("first", "again"):
        log_in()
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Sign In").click()
        if attempt == "first":
            expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
            log_out()
        else:
            expect(page.get_by_text("Incorrect code.")).to_be_visible()
            assert axe_findings(page) == []  # the error is tied to its field

    assert findings == []
    assert page.csp_violations == []


@inner_only
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inner_security_key_and_passkey_login_in_chromium(page: Any, live_server: Any) -> None:
    """Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain) stands in
    for a security key on http://localhost: add it as a passkey, log in with the password
    and the key, then with the passkey alone. allauth's WebAuthn script is a static file:
    no page breaks the CSP; axe finds nothing serious."""
    from django.contrib.auth import get_user_model
    from playwright.sync_api import expect

    assert live_server.url.startswith("http://localhost:")  # a host name: the RP id
    _user(staff=False)
    base = live_server.url
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    findings: list[str] = []

    def log_in_with_password() -> None:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email:", exact=True).fill(EMAIL)
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Log in", exact=True).click()

    def log_out() -> None:
        page.goto(f"{base}/accounts/logout/")
        page.get_by_role("main").get_by_role("button", name="Log out", exact=True).click()

    # Add the key, as a passkey.
    log_in_with_password()
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)  # allauth's Confirm Access
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    findings += axe_findings(page)
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(f"{base}/accounts/2fa/recovery-codes/")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert [c["isResidentCredential"] for c in credentials["credentials"]] == [True]
    user = get_user_model().objects.get(email=EMAIL)
    assert [a.wrap().name for a in user.authenticator_set.filter(type="webauthn")] == ["Laptop"]
    log_out()

    # Password, then the key as second factor.
    log_in_with_password()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    findings += axe_findings(page)
    page.get_by_role("button", name="Use a security key").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    log_out()

    # The passkey alone: no email, no password.
    page.goto(f"{base}/accounts/login/")
    findings += axe_findings(page)
    page.get_by_role("button", name="Log in with a passkey").click()
    expect(page.get_by_role("heading", name="Account", exact=True)).to_be_visible()
    expect(page.get_by_test_id("account-email")).to_have_text(EMAIL)

    assert findings == []
    assert page.csp_violations == []
