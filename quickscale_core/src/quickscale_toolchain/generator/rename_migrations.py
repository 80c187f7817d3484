"""``python manage.py makemigrations APP --noinput``, with the renames the user chose.

Run by the project's Python as a script, in the project's directory:
``python rename_migrations.py APP``, the renames as JSON in ``QUICKSCALE_RENAMES``
(``[{"old": "Product", "new": "Item"}, {"model": "Item", "old": "price", "new":
"amount"}]``). It runs the project's own manage.py, with one change to Django's
makemigrations command: its autodetector answers "was this renamed?" yes for exactly
those renames (Django's non-interactive answer is always no, a drop and an add).

The generator derives a foreign key's ``related_name`` from its model's and field's
names, so Django, which compares everything else, would never ask about a model or
field holding one; while it looks for renames it ignores ``related_name`` (the new one
then comes as an AlterField). A chosen rename Django still cannot make is refused
before any migration is written. It imports nothing from QuickScale: the project's
environment may hold another version of it, or none.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

RENAMES_ENV = "QUICKSCALE_RENAMES"


def _chosen(text: str) -> dict[tuple[str, ...], str]:
    """Each rename as Django keys it, (old model, new model) or (model, old field, new
    field) with model names lowercase, -> how the user wrote it."""
    chosen: dict[tuple[str, ...], str] = {}
    for item in json.loads(text or "[]"):
        if "model" in item:
            key: tuple[str, ...] = (item["model"].lower(), item["old"], item["new"])
            chosen[key] = f"{item['model']}.{item['old']} -> {item['model']}.{item['new']}"
        else:
            chosen[item["old"].lower(), item["new"].lower()] = f"{item['old']} -> {item['new']}"
    return chosen


def install(app: str, text: str) -> None:
    """Make Django's makemigrations command rename exactly what ``text`` lists."""
    from django.core.management import CommandError
    from django.core.management.commands import makemigrations, migrate
    from django.db import models as django_models
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.operations import AlterField
    from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
    from django.db.migrations.utils import resolve_relation

    chosen = _chosen(text)
    if chosen and not hasattr(makemigrations.Command, "autodetector"):
        raise SystemExit(  # printed on stderr, exit status 1
            "CommandError: renaming needs Django 5.2 or later (makemigrations' "
            "autodetector attribute); no migration was written"
        )

    class ChosenRenames(NonInteractiveMigrationQuestioner):  # type: ignore[misc]
        """Yes to the chosen renames, no to any other; remembers what it said yes to."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.made: set[tuple[str, ...]] = set()

        def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
            pair = (old_model_state.name_lower, new_model_state.name_lower)
            if old_model_state.app_label != app or pair not in chosen:
                return False
            self.made.add(pair)
            return True

        def ask_rename(self, model_name: str, old_name: str, new_name: str, field: Any) -> bool:
            triple = (model_name.lower(), old_name, new_name)
            if triple not in chosen:
                return False
            self.made.add(triple)
            return True

    class RenamingAutodetector(MigrationAutodetector):  # type: ignore[misc]
        """Django's autodetector, asking ChosenRenames and blind to ``related_name``
        while it looks for renames."""

        def __init__(self, from_state: Any, to_state: Any, questioner: Any = None) -> None:
            answers = ChosenRenames(
                defaults=questioner.defaults,
                specified_apps=questioner.specified_apps,
                dry_run=questioner.dry_run,
                verbosity=getattr(questioner, "verbosity", 1),
                log=getattr(questioner, "log", None),
            )
            super().__init__(from_state, to_state, answers)
            self.answers = answers
            self.seeking_renames = False

        @contextmanager
        def _seeking_renames(self) -> Iterator[None]:
            self.seeking_renames = True
            try:
                yield
            finally:
                self.seeking_renames = False

        def deep_deconstruct(self, obj: Any) -> Any:
            found = super().deep_deconstruct(obj)
            if self.seeking_renames and isinstance(obj, django_models.Field):
                found[2].pop("related_name", None)
            return found

        def generate_renamed_models(self) -> None:
            with self._seeking_renames():
                super().generate_renamed_models()

        def create_renamed_fields(self) -> None:
            with self._seeking_renames():
                super().create_renamed_fields()

        def generate_renamed_fields(self) -> None:
            """Django's RenameFields, each followed by an AlterField when the related_name
            ignored above changed (Django alters a renamed field's db_column only)."""
            super().generate_renamed_fields()
            for app_label, _, _, old_name, _, model_name, field, name in self.renamed_operations:
                old_model = self.renamed_models.get((app_label, model_name), model_name)
                old = self.from_state.models[app_label, old_model].get_field(old_name)
                related = getattr(field.remote_field, "related_name", None)
                if field.remote_field is None or old.remote_field.related_name == related:
                    continue
                self.add_operation(
                    app_label,
                    AlterField(model_name=model_name, name=name, field=field),
                    dependencies=self._get_dependencies_for_foreign_key(
                        app_label, model_name, field, self.to_state
                    ),
                )

        def generate_altered_fields(self) -> None:
            """Django's, with one repair: a foreign key to a model renamed in the same
            run that changes otherwise (its related_name) leaves as an AlterField still
            pointing to the old name, which the migration cannot load."""
            super().generate_altered_fields()
            new_names = {
                (label, old): self.to_state.models[label, new].name
                for (label, new), old in self.renamed_models.items()
            }
            for operation in self.generated_operations.get(app, []):
                remote = getattr(getattr(operation, "field", None), "remote_field", None)
                if not isinstance(operation, AlterField) or remote is None:
                    continue
                target = resolve_relation(remote.model, app, operation.model_name_lower)
                if target in new_names:
                    remote.model = f"{target[0]}.{new_names[target]}"

        def changes(self, graph: Any, *args: Any, **kwargs: Any) -> Any:
            found = super().changes(graph, *args, **kwargs)
            missed = list(self._unmade())
            if missed:
                raise CommandError(
                    f"Django does not see {', '.join(missed)} as a rename (the old and the "
                    "new differ in more than the name); no migration was written. Rename "
                    "first with nothing else changed, then make the other changes"
                )
            return found

        def _unmade(self) -> Iterator[str]:
            """Chosen renames not made whose old model or field is in the migrations."""
            before = self.from_state.models
            for key, written in chosen.items():
                if key in self.answers.made or (len(key) == 2 and key[0] == key[1]):
                    continue  # made, or only the case of a model name changed
                state = before.get((app, key[0]))
                if state is not None and (len(key) == 2 or key[1] in state.fields):
                    yield written

    # Django's system checks want both commands to use the same autodetector.
    makemigrations.Command.autodetector = RenamingAutodetector
    migrate.Command.autodetector = RenamingAutodetector


def main(argv: list[str]) -> None:
    """Run the project's manage.py as ``makemigrations APP --noinput``, renames installed."""
    (app,) = argv[1:]
    # Import the project's modules from its directory, not from this file's folder.
    sys.path[0] = os.getcwd()
    install(app, os.environ.get(RENAMES_ENV, "[]"))
    sys.argv = ["manage.py", "makemigrations", app, "--noinput"]
    runpy.run_path("manage.py", run_name="__main__")


if __name__ == "__main__":
    main(sys.argv)
