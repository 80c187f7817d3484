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
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quickscale_core.personal_data.selectors import (
    Component,
    ModelDeclaration,
    components,
    export_fields,
    rows_of,
)

ERASURE = {
    "delete": _("deleted."),
    "anonymize": _("kept with these fields blanked: %(fields)s. Why: %(reason)s"),
    "keep": _("kept unchanged. Why: %(reason)s"),
}
#: The shape of each JSON file, as the README shows it (code: not translated).
SHAPE = '`{"component": ..., "models": {"app.Model": [rows]}}`'


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
    """README.md: what each file holds, which fields, and what erasure does, in the
    active language (the user's: the export runs inside ``speaking_to``/``speaking``)."""
    now = timezone.template_localtime(timezone.now())
    exported = gettext(
        "Exported %(when)s (%(zone)s). Each JSON file below holds the data of one part of "
        "the site: %(shape)s, one object per row. Dates are ISO 8601; a reference to "
        "another row is its id."
    ) % {
        "when": date_format(now, "DATETIME_FORMAT"),
        "zone": timezone.get_current_timezone_name(),
        "shape": SHAPE,
    }
    lines = ["# " + gettext("Your personal data"), "", exported, ""]
    for component in declared:
        lines += [f"## {component.file_name} ({component.key})", ""]
        if not component.models:
            lines += [gettext("This part holds none of your personal data."), ""]
        for d in component.models:
            fields = ", ".join(f"`{f.name}`" for f in export_fields(d)) or gettext("none")
            how = ERASURE.get(d.erase)
            erasure = (
                str(how) % {"fields": ", ".join(f"`{n}`" for n in d.anonymize), "reason": d.reason}
                if how is not None
                else d.erase
            )
            described = d.description or gettext("rows tied to you")
            lines += [
                f"- `{d.label}`: {described}.",
                "  " + gettext("Fields: %(fields)s.") % {"fields": fields},
                "  " + gettext("When you delete your account: %(erasure)s") % {"erasure": erasure},
            ]
        lines.append("")
    return "\n".join(lines)
