"""Demo catalogue and qualifications (seed_demo). Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from shop.models import Shop

from . import services
from .constants import RevisionStatus, TypeScope
from .legacy import migrate_legacy
from .models import Qualification, QualificationClass, QualificationField, QualificationType

# (class code, class name, position)
CLASSES = [
    ("food", "食品资质", 1),
    ("cosmetics", "化妆品资质", 2),
    ("electronics", "电子电器资质", 3),
    ("brand", "品牌资质", 4),
    ("enterprise", "企业资质", 5),
]
# code, name, class, scope, fields [(name, label, kind, required, validity_end, is_number)]
TYPES = [
    (
        "food_license",
        "食品经营许可证",
        "food",
        TypeScope.PRODUCT,
        [
            ("number", "许可证编号", "text", True, False, True),
            ("holder", "经营者名称", "text", True, False, False),
            ("issued_on", "发证日期", "date", False, False, False),
            ("valid_until", "有效期至", "date", True, True, False),
            ("certificate", "许可证照片", "image", True, False, False),
        ],
    ),
    (
        "cosmetics_filing",
        "化妆品备案凭证",
        "cosmetics",
        TypeScope.PRODUCT,
        [
            ("number", "备案编号", "text", True, False, True),
            ("product_name", "产品名称", "text", True, False, False),
            ("valid_until", "有效期至", "date", False, True, False),
            ("certificate", "备案凭证", "image", True, False, False),
        ],
    ),
    (
        "ccc_cert",
        "3C认证",
        "electronics",
        TypeScope.PRODUCT,
        [
            ("number", "证书编号", "text", True, False, True),
            ("model", "产品型号", "text", False, False, False),
            ("valid_until", "有效期至", "date", True, True, False),
            ("certificate", "证书照片", "image", True, False, False),
        ],
    ),
    (
        "brand_authorization",
        "品牌授权书",
        "brand",
        TypeScope.PRODUCT,
        [
            ("number", "授权书编号", "text", True, False, True),
            ("brand", "品牌名称", "text", True, False, False),
            ("valid_until", "授权截止日期", "date", True, True, False),
            ("letter", "授权书扫描件", "image", True, False, False),
        ],
    ),
    (
        "business_license",
        "营业执照",
        "enterprise",
        TypeScope.ENTERPRISE,
        [
            ("number", "统一社会信用代码", "text", True, False, True),
            ("company", "企业名称", "text", True, False, False),
            ("valid_until", "营业期限至", "date", False, True, False),
            ("license", "营业执照照片", "image", True, False, False),
        ],
    ),
]


def seed_catalogue() -> int:
    changed = 0
    classes = {}
    for code, name, pos in CLASSES:
        obj, created = QualificationClass.objects.get_or_create(code=code, defaults={"name": name, "position": pos})
        classes[code] = obj
        changed += created
    for code, name, klass, scope, fields in TYPES:
        qtype, created = QualificationType.objects.get_or_create(
            code=code, defaults={"name": name, "klass": classes[klass], "scope": scope}
        )
        changed += created
        if not qtype.fields.exists():
            for pos, (fname, label, kind, required, end, is_number) in enumerate(fields):
                QualificationField.objects.create(
                    type=qtype,
                    name=fname,
                    label=label,
                    kind=kind,
                    required=required,
                    validity_end=end,
                    is_number=is_number,
                    position=pos,
                )
            changed += 1
    return changed


def _image(owner: Any, text: str) -> int:
    from shop.uploads import upload_create

    img = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([10, 10, 470, 310], outline="red", width=4)
    draw.text((30, 140), text, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return upload_create(owner=owner, file=SimpleUploadedFile(f"{text}.png", buf.getvalue())).pk


def _demo_qualification(
    *, shop_code: str, type_code: str, number: str, values: dict, until: dt.date | None, decide: bool | None
) -> bool:
    shop = Shop.objects.filter(code=shop_code).first()
    if shop is None or Qualification.objects.filter(shop=shop, certificate_number=number).exists():
        return False
    user = get_user_model().objects.filter(shop_member__shop=shop).order_by("id").first()
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    if user is None:
        return False
    qtype = QualificationType.objects.get(code=type_code)
    image_field = next(f.name for f in qtype.fields.all() if f.kind == "image")
    vals = {"number": number, **values, image_field: _image(user, number)}
    if until is not None:
        vals["valid_until"] = until.isoformat()
    q = services.qualification_submit(actor=user, qtype=qtype, values=vals, shop=shop)
    # The automatic checks normally run in Celery after commit; run them now for the demo.
    services.revision_run_checks(revision_id=q.latest_revision_id)
    q.refresh_from_db()
    if decide is not None and reviewer is not None and q.latest_revision.status == RevisionStatus.PENDING:
        services.qualification_decide(
            qualification_id=q.pk, reviewer=reviewer, approved=decide, reason="" if decide else "照片模糊，请重新上传"
        )
    return True


def seed(stdout: Any) -> None:
    from shop.demo import DEMO_PASSWORD
    from shop.services import user_upsert

    changed = seed_catalogue()
    # S-SNACK has no demo login in shop.demo; give it one so its qualifications have an owner.
    if Shop.objects.filter(code="S-SNACK").exists():
        changed += user_upsert(username="merchant_snack", password=DEMO_PASSWORD, role="merchant", shop="S-SNACK")[1]
    today = timezone.localdate()
    demo = [
        ("S-SNACK", "food_license", "JY13101050001", {"holder": "好味零食铺"}, today + dt.timedelta(days=365), True),
        ("S-SNACK", "food_license", "JY13101050002", {"holder": "好味零食铺"}, today + dt.timedelta(days=6), True),
        ("S-SNACK", "food_license", "JY13101050003", {"holder": "好味零食铺"}, today + dt.timedelta(days=500), None),
        ("S-BEAUTY", "cosmetics_filing", "国妆网备字2024000123", {"product_name": "丝绒雾面口红"}, None, True),
        ("S-BEAUTY", "cosmetics_filing", "国妆网备字2024000456", {"product_name": "闪电购口红"}, None, None),
        ("S-BEAUTY", "brand_authorization", "BA-2024-088", {"brand": "美美"}, today + dt.timedelta(days=25), True),
        ("S-BEAUTY", "business_license", "91310000MA1FL0XX1X", {"company": "美美美妆有限公司"}, None, True),
        ("S-SNACK", "business_license", "91310000MA1SNACK1X", {"company": "好味零食铺有限公司"}, None, False),
    ]
    made = [
        _demo_qualification(shop_code=s, type_code=t, number=n, values=v, until=u, decide=d)
        for s, t, n, v, u, d in demo
    ]
    changed += sum(made)
    # Link the demo products to their approved qualifications (QL-3).
    from shop.models import Product

    links = {
        "P-NUTS": ("S-SNACK", "JY13101050001"),
        "P-MILK": ("S-SNACK", "JY13101050002"),
        "P-LIPSTICK": ("S-BEAUTY", "国妆网备字2024000123"),
        "P-FLASH": ("S-BEAUTY", "国妆网备字2024000456"),
    }
    for code, (shop_code, number) in links.items():
        product = Product.objects.filter(code=code).first()
        q = Qualification.objects.filter(shop__code=shop_code, certificate_number=number).first()
        if product and q and not product.qualification_links.filter(qualification=q).exists():
            services.product_qualifications_set(product=product, qualification_ids=[q.pk], actor=None)
            changed += 1
    # QL-6: P-CREAM carries legacy attributes.
    report = migrate_legacy()
    changed += sum(report.created.values()) + report.links_created
    services.qualifications_remind(today=today)
    stdout.write(f"qualifications demo: changed {changed}")
