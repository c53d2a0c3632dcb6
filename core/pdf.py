"""HTML to PDF with WeasyPrint, with the fonts of the GB/T 9704-2012 layout, quickly.

`html_to_pdf(html, title=...)` is the one entry point; any app may use it (the annual report,
the dashboard's one-page summary). Templates name fonts through `FONT_STACKS` (official
fonts first, then the free fonts this module prepares) and put `font_face_css()` in their
stylesheet, or let `html_to_pdf` add it.

Why prepared fonts: writing a PDF with a stock Noto CJK collection (a 26 MB file of 65,000
glyphs) spends seconds subsetting it. Once per machine each free face is cut
down with fontTools to a fixed common character set (ASCII, GB 2312 and CJK punctuation) and
cached under var/fonts/, keyed by the source file's hash and the character set. WeasyPrint
then embeds a subset of a ~2.7 MB font, which takes milliseconds. A character outside the
set still falls through to the installed system font, so nothing is ever lost.

The official faces of GB/T 9704-2012 (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) are
licensed, so none ships with the portal. An office that holds licences puts the font files
(.ttf, .otf or .ttc) in the official fonts directory, `FAO_OFFICIAL_FONTS_DIR` (default
var/fonts/official/), or installs them system-wide (fontconfig). Either way every PDF picks
them up automatically: the stacks below name them first, and each file in the directory gets
an @font-face rule under every family name its name table declares (Chinese and English).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from core.files import sha256_file

logger = logging.getLogger(__name__)

# Font stacks: the official faces of GB/T 9704-2012 first (commercial, used when an office has
# them installed), then the free faces prepared here ("FAO …"), then the installed free fonts.
FONT_STACKS: dict[str, str] = {
    # 方正小标宋简体 for the title.
    "xiaobiaosong": (
        '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", '
        '"FAO Title", "Noto Serif CJK SC", serif'
    ),
    # 仿宋_GB2312 for the body.
    "fangsong": (
        '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", '
        '"FAO Song", "Noto Serif CJK SC", serif'
    ),
    # 黑体 for "一、" headings.
    "heiti": '"黑体", "SimHei", "STHeiti", "FAO Hei", "Noto Sans CJK SC", sans-serif',
    # 楷体_GB2312 for "（一）" headings.
    "kaiti": (
        '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", '
        '"FAO Song", "Noto Serif CJK SC", serif'
    ),
    # 宋体 for page numbers.
    "songti": '"宋体", "SimSun", "STSong", "FAO Song", "Noto Serif CJK SC", serif',
}


@dataclass(frozen=True)
class FreeFace:
    """A free face prepared for the PDF: which installed font it is cut from."""

    family: str  # the @font-face family the stacks above use
    source_family: str  # fontconfig family of the installed font
    source_style: str
    debian_package: str


FREE_FACES = (
    FreeFace("FAO Song", "Noto Serif CJK SC", "Regular", "fonts-noto-cjk"),
    FreeFace("FAO Title", "Noto Serif CJK SC", "Bold", "fonts-noto-cjk"),
    FreeFace("FAO Hei", "Noto Sans CJK SC", "Regular", "fonts-noto-cjk"),
)

CHARSET_NAME = "gb2312-v2"


@cache
def common_charset() -> frozenset[int]:
    """ASCII, every character of GB 2312 (6,763 hanzi and its symbols) and CJK punctuation."""
    chars = set(range(0x20, 0x7F))
    chars.update((0xA0, 0xB7, 0x2116, 0x2122, 0x3000))
    chars.update(range(0x2010, 0x2027))  # dashes, quotes, ellipsis
    chars.update(range(0x3001, 0x3020))  # CJK punctuation and brackets
    chars.update(range(0xFF01, 0xFF5F))  # full-width forms
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.update(map(ord, bytes((high, low)).decode("gb2312")))
    return frozenset(chars)


def charset_digest(chars: frozenset[int]) -> str:
    return hashlib.sha256(",".join(map(str, sorted(chars))).encode()).hexdigest()[:12]


def font_cache_dir() -> Path:
    return Path(settings.FAO_FONT_CACHE_DIR)


class MissingFontError(RuntimeError):
    """A free font the PDF needs is not installed."""


# Where Debian's fonts-noto-cjk puts the faces, for a machine without fontconfig's tools.
DEBIAN_FONT_FILES = {
    ("Noto Serif CJK SC", "Regular"): "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    ("Noto Serif CJK SC", "Bold"): "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    ("Noto Sans CJK SC", "Regular"): "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
}


@cache
def locate_face(family: str, style: str) -> tuple[Path, int]:
    """File and collection index of an installed font, through fontconfig."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        out = subprocess.run(  # noqa: S603
            [
                fc_match,
                "--format=%{file}\n%{index}\n%{family}\n%{style}",
                f"{family}:style={style}",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        ).stdout.split("\n")
        if len(out) >= 4 and family in out[2].split(",") and style in out[3].split(","):
            return Path(out[0]), int(out[1] or 0)
    known = DEBIAN_FONT_FILES.get((family, style))
    if known and Path(known).exists():
        from fontTools.ttLib import TTCollection

        for index, font in enumerate(TTCollection(known, lazy=True).fonts):
            if font["name"].getDebugName(1) == family:
                return Path(known), index
    raise MissingFontError(f"{family} {style}")


