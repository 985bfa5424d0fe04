"""Factories for the qualification catalogue and qualifications."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qualifications.models import QualificationClass, QualificationField, QualificationType
from shop.uploads import upload_create


class QualificationClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationClass
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"class{n}")
    name = factory.LazyAttribute(lambda o: f"Class {o.code}")


class QualificationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualificationType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type{n}")
    name = factory.LazyAttribute(lambda o: f"Type {o.code}")
    klass = factory.SubFactory(QualificationClassFactory)


def license_type(code: str = "food_license", name: str = "食品经营许可证"):
    """A type with number (text, required), holder (text, optional), issued_on (date),
    valid_until (date, validity end) and certificate (image, required)."""
    qtype = QualificationTypeFactory(code=code, name=name)
    if not qtype.fields.exists():
        specs = [
            ("number", "text", True, False, True),
            ("holder", "text", False, False, False),
            ("issued_on", "date", False, False, False),
            ("valid_until", "date", True, True, False),
            ("certificate", "image", True, False, False),
        ]
        for pos, (name_, kind, required, end, is_number) in enumerate(specs):
            QualificationField.objects.create(
                type=qtype,
                name=name_,
                kind=kind,
                required=required,
                validity_end=end,
                is_number=is_number,
                position=pos,
            )
    return qtype


def png_bytes(size: tuple[int, int] = (20, 20), color: str = "red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def make_upload(owner, name: str = "cert.png"):
    return upload_create(owner=owner, file=SimpleUploadedFile(name, png_bytes(), content_type="image/png"))
