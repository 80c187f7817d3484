"""The export archive: a zip with README.md and one JSON file per component.

Each JSON file is ``{"component": key, "models": {"app.Model": [{field: value}]}}``;
values are JSON-safe as Django's encoder makes them (dates ISO 8601, decimals and UUIDs
as strings), a relation as the related row's key, a file as its stored name.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Field, Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from quickscale_core.personal_data.selectors import (
    Component,
    ModelDeclaration,
    components,
    export_fields,
    rows_of,
)

ERASURE = {
    "delete": "deleted.",
    "anonymize": "kept with these fields blanked: {fields}. Why: {reason}",
    "keep": "kept unchanged. Why: {reason}",
}


def build(user: Model) -> bytes:
    """The archive of ``user``'s data, as zip bytes."""
    declared = components()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme(declared))
        for component in declared:
            archive.writestr(component.file_name, component_json(component, user))
    return buffer.getvalue()


def component_json(component: Component, user: Model) -> str:
    """One component's file: every declared model's rows of ``user``."""
    models = {d.label: [row_data(d, row) for row in rows_of(d, user)] for d in component.models}
    document = {"component": component.key, "models": models}
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def row_data(declaration: ModelDeclaration, row: Model) -> dict[str, Any]:
    """The exported fields of one row, JSON-safe."""
    return {f.name: json_value(f, row) for f in export_fields(declaration)}


def json_value(field: Field[Any, Any], row: Model) -> Any:
    """A field's value as the archive holds it (before Django's JSON encoder)."""
    value = field.value_from_object(row)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, memoryview | bytes | bytearray):
        return base64.b64encode(bytes(value)).decode()
    return value


def readme(declared: list[Component]) -> str:
    """README.md: what each file holds, which fields, and what erasure does."""
    lines = [
        "# Your personal data",
        "",
        f"Exported {timezone.now().isoformat(timespec='seconds')}. Each JSON file below holds "
        'the data of one part of the site: `{"component": ..., "models": {"app.Model": '
        "[rows]}}`, one object per row. Dates are ISO 8601; a reference to another row is "
        "its id.",
        "",
    ]
    for component in declared:
        lines += [f"## {component.file_name} ({component.key})", ""]
        if not component.models:
            lines += ["This part holds none of your personal data.", ""]
        for d in component.models:
            fields = ", ".join(f"`{f.name}`" for f in export_fields(d)) or "none"
            erasure = ERASURE.get(d.erase, d.erase).format(
                fields=", ".join(f"`{name}`" for name in d.anonymize), reason=d.reason
            )
            lines += [
                f"- `{d.label}`: {d.description or 'rows tied to you'}.",
                f"  Fields: {fields}.",
                f"  When you delete your account: {erasure}",
            ]
        lines.append("")
    return "\n".join(lines)