def _file_sha256(path: Path) -> str:
    """SHA-256 of a font file, remembered in var/fonts/sources.json by size and mtime so a new
    process does not re-read 26 MB to find its cached subset."""
    stat = path.stat()
    index_file = font_cache_dir() / "sources.json"
    stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
    try:
        known = json.loads(index_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    entry = known.get(str(path))
    if entry and entry.get("stamp") == stamp:
        return entry["sha256"]
    digest = sha256_file(path)
    known[str(path)] = {"stamp": stamp, "sha256": digest}
    _atomic_write(index_file, json.dumps(known, indent=1).encode())
    return digest


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _subset_font(source: Path, index: int, chars: frozenset[int], family: str) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=index, lazy=True)
    options = subset.Options()
    # Desubroutinised CFF makes WeasyPrint's own (HarfBuzz) subsetting of the result cheap.
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subset_logger = logging.getLogger("fontTools.subset")
    level = subset_logger.level
    subset_logger.setLevel(logging.WARNING)  # it logs every glyph name at INFO
    try:
        subsetter.subset(font)
    finally:
        subset_logger.setLevel(level)
    _rename(font, family)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _rename(font, family: str) -> None:
    """Give the cut its own name and a regular style. A modified OFL font must not carry the
    original's name; and WeasyPrint tells embedded fonts apart by their family and style, so
    two cuts both called "Noto Serif CJK SC" would be merged into one in the PDF."""
    postscript = family.replace(" ", "")
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(family, 1, 3, 1, 0x409)
    names.setName("Regular", 2, 3, 1, 0x409)
    names.setName(f"{postscript}-Regular;{CHARSET_NAME}", 3, 3, 1, 0x409)
    names.setName(f"{family} Regular", 4, 3, 1, 0x409)
    names.setName(f"{postscript}-Regular", 6, 3, 1, 0x409)
    font["OS/2"].usWeightClass = 400
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b100001) | 0b1000000
    font["head"].macStyle = 0
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [f"{postscript}-Regular"]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName", "Weight"):
            if hasattr(top, key):
                setattr(
                    top,
                    key,
                    {"FullName": f"{family} Regular", "FamilyName": family}.get(key, "Regular"),
                )


