"""The email providers the notifications module can select, as plain data.

Kept free of Django imports so the QuickScale generator (which must not import
Django) can read provider names and their environment variables to write
`.env.example` and validate `quickscale.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_PROVIDER = "sendgrid"

#: Providers that do not go through anymail.
CONSOLE = "console"
SMTP = "smtp"


@dataclass(frozen=True)
class Provider:
    """One anymail ESP: its backend and how its ANYMAIL settings come from the environment.

    `required` and `optional` map an environment variable to the ANYMAIL setting key it
    fills; the variable names equal anymail's own setting names so provider docs apply.
    """

    name: str
    backend: str
    required: dict[str, str]
    optional: dict[str, str] = field(default_factory=dict)


def _esp(
    name: str, module: str, required: list[str], optional: list[str] | None = None
) -> Provider:
    return Provider(
        name=name,
        backend=f"anymail.backends.{module}.EmailBackend",
        required={var: var for var in required},
        optional={var: var for var in optional or []},
    )


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        _esp("sendgrid", "sendgrid", ["SENDGRID_API_KEY"], ["SENDGRID_API_URL"]),
        _esp(
            "mailgun",
            "mailgun",
            ["MAILGUN_API_KEY"],
            ["MAILGUN_SENDER_DOMAIN", "MAILGUN_API_URL"],
        ),
        _esp(
            "postmark",
            "postmark",
            ["POSTMARK_SERVER_TOKEN"],
            ["POSTMARK_MESSAGE_STREAM", "POSTMARK_API_URL"],
        ),
        _esp("brevo", "brevo", ["BREVO_API_KEY"], ["BREVO_API_URL"]),
        _esp(
            "mailjet",
            "mailjet",
            ["MAILJET_API_KEY", "MAILJET_SECRET_KEY"],
            ["MAILJET_API_URL"],
        ),
        _esp("mandrill", "mandrill", ["MANDRILL_API_KEY"], ["MANDRILL_API_URL"]),
        _esp("mailersend", "mailersend", ["MAILERSEND_API_TOKEN"], ["MAILERSEND_API_URL"]),
        _esp(
            "mailtrap",
            "mailtrap",
            ["MAILTRAP_API_TOKEN"],
            ["MAILTRAP_SANDBOX_ID", "MAILTRAP_API_URL"],
        ),
        _esp("postal", "postal", ["POSTAL_API_KEY", "POSTAL_API_URL"]),
        _esp("resend", "resend", ["RESEND_API_KEY"], ["RESEND_API_URL"]),
        _esp(
            "scaleway",
            "scaleway",
            ["SCALEWAY_SECRET_KEY", "SCALEWAY_PROJECT_ID"],
            ["SCALEWAY_REGION", "SCALEWAY_API_URL"],
        ),
        _esp(
            "sparkpost",
            "sparkpost",
            ["SPARKPOST_API_KEY"],
            ["SPARKPOST_SUBACCOUNT", "SPARKPOST_API_URL"],
        ),
        _esp(
            "unisender_go",
            "unisender_go",
            ["UNISENDER_GO_API_KEY", "UNISENDER_GO_API_URL"],
        ),
    )
}

#: Environment variables of the SMTP option (Django's own setting names).
SMTP_ENV = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS")

#: Every value `provider` may take in quickscale.yml.
PROVIDER_NAMES: tuple[str, ...] = (*sorted(PROVIDERS), CONSOLE, SMTP)


def env_vars(provider: str) -> tuple[str, ...]:
    """Environment variables a provider reads, required first (for `.env.example`)."""
    if provider == SMTP:
        return SMTP_ENV
    if provider == CONSOLE:
        return ()
    spec = PROVIDERS[provider]
    return (*spec.required, *spec.optional)
