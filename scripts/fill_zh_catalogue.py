"""Complete the zh_Hans message catalogue after `makemessages`.

The source strings (msgids) are already Simplified Chinese, so the zh_Hans translation of
every entry is its msgid. makemessages leaves new entries empty and msgmerge marks changed
ones fuzzy with a guessed msgstr taken from a similar old entry; both would make the
Chinese site show a stale or missing text. This fills empty and fuzzy entries with the
msgid, leaves deliberately edited ones alone, and clears the header's fuzzy flag so
msgfmt reads the plural rule. The few msgids in English reuse one of Django's own strings
(e.g. the admin's row checkbox label) to get Django's translation; they take Django's
Chinese text, as copying the English msgid would override it.

Usage: .venv/bin/python scripts/fill_zh_catalogue.py [path/to/django.po ...]
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

import django
import polib

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DIR = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
# Matches msgmerge's line width so `make messages` leaves no needless diff.
WRAP_WIDTH = 79
HAN = re.compile(r"[\u3400-\u9fff]")


def _django_catalogues() -> list[gettext.NullTranslations]:
    root = Path(django.__file__).resolve().parent
    dirs = [root / "conf" / "locale", *sorted((root / "contrib").glob("*/locale"))]
    found = []
    for locale_dir in dirs:
        try:
            found.append(gettext.translation("django", str(locale_dir), ["zh_Hans"]))
        except OSError:
            continue
    return found


def _django_text(msgid: str, catalogues: list[gettext.NullTranslations]) -> str | None:
    for catalogue in catalogues:
        text = catalogue.gettext(msgid)
        if text != msgid:
            return text
    return None


def _nplurals(po: polib.POFile) -> int:
    rule = po.metadata.get("Plural-Forms", "nplurals=1; plural=0;")
    for part in rule.split(";"):
        key, _, value = part.strip().partition("=")
        if key.strip() == "nplurals":
            return int(value)
    return 1


def fill(path: Path) -> int:
    """Fill one catalogue in place and return how many entries were changed."""
    po = polib.pofile(str(path), wrapwidth=WRAP_WIDTH)
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Project-Id-Version"] = "fao_portal"
    po.metadata_is_fuzzy = False
    nplurals = _nplurals(po)
    catalogues = _django_catalogues()
    changed = 0
    for entry in po:
        if entry.obsolete:
            continue
        fuzzy = entry.fuzzy
        if fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if fuzzy or any(not forms.get(i) for i in range(nplurals)):
                # Chinese has one plural form; the plural msgid is the general one.
                entry.msgstr_plural = {i: entry.msgid_plural for i in range(nplurals)}
                changed += 1
            continue
        borrowed = None if HAN.search(entry.msgid) else _django_text(entry.msgid, catalogues)
        if borrowed is not None and entry.msgstr != borrowed:
            entry.msgstr = borrowed
            changed += 1
        elif borrowed is None and (fuzzy or not entry.msgstr):
            entry.msgstr = entry.msgid
            changed += 1
    po.save(str(path))
    return changed


def main(argv: list[str]) -> int:
    paths = [Path(arg).resolve() for arg in argv] or sorted(DEFAULT_DIR.glob("*.po"))
    for path in paths:
        changed = fill(path)
        print(f"{path}: {changed} entries filled")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
