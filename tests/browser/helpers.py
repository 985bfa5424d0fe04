"""Helpers for the browser tests: expected texts in the page's language, phone-width checks."""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from PIL import Image

ZH = "zh-hans"  # what a browser sending Accept-Language: zh-CN gets (LocaleMiddleware)


def tr(msgid: str | Promise, lang: str = ZH, **params: Any) -> str:
    """The text a user reading ``lang`` sees for ``msgid`` (the app's own catalogue decides, so
    a better translation later does not break the test; a missing one falls back to English
    on both sides). A lazy string (a choice label) is rendered in ``lang``."""
    with translation.override(lang):
        text = str(msgid) if isinstance(msgid, Promise) else translation.gettext(msgid)
    return text % params if params else text


def trn(singular: str, plural: str, n: int, lang: str = ZH) -> str:
    """Plural form of a ``{% blocktrans count n=… %}`` sentence, as the user reading ``lang`` sees it."""
    with translation.override(lang):
        return translation.ngettext(singular, plural, n) % {"n": n}


def png_file(name: str = "licence.png", size: tuple[int, int] = (320, 200), color: str = "#3370ff") -> dict:
    """A real PNG as Playwright's set_input_files payload (what a phone camera roll would give)."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buf.getvalue()}


def horizontal_overflow(page) -> dict | None:
    """None when the page fits the viewport's width (1 px of rounding allowed); otherwise the
    widths and the widest elements sticking out, so a failure says what to fix."""
    return page.evaluate(
        """() => {
          const se = document.scrollingElement, vw = window.innerWidth;
          if (se.scrollWidth <= vw + 1) return null;
          const out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > vw + 1 && r.width > 0) {
              out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
                       `${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''}` +
                       ` right=${Math.round(r.right)}`);
            }
          }
          return {scrollWidth: se.scrollWidth, innerWidth: vw, offenders: out.slice(0, 8)};
        }"""
    )


def within_viewport(page, locator) -> bool:
    """The element is displayed and lies horizontally inside the viewport (no sideways scroll
    needed to reach it)."""
    box = locator.bounding_box()
    if box is None:
        return False
    width = page.evaluate("window.innerWidth")
    return box["x"] >= 0 and box["x"] + box["width"] <= width + 1 and box["width"] > 0 and box["height"] > 0
