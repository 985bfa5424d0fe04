"""Image uploads (SZB-9, QL-2, RF-4 evidence): decoded for real by Pillow, re-encoded.

- formats are an explicit allow-list (JPEG, PNG, WebP) passed to ``Image.open``;
- the byte size and pixel count are capped; Pillow's decompression-bomb warning is an error;
- the image is fully decoded (a truncated file fails), then re-encoded, which drops EXIF/ICC/
  text metadata, and stored under a random name with the extension of its real format;
- a perceptual hash (BX-5) and a SHA-256 are kept for reuse detection.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from typing import Any

import imagehash
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidImage, InvalidUpload
from .models import Upload

ALLOWED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def _decode(data: bytes) -> Image.Image:
    max_pixels = settings.UPLOAD_MAX_PIXELS
    old_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                with Image.open(io.BytesIO(data), formats=list(ALLOWED)) as probe:
                    probe.verify()
                img = Image.open(io.BytesIO(data), formats=list(ALLOWED))
                if img.width * img.height > max_pixels:
                    raise InvalidImage()
                img.load()
            except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise InvalidImage() from None
            except (OSError, SyntaxError, ValueError, EOFError):
                raise InvalidImage() from None
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
    return img


def _reencode(img: Image.Image) -> bytes:
    fmt = img.format or "PNG"
    img = ImageOps.exif_transpose(img)
    out = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "WEBP":
        img.save(out, "WEBP", quality=90)
    else:
        if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            img = img.convert("RGBA")
        img.save(out, "PNG", optimize=True)
    return out.getvalue()


def upload_create(*, owner: Any, file: Any) -> Upload:
    """Validate and store one uploaded file; anything unsound raises ``InvalidImage``."""
    if file is None:
        raise InvalidImage()
    limit = settings.UPLOAD_MAX_BYTES
    if getattr(file, "size", 0) and file.size > limit:
        raise InvalidImage()
    data = file.read(limit + 1)
    if not data or len(data) > limit:
        raise InvalidImage()
    img = _decode(data)
    fmt = img.format
    if fmt not in ALLOWED:
        raise InvalidImage()
    content_type, ext = ALLOWED[fmt]
    clean = _reencode(img)
    phash = str(imagehash.phash(img.convert("RGB")))
    with transaction.atomic():
        upload = Upload(
            owner=owner,
            original_name=str(getattr(file, "name", ""))[:255],
            content_type=content_type,
            width=img.width,
            height=img.height,
            size=len(clean),
            sha256=hashlib.sha256(clean).hexdigest(),
            phash=phash,
        )
        upload.file.save(f"{secrets.token_hex(16)}.{ext}", ContentFile(clean), save=False)
        upload.save()
    return upload


def upload_id(raw: Any) -> int:
    """An upload id from request data; anything no upload could have → ``InvalidUpload``."""
    try:
        key = int(raw)
    except (TypeError, ValueError):
        raise InvalidUpload() from None
    if not 0 < key < 2**63:
        # No upload has such an id, and the database cannot even compare it (OverflowError → 500).
        raise InvalidUpload()
    return key


def uploads_owned(*, owner: Any, ids: list[Any]) -> list[Upload]:
    """The uploads with these ids, all owned by ``owner``; otherwise ``InvalidUpload``."""
    wanted = [upload_id(i) for i in ids]
    found = {u.pk: u for u in Upload.objects.filter(pk__in=wanted, owner=owner)}
    if len(found) != len(set(wanted)):
        raise InvalidUpload()
    return [found[i] for i in wanted]


def owned_count_sql(*, owner: Any, ids: list[int]) -> tuple[str, list[Any]]:
    """``uploads_owned``'s test as an SQL expression for a hot path's own statement (claim
    filing): how many of these upload ids ``owner`` has — all of them when it equals len(ids)."""
    owner_id = getattr(owner, "pk", None)
    if not ids or owner_id is None:
        return "0", []
    marks = ", ".join(["%s"] * len(ids))
    sql = f'(SELECT COUNT(*) FROM "shop_upload" u WHERE u."owner_id" = %s AND u."id" IN ({marks}))'  # noqa: S608
    return sql, [owner_id, *ids]
