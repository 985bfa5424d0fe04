"""Validation of a qualification's field values against its type's declared fields (QL-1, QL-2).

Used synchronously by the API, the pages and the services (shape errors answer 400 at once);
the automatic checks (checks.py) look again at what needs the stored files or today's date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from shop.errors import ValidationFailed
from shop.rules import setting
from shop.uploads import uploads_owned

from .constants import FieldKind
from .models import QualificationField, QualificationType

MAX_TEXT = 500


def declared_fields(qtype: QualificationType) -> list[QualificationField]:
    cached = getattr(qtype, "_declared_fields", None)
    if cached is None:
        cached = list(qtype.fields.all())
        qtype._declared_fields = cached  # type: ignore[attr-defined]
    return cached


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
        return parsed if 1900 <= parsed.year <= 2200 else None
    return None


def _clean_one(field: QualificationField, value: Any) -> tuple[Any, str | None]:
    """(normalised value, error message or None). ``None`` value means empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if field.kind == FieldKind.TEXT:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            return None, _("Enter text.")
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            return None, _("At most %(n)d characters.") % {"n": MAX_TEXT}
        return text, None
    if field.kind == FieldKind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None, _("Enter a number.")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None, _("Enter a number.")
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            return None, _("Enter a number.")
        return str(number), None
    if field.kind == FieldKind.DATE:
        parsed = parse_date(value)
        if parsed is None:
            return None, _("Enter a date as YYYY-MM-DD.")
        return parsed.isoformat(), None
    if field.kind == FieldKind.IMAGE:
        if isinstance(value, bool):
            return None, _("Enter an upload id.")
        try:
            return int(str(value).strip()), None
        except ValueError:
            return None, _("Enter an upload id.")
    return None, _("Unknown field kind.")


def clean_values(
    *,
    qtype: QualificationType,
    values: Any,
    images: Any,
    uploader: Any,
    require: bool = True,
    allowed_ids: set[int] | None = None,
) -> tuple[dict[str, Any], list[int], list[int]]:
    """Validate ``values`` (name → value) and extra ``images`` (upload ids).

    ``allowed_ids``: uploads already part of this qualification (an edit by a colleague keeps
    them). Returns (clean values, extra image ids, every upload id referenced). Raises
    ``ValidationFailed`` (400 ``invalid``) with field-level errors, or ``InvalidUpload``
    (400 ``invalid_upload``) when an image is not the uploader's own.
    """
    if not isinstance(values, dict):
        raise ValidationFailed(errors={"fields": [_("Expected an object of field values.")]})
    if images is None:
        images = []
    if not isinstance(images, list):
        raise ValidationFailed(errors={"images": [_("Expected a list of upload ids.")]})
    declared = {f.name: f for f in declared_fields(qtype)}
    errors: dict[str, list[str]] = {}
    for name in values:
        if name not in declared:
            errors[str(name)] = [_("Unknown field for this qualification type.")]
    clean: dict[str, Any] = {}
    for name, field in declared.items():
        value, error = _clean_one(field, values.get(name))
        if error:
            errors[name] = [error]
        elif value is None:
            if field.required and require:
                errors[name] = [_("This field is required.")]
        else:
            clean[name] = value
    image_ids: list[int] = []
    for raw in images:
        try:
            if isinstance(raw, bool):
                raise ValueError
            image_ids.append(int(raw))
        except (TypeError, ValueError):
            errors.setdefault("images", []).append(_("Enter upload ids."))
            break
    if errors:
        raise ValidationFailed(errors={"fields": errors} if set(errors) - {"images"} else errors)
    field_images = [v for n, v in clean.items() if declared[n].kind == FieldKind.IMAGE]
    all_ids = list(dict.fromkeys([*field_images, *image_ids]))
    limit = setting("qualifications.max_images")
    if len(all_ids) > limit:
        raise ValidationFailed(errors={"images": [_("At most %(n)d images.") % {"n": limit}]})
    new_ids = [i for i in all_ids if i not in (allowed_ids or set())]
    if new_ids:
        uploads_owned(owner=uploader, ids=new_ids)
    return clean, list(dict.fromkeys(image_ids)), all_ids


def number_of(qtype: QualificationType, values: dict[str, Any]) -> str:
    for f in declared_fields(qtype):
        if f.is_number:
            return str(values.get(f.name) or "")[:200]
    return ""


def validity_end_of(qtype: QualificationType, values: dict[str, Any]) -> dt.date | None:
    for f in declared_fields(qtype):
        if f.validity_end:
            return parse_date(values.get(f.name))
    return None