def prepared_face_path(face: FreeFace, *, build: bool = True) -> Path | None:
    """Path of the prepared subset of `face`, building it once if asked; None when the source
    font is not installed (the stacks then fall through to whatever fontconfig offers)."""
    try:
        source, index = locate_face(face.source_family, face.source_style)
    except MissingFontError:
        logger.warning(
            "PDF font %s %s not installed (Debian package %s)",
            face.source_family,
            face.source_style,
            face.debian_package,
        )
        return None
    chars = common_charset()
    cache_dir = font_cache_dir()
    target = cache_dir / (
        f"{face.family.replace(' ', '-')}-{_file_sha256(source)[:16]}-{index}"
        f"-{CHARSET_NAME}-{charset_digest(chars)}.otf"
    )
    if target.exists() or not build:
        return target if target.exists() else None
    cache_dir.mkdir(parents=True, exist_ok=True)
    # One builder at a time across processes; the others wait and then find the file.
    with (cache_dir / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.exists():
                logger.info("preparing PDF font %s from %s", face.family, source)
                _atomic_write(target, _subset_font(source, index, chars, face.family))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target


def prepare_fonts() -> dict[str, Path | None]:
    return {face.family: prepared_face_path(face) for face in FREE_FACES}


def font_face_css() -> str:
    """@font-face rules for the prepared free faces (built on first use)."""
    rules = []
    for face in FREE_FACES:
        path = prepared_face_path(face)
        if path is not None:
            # The title face is a bold cut renamed to a regular style: used at normal weight,
            # so no fake emboldening is ever synthesised.
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; src: url("{path.as_uri()}"); '
                "font-weight: normal; font-style: normal; }"
            )
    return "\n".join(rules)


def official_fonts_dir() -> Path:
    return Path(settings.FAO_OFFICIAL_FONTS_DIR)


@cache
def _official_faces(directory: str, stamp: tuple) -> tuple[tuple[str, str], ...]:
    """(family, file URI) for each font file in `directory` (cached until a file changes)."""
    from fontTools.ttLib import TTCollection, TTFont

    faces = []
    for path in sorted(Path(directory).iterdir()):
        suffix = path.suffix.lower()
        if suffix not in (".ttf", ".otf", ".ttc"):
            continue
        try:
            fonts = (
                TTCollection(str(path), lazy=True).fonts
                if suffix == ".ttc"
                else [TTFont(str(path), lazy=True)]
            )
        except Exception:  # noqa: BLE001 - an unreadable file is skipped, not fatal
            logger.warning("official font %s could not be read", path)
            continue
        for font in fonts:
            names = {
                record.toUnicode().strip()
                for record in font["name"].names
                if record.nameID in (1, 16)
            }
            faces.extend(
                (name, path.as_uri())
                for name in sorted(names)
                if name and not set(name) & set('"\\;{}')
            )
    return tuple(dict.fromkeys(faces))


def official_font_face_css() -> str:
    """@font-face rules for the licensed official fonts an office put in its fonts
    directory; empty when there are none."""
    directory = official_fonts_dir()
    if not directory.is_dir():
        return ""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(directory.iterdir()))
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{uri}"); }}'
        for family, uri in _official_faces(str(directory), stamp)
    )


def _stylesheets(extra_css: str, font_config):
    from weasyprint import CSS

    # @font-face rules only register when the stylesheet is parsed with the font_config.
    css = "\n".join(filter(None, (official_font_face_css(), font_face_css(), extra_css)))
    return [CSS(string=css, font_config=font_config)]


def layout(html: str, *, base_url: str | None = None, extra_css: str = "", **options):
    """WeasyPrint's layout of `html` (the `render()` step alone), with the prepared fonts."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = _stylesheets(extra_css, font_config)
    document = HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).render(
        stylesheets=stylesheets, font_config=font_config, **options
    )
    return document


def html_to_pdf(
    html: str,
    *,
    title: str,
    author: str = "",
    lang: str = "zh-CN",
    subject: str = "",
    keywords: list[str] | None = None,
    base_url: str | None = None,
    extra_css: str = "",
    tagged: bool = True,
) -> bytes:
    """A PDF of `html` with every font embedded and document metadata set.

    `title`, `author` and `lang` overwrite whatever the HTML says, so the PDF's metadata never
    depends on a template remembering them. `tagged` produces PDF/UA-1 (tagged, accessible)."""
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    document = layout(html, base_url=base_url, extra_css=extra_css, **options)
    document.metadata.title = title
    document.metadata.lang = lang
    if author:
        document.metadata.authors = [author]
    if subject:
        document.metadata.description = subject
    if keywords:
        document.metadata.keywords = keywords
    return document.write_pdf(**options)
