"""Exact versions written into generated projects.

One place to bump them; a generated project pins every runtime package, transitive
ones included, so two deployments of the same commit install the same code.
Tested together by the end-to-end suite (tests/e2e).
"""

from __future__ import annotations

DJANGO = "5.2.19"  # the LTS line (decision 8 of the design brief)
PYTHON_MIN = "3.11"
# A project's Dockerfile builds on the Python its CI tests with (PYTHON_MIN), slim, on
# Debian 13; the tag follows patch releases, and a release pins its digest.
PYTHON_IMAGE = f"python:{PYTHON_MIN}-slim-trixie"
# GNU gettext in that Debian release: the image build compiles the translations with it.
GETTEXT_VERSION = "0.23.1-2"

RUNTIME: tuple[tuple[str, str], ...] = (
    ("Django", DJANGO),
    ("asgiref", "3.13.0"),
    ("sqlparse", "0.6.1"),
    ("django-environ", "0.14.0"),
    ("psycopg[binary]", "3.3.9"),
    ("psycopg-binary", "3.3.9"),
    ("typing_extensions", "4.16.0"),
    ("whitenoise", "6.12.0"),
    ("django-axes", "8.3.1"),  # admin login rate limit (quickscale_core.settings)
    ("django-csp", "4.0"),  # Content-Security-Policy (quickscale_core.settings)
    ("gunicorn", "27.0.1"),
    # Scale-out (docs/scaling.md), each switched on by an environment variable: Django's
    # Redis cache backend and Celery's broker (REDIS_URL), Celery and what it pulls in,
    # JSON logs in production.
    ("redis", "8.1.0"),
    ("celery", "5.7.0"),
    ("kombu", "5.7.0"),
    ("amqp", "5.4.2"),
    ("billiard", "4.3.2"),
    ("vine", "5.1.0"),
    ("click", "8.5.1"),
    ("click-didyoumean", "0.3.1"),
    ("click-plugins", "1.1.1.2"),
    ("click-repl", "0.4.1"),
    ("prompt_toolkit", "3.0.53"),
    ("wcwidth", "0.9.4"),
    ("python-dateutil", "2.9.0.post0"),
    ("six", "1.17.0"),
    ("tzlocal", "5.4.5"),
    ("python-json-logger", "4.2.0"),
    # Media on S3-compatible object storage (AWS_STORAGE_BUCKET_NAME): django-storages
    # and boto3 with what they pull in.
    ("django-storages", "1.14.6"),
    ("boto3", "1.44.8"),
    ("botocore", "1.44.8"),
    ("s3transfer", "0.19.3"),
    ("jmespath", "1.1.0"),
    ("urllib3", "2.8.0"),
    ("packaging", "26.4"),
)

# The dependencies of quickscale_core's toolchain (its `toolchain` extra: generator,
# config, distribution, deploy), which only the quickscale CLI runs: a project's
# requirements-dev.txt and the CLI's constraints pin them, its requirements.txt does
# not, so the web and worker processes install none of them.
TOOLCHAIN: tuple[tuple[str, str], ...] = (
    ("Jinja2", "3.1.6"),
    ("MarkupSafe", "3.0.4"),
    ("PyYAML", "6.0.4"),
    ("jsonschema", "4.26.0"),
    ("jsonschema-specifications", "2025.9.1"),
    ("referencing", "0.37.0"),
    ("rpds-py", "2026.9.1"),
    ("attrs", "26.1.0"),
)

DEV: tuple[tuple[str, str], ...] = (
    ("pytest", "9.2.0"),
    ("pytest-django", "4.14.0"),
    ("iniconfig", "2.3.1"),
    ("pluggy", "1.7.0"),
    ("Pygments", "2.21.0"),
    ("ruff", "0.17.5"),
)

# The quickscale CLI's own dependencies beyond quickscale_core's (above), and the build
# backend of both packages: a project's update workflow installs the CLI from the source
# under these, RUNTIME and TOOLCHAIN as pip constraints (PIP_CONSTRAINT, so they bind the
# build too).
CLI: tuple[tuple[str, str], ...] = (
    ("click", "8.5.1"),
    ("rich", "15.0.0"),
    ("markdown-it-py", "4.3.0"),
    ("mdurl", "0.1.2"),
    ("Pygments", "2.21.0"),
    ("hatchling", "1.33.0"),
    ("pathspec", "1.1.1"),
    ("pluggy", "1.7.0"),
    ("tomlkit", "0.15.2"),
    ("trove-classifiers", "2026.9.21.13"),
)


def as_dict() -> dict[str, str]:
    """Name -> version of every pin, for templates (``pins.Django``)."""
    return dict(RUNTIME + TOOLCHAIN + DEV)
