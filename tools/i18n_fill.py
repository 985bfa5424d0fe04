"""Fill msgstr in locale/zh_Hans/LC_MESSAGES/django.po from tools/zh_hans.json (msgid → 中文),
then compile the .mo (committed, so a fresh machine needs no gettext).

    python manage.py makemessages -l zh_Hans --no-fuzzy-matching --ignore=.venv --ignore=tests --ignore=bench
    python tools/i18n_fill.py            # prints msgids still untranslated
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
TABLE = ROOT / "tools/zh_hans.json"


def main() -> int:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif "fuzzy" in entry.flags or (not entry.msgstr and not entry.msgstr_plural.get(0)):
            # A fuzzy guess by makemessages is left out of the .mo: treat it as missing.
            missing.append(entry.msgid)
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    for m in missing:
        print("untranslated:", m)
    print(f"{len(missing)} untranslated of {len([e for e in po if not e.obsolete])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
