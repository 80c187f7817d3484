"""Themes and modules as generated-project wiring: what each adds, and where it lives.

A theme or module travels into a project by git subtree (``quickscale_themes/<name>/``,
``quickscale_modules/<name>/``) and is wired in by plain lines of settings.py, urls.py
and requirements.txt. Those lines are written here, as the theme and module READMEs
prescribe, and handed to the templates as :class:`Extension` values. Nothing here
imports Django or the modules themselves (the generator must work before a project has
an environment); the one piece of module data we need, a provider's environment
variables, is read from the module's Django-free ``providers.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from quickscale_core.errors import ConfigError

#: Themes and the themes they build on (embedded first).
THEME_CHAIN: dict[str, tuple[str, ...]] = {
    "starter": ("starter",),
    "todo": ("starter", "todo"),
}
THEMES = tuple(THEME_CHAIN)
MODULES = ("auth", "notifications")

#: Exact pins a module adds to requirements.txt: its foundation app, then everything
#: that app pulls in beyond the project's own pins (checked by a real `pip install`).
MODULE_PINS: dict[str, tuple[tuple[str, str], ...]] = {
    "auth": (("django-allauth", "65.21.1"),),
    "notifications": (
        ("django-anymail", "15.2"),
        ("requests", "2.34.2"),
        ("urllib3", "2.8.0"),
        ("idna", "3.20"),
        ("certifi", "2026.10.19.post1"),
        ("charset-normalizer", "3.5.3"),
    ),
}

#: Tables a module's or theme's migrations create: dropped data when it is removed.
TABLES: dict[str, tuple[str, ...]] = {
    "modules/auth": ("account_emailaddress", "account_emailconfirmation"),
    "themes/todo": ("quickscale_todo_todolist", "quickscale_todo_todoitem"),
}


@dataclass(frozen=True)
class ModuleChoice:
    """One enabled module as the config chose it (provider, and that provider's env vars)."""

    name: str
    provider: str | None = None
    env_vars: tuple[str, ...] = ()


def prefix(component: str) -> str:
    """``themes/todo`` -> ``quickscale_themes/todo``."""
    kind, _, name = component.partition("/")
    return f"quickscale_{kind}/{name}"


def theme_components(theme: str) -> tuple[str, ...]:
    return tuple(f"themes/{name}" for name in THEME_CHAIN[theme])


def components(theme: str, modules: Sequence[ModuleChoice]) -> tuple[str, ...]:
    """Every shared component a project with this theme and these modules embeds."""
    return (*theme_components(theme), *(f"modules/{m.name}" for m in modules))


def requirement_lines(theme: str, modules: Sequence[ModuleChoice]) -> tuple[str, ...]:
    """Editable installs of the embedded subtrees, then the modules' exact pins."""
    lines = [f"-e ./{prefix(c)}" for c in components(theme, modules)]
    for module in modules:
        lines += [f"{name}=={version}" for name, version in MODULE_PINS[module.name]]
    return tuple(lines)


def theme_apps(theme: str) -> tuple[str, ...]:
    return tuple(f"quickscale_themes.{name}" for name in THEME_CHAIN[theme])


def url_includes(theme: str, modules: Sequence[ModuleChoice]) -> tuple[tuple[str, str], ...]:
    """(prefix, urls module) pairs, as the READMEs mount them."""
    includes: list[tuple[str, str]] = [("", "quickscale_themes.starter.urls")]
    if theme == "todo":
        includes.append(("todo/", "quickscale_themes.todo.urls"))
    if any(m.name == "auth" for m in modules):
        includes.append(("accounts/", "quickscale_modules.auth.urls"))
    return tuple(includes)


def module_settings(
    project_title: str, modules: Sequence[ModuleChoice]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(import lines, statement lines) that wire the modules into settings.py."""
    imports: list[str] = []
    lines: list[str] = []
    names = {m.name: m for m in modules}
    if "notifications" in names:
        imports.append("import os")
        imports.append("")
    if "auth" in names:
        imports.append("from quickscale_modules.auth import settings as qs_auth")
    if "notifications" in names:
        imports.append("from quickscale_modules.notifications.settings import email_settings")
    if "auth" in names:
        lines += [
            "",
            "# auth (django-allauth): sign-up, email login and verification, rate limits.",
            "INSTALLED_APPS += qs_auth.installed_apps()",
            "MIDDLEWARE += qs_auth.MIDDLEWARE",
            "AUTHENTICATION_BACKENDS = qs_auth.AUTHENTICATION_BACKENDS",
            f'ACCOUNT_EMAIL_SUBJECT_PREFIX = "[{project_title}] "',
            "globals().update(qs_auth.allauth_settings(debug=DEBUG))",
        ]
    if "notifications" in names:
        provider = names["notifications"].provider
        lines += [
            "",
            "# notifications (django-anymail): the provider's credentials come from the",
            "# environment (see .env.example); DEBUG prints emails to the console, and",
            "# EMAIL_PROVIDER=smtp with EMAIL_HOST/EMAIL_PORT sends them to a local SMTP server.",
            'INSTALLED_APPS += ["anymail", "quickscale_modules.notifications"]',
            f'globals().update(email_settings(provider="{provider}", env=os.environ, debug=DEBUG))',
        ]
        if provider == "sendgrid":
            lines += [
                "# anymail 15 no longer officially supports SendGrid (anymail.W003): it still",
                "# works, and quickscale.yml chose it. Pick another provider to drop this line.",
                'SILENCED_SYSTEM_CHECKS = ["anymail.W003"]',
            ]
    return tuple(imports), tuple(lines)


def _load_providers(search: Sequence[Path]) -> ModuleType | None:
    """The notifications module's providers.py: installed, embedded, or in the source."""
    try:
        import quickscale_modules.notifications.providers as providers

        return providers
    except ImportError:
        pass
    relative = "quickscale_modules/notifications/src/quickscale_modules/notifications/providers.py"
    for root in search:
        candidate = root / relative
        if candidate.is_file():
            spec = importlib.util.spec_from_file_location("_qs_notification_providers", candidate)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            # Registered before it runs: dataclasses look their module up in sys.modules.
            sys.modules[spec.name] = module
            spec.loader.exec_module(module)
            return module
    return None


def module_choices(
    modules: Mapping[str, tuple[str | None, Mapping[str, object]]],
    search: Sequence[Path] = (),
) -> tuple[ModuleChoice, ...]:
    """Validated module choices, in a stable order; ConfigError for what cannot be wired.

    ``modules`` maps each name to (provider, other options) as the config holds them;
    ``search`` lists directories that may hold ``quickscale_modules/notifications``
    (the project, the source checkout) when the module is not installed here.
    """
    choices: list[ModuleChoice] = []
    for name in sorted(modules):
        provider, options = modules[name]
        if name not in MODULES:
            raise ConfigError(
                f"module '{name}' is not available yet (available: {', '.join(MODULES)})",
                f"remove '{name}' from modules in quickscale.yml",
            )
        if name == "auth":
            if options.get("social_providers"):
                raise ConfigError(
                    "modules.auth.social_providers is not wired by 'generate' yet",
                    "remove it from quickscale.yml and enable social providers in settings.py "
                    "as quickscale_modules/auth/README.md shows",
                )
            choices.append(ModuleChoice(name, provider))
            continue
        providers = _load_providers(search)
        if providers is None:
            raise ConfigError(
                "cannot read the notifications module's providers",
                "install quickscale_modules/notifications or pass --source to a checkout",
            )
        chosen = provider or str(providers.DEFAULT_PROVIDER)
        if chosen not in providers.PROVIDER_NAMES:
            raise ConfigError(
                f"modules.notifications.provider '{chosen}' is not supported by the module",
                f"use one of: {', '.join(providers.PROVIDER_NAMES)}",
            )
        env_vars = tuple(str(v) for v in providers.env_vars(chosen))
        choices.append(ModuleChoice(name, chosen, env_vars))
    return tuple(choices)


def removal_warning(component: str) -> str:
    """What removing ``component`` means for the database."""
    tables = TABLES.get(component, ())
    where = prefix(component)
    if not tables:
        return f"{component} will be removed ({where}/ and its wiring); it has no tables"
    app = "account" if component == "modules/auth" else "quickscale_" + component.split("/")[1]
    return (
        f"{component} will be removed ({where}/ and its wiring): its tables "
        f"{', '.join(tables)} stay in the database with their rows, but nothing uses them "
        f"any more; back them up first ('python manage.py dumpdata {app} > {app}.json' "
        "before generating), then drop them by hand if you no longer need them"
    )
