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
from .fastdb import Select
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


UPLOAD = Select(Upload)  # claim filing reads evidence on its hot path (shop.fastdb)


def uploads_owned(*, owner: Any, ids: list[Any]) -> list[Upload]:
    """The uploads with these ids, all owned by ``owner``; otherwise ``InvalidUpload``."""
    try:
        wanted = [int(i) for i in ids]
    except (TypeError, ValueError):
        raise InvalidUpload() from None
    if any(not 0 < i < 2**63 for i in wanted):
        # No upload has such an id, and the database cannot even compare it (OverflowError → 500).
        raise InvalidUpload()
    unique = sorted(set(wanted))
    where = f't0."owner_id" = %s AND t0."id" IN ({", ".join(["%s"] * len(unique))})'
    found = {u.pk: u for u, _extra in UPLOAD.fetch(where=where, params=[getattr(owner, "pk", None), *unique])}
    if len(found) != len(set(wanted)):
        raise InvalidUpload()
    return [found[i] for i in wanted]
