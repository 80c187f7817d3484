"""The checks every component runs on the personal data its manifest declares.

A component's tests/test_personal_data.py builds :class:`Declared` from its folder and
calls the three checks: each declared model, user path and field exists in Django's app
registry; the component says it holds personal data; its ``sample`` hook makes rows of
every declared model for its user alone, and erasing as declared (what the runtime does:
delete, or blank the listed fields; the declarations last to first, then the user row)
leaves nothing of that user reachable and the other user's rows as they were. Django is
imported only when a check runs (the test settings may import this module).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Declared:
    """The personal-data declarations of the component at ``folder``."""

    manifest: dict[str, Any]  # the [tool.quickscale] table
    models: dict[str, dict[str, Any]]  # the model tables that have a `user`

    @classmethod
    def of(cls, folder: Path) -> Declared:
        data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
        manifest = data["tool"]["quickscale"]
        tables = manifest.get("models", {})
        return cls(manifest, {label: t for label, t in tables.items() if "user" in t})

    @property
    def labels(self) -> list[str]:
        return sorted(self.models)

    def installed(self) -> Declared:
        """Only the models whose app the test project installs: a model of an app left
        out (a component's optional part) is passed over, as the runtime does."""
        from django.apps import apps

        labels = {config.label for config in apps.get_app_configs()}
        kept = {k: t for k, t in self.models.items() if k.split(".")[0] in labels}
        return Declared(self.manifest, kept)

    def hook(self, name: str) -> Any:
        """The component's ``sample`` or ``before-erase`` callable."""
        from django.utils.module_loading import import_string

        return import_string(self.manifest["personal-data"][name])

    # --- reading the registry ---------------------------------------------------------

    @staticmethod
    def model(label: str) -> Any:
        from django.apps import apps

        return apps.get_model(label)

    def rows(self, label: str, user: Any) -> set[Any]:
        """The pks of ``label``'s rows of ``user`` (a user or a user's pk)."""
        path = self.models[label]["user"]
        found = self.model(label)._default_manager.filter(**{path: user})
        return set(found.values_list("pk", flat=True))

    def blank(self, label: str, name: str) -> Any:
        return None if self.model(label)._meta.get_field(name).null else ""

    def erase_as_declared(self, user: Any) -> None:
        """The runtime's order: the declarations last to first, then the user row."""
        for label, table in reversed(self.models.items()):
            rows = self.model(label)._default_manager.filter(pk__in=self.rows(label, user))
            if table["erase"] == "delete":
                rows.delete()
            elif table["erase"] == "anonymize":
                rows.update(**{name: self.blank(label, name) for name in table["anonymize"]})
        user.delete()

    # --- the checks -----------------------------------------------------------------

    def check_fields(self, label: str) -> None:
        """The declaration of ``label`` names a path to the user and real fields."""
        from django.contrib.auth import get_user_model
        from django.db import models

        table, model = self.models[label], self.model(label)
        reached = model
        for part in [] if table["user"] == "pk" else table["user"].split("__"):
            reached = reached._meta.get_field(part).related_model
        assert reached is get_user_model(), table["user"]
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

    def check_holds_nothing(self) -> None:
        """``holds = false`` is true while none of the component's apps has a table (a
        model added later needs a declaration instead)."""
        from django.apps import apps

        assert self.manifest["personal-data"] == {"holds": False}
        assert not self.models
        names = self.manifest["apps"]
        installed = [c for c in apps.get_app_configs() if c.name in names]
        assert len(installed) == len(names)
        tables = [m._meta.label for c in installed for m in c.get_models() if m._meta.managed]
        assert tables == [], "declare these models' personal data instead of holds = false"

    def check_declared(self) -> None:
        assert self.models, "no model declares a user: say holds = false instead"
        assert self.manifest["personal-data"].get("holds", True) is True

    def check_sample_and_erasure(self) -> None:
        """Two users' sample rows are theirs alone; erasing one as declared deletes or
        blanks theirs and leaves the other's as they were (needs the database)."""
        from django.contrib.auth import get_user_model

        sample = self.hook("sample")
        ann, bob = (
            get_user_model().objects.create_user(username=n, email=f"{n}@example.com")
            for n in ("ann", "bob")
        )
        sample(ann)
        sample(bob)
        kept: dict[str, set[Any]] = {}
        deleted: dict[str, set[Any]] = {}
        for label, table in self.models.items():
            mine, theirs = self.rows(label, ann), self.rows(label, bob)
            assert mine and theirs and not mine & theirs, label
            # Erasure has something to blank in each row it anonymizes.
            for name in table.get("anonymize", []):
                values = self.model(label)._default_manager.filter(pk__in=mine)
                assert all(value for (value,) in values.values_list(name)), (label, name)
            (deleted if table["erase"] == "delete" else kept)[label] = mine
        before = {label: self.rows(label, bob) for label in self.models}

        ann_pk = ann.pk
        self.erase_as_declared(ann)

        for label, table in self.models.items():
            rows = self.model(label)._default_manager
            assert not self.rows(label, ann_pk) and self.rows(label, bob) == before[label], label
            if label in deleted:  # gone, not merely out of reach through a blanked link
                assert not rows.filter(pk__in=deleted[label]).exists(), label
            else:  # still there, with the declared fields blank
                blank = {name: self.blank(label, name) for name in table["anonymize"]}
                assert rows.filter(pk__in=kept[label], **blank).count() == len(kept[label])
