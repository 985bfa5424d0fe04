"""POST /api/v1/uploads: only sound JPEG/PNG/WebP within limits (SZB-9, QL-2); hostile files
are 400 invalid_image and nothing is stored."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop.models import Upload
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str, size=(64, 48), exif: bool = False) -> bytes:
    img = Image.new("RGB", size, (200, 30, 60))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "SecretCam"  # Make
        ex[0x8825] = {2: (39.0, 54.0, 0.0)}  # GPS
        kwargs["exif"] = ex.tobytes()
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG that claims width × height pixels (decompression bomb)."""
    raw = zlib.compress(b"\x00" * (width // 8 + 1) * 16)

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture
def consumer_api(client_for):
    user = make_user("consumer")
    return user, client_for(user)


def post(api, name, data, content_type="application/octet-stream"):
    return api.post(
        "/api/v1/uploads", {"file": SimpleUploadedFile(name, data, content_type=content_type)}, format="multipart"
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_szb9_sound_images_accepted(consumer_api, fmt):
    user, api = consumer_api
    resp = post(api, f"x.{fmt.lower()}", image_bytes(fmt))
    assert resp.status_code == 201, resp.json()
    upload = Upload.objects.get(pk=resp.json()["id"])
    assert upload.owner == user
    assert upload.phash and len(upload.phash) == 16
    assert upload.file.name.endswith({"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[fmt])
    assert "x." not in upload.file.name  # stored under a random name


def test_upload_metadata_is_stripped(consumer_api):
    _, api = consumer_api
    resp = post(api, "gps.jpg", image_bytes("JPEG", exif=True))
    assert resp.status_code == 201
    stored = Upload.objects.get(pk=resp.json()["id"])
    with Image.open(stored.file.path) as img:
        assert not img.getexif()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.jpg", b"<?php system($_GET['c']); ?>"),
        ("fake.png", b"GIF89a" + b"\x00" * 100),
        ("truncated.jpg", image_bytes("JPEG", (300, 300))[:400]),
        ("truncated.png", image_bytes("PNG", (300, 300))[:120]),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("empty.jpg", b""),
        ("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_hostile_files_are_invalid_image(consumer_api, name, data):
    _, api = consumer_api
    resp = post(api, name, data)
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_image"
    assert Upload.objects.count() == 0


def test_decompression_bomb_is_invalid_image(consumer_api):
    _, api = consumer_api
    resp = post(api, "bomb.png", png_bomb(50_000, 50_000))
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_image"


def test_bmp_not_in_allow_list(consumer_api):
    _, api = consumer_api
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    assert post(api, "x.bmp", out.getvalue()).json()["code"] == "invalid_image"


def test_too_large_file_is_invalid_image(consumer_api, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    _, api = consumer_api
    assert post(api, "big.png", image_bytes("PNG", (400, 400))).json()["code"] == "invalid_image"


def test_missing_file_field(consumer_api):
    _, api = consumer_api
    resp = api.post("/api/v1/uploads", {}, format="multipart")
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_image"


def test_upload_served_only_to_owner_and_staff(client, consumer_api):
    user, api = consumer_api
    upload_id = post(api, "a.png", image_bytes("PNG")).json()["id"]
    client.force_login(user)
    resp = client.get(f"/files/{upload_id}/")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "image/png"
    assert resp["X-Content-Type-Options"] == "nosniff"
    client.force_login(make_user("consumer"))
    assert client.get(f"/files/{upload_id}/").status_code == 404


def test_uploads_owned_refuses_foreign_ids(consumer_api):
    from shop.errors import InvalidUpload
    from shop.uploads import uploads_owned

    user, api = consumer_api
    upload_id = post(api, "a.png", image_bytes("PNG")).json()["id"]
    assert uploads_owned(owner=user, ids=[upload_id])[0].pk == upload_id
    with pytest.raises(InvalidUpload):
        uploads_owned(owner=make_user("consumer"), ids=[upload_id])
    with pytest.raises(InvalidUpload):
        uploads_owned(owner=user, ids=["x"])
