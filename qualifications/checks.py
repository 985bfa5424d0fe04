"""Automatic checks of a submitted revision (QL-2), run in Celery before a reviewer sees it:
required fields present, images decode, dates coherent, not already expired.

Returns field-level findings ``{field name: [messages]}``; empty means passed.
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .constants import FieldKind
from .fields import declared_fields, parse_date

if TYPE_CHECKING:
    from .models import QualificationRevision

ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP"]


def _image_ok(upload: Any) -> bool:
    """Decode the stored file for real (it was validated at upload, but files can rot)."""
    old = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with upload.file.open("rb") as fh, Image.open(fh, formats=ALLOWED_FORMATS) as img:
                img.load()
        return True
    except (OSError, ValueError, SyntaxError, EOFError, UnidentifiedImageError, Image.DecompressionBombError):
        return False
    except Image.DecompressionBombWarning:
        return False
    finally:
        Image.MAX_IMAGE_PIXELS = old


def run_checks(*, revision: QualificationRevision, today: dt.date) -> dict[str, list[str]]:
    qtype = revision.qualification.type
    values = revision.fields or {}
    findings: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        findings.setdefault(name, []).append(str(message))

    uploads = {u.pk: u for u in revision.uploads.all()}
    end_field = None
    end_date: dt.date | None = None
    other_dates: list[tuple[str, dt.date]] = []
    for field in declared_fields(qtype):
        value = values.get(field.name)
        if value in (None, ""):
            if field.required and revision.source != "legacy":
                add(field.name, _("This field is required."))
            continue
        if field.kind == FieldKind.DATE:
            parsed = parse_date(value)
            if parsed is None:
                add(field.name, _("Not a valid date."))
            elif field.validity_end:
                end_field, end_date = field.name, parsed
            else:
                other_dates.append((field.name, parsed))
        elif field.kind == FieldKind.IMAGE:
            upload = uploads.get(int(value)) if str(value).isdigit() else None
            if upload is None or not _image_ok(upload):
                add(field.name, _("The image cannot be read; upload it again."))
    for image_id in revision.images or []:
        upload = uploads.get(int(image_id))
        if upload is None or not _image_ok(upload):
            add("images", _("An image cannot be read; upload it again."))
            break
    if end_field and end_date is not None:
        if end_date < today:
            add(end_field, _("This qualification has already expired (%(date)s).") % {"date": end_date.isoformat()})
        for name, date in other_dates:
            if date > end_date:
                add(name, _("This date is after the validity end date."))
    for name, date in other_dates:
        if date > today:
            # An issue date in the future is not coherent with a certificate in hand.
            add(name, _("This date is in the future."))
    return findings
