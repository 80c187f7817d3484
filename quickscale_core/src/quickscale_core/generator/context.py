"""What a project is made of, and the template context derived from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quickscale_core import pins
from quickscale_core.names import validate_project_name


@dataclass(frozen=True)
class ProjectSpec:
    """The inputs of a render: everything a project's generated files depend on.

    Two equal specs render byte-identical files; nothing random or time-dependent
    belongs here (the development secret key goes to the git-ignored .env instead).
    """

    name: str
    theme: str = "starter"
    frontend_source: str = "custom_frontend"
    frontend_variant: str = "default"

    def __post_init__(self) -> None:
        validate_project_name(self.name)

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").title()

    def template_context(self) -> dict[str, Any]:
        return {
            "project_name": self.name,
            "project_title": self.title,
            "theme": self.theme,
            "frontend_source": self.frontend_source.strip("./") or "custom_frontend",
            "frontend_variant": self.frontend_variant,
            "pins": pins.as_dict(),
            "runtime_pins": pins.RUNTIME,
            "dev_pins": pins.DEV,
            "python_min": pins.PYTHON_MIN,
        }
