"""Reports layer: registers the DejaVu fonts shipped in resources/fonts/ with ReportLab.

ReportLab's built-in fonts cover Latin-1 only; DejaVu Sans covers Polish, Greek, Cyrillic and the
symbols the reports use. The fonts are read through importlib.resources (so they are found in a
wheel or a PyInstaller bundle, not only in the source tree) and embedded as subsets in every PDF.
Every report calls ``register_fonts()`` before drawing; it is cheap after the first call.
"""

from __future__ import annotations

import io
import threading
from importlib import resources
from typing import Final

RESOURCE_PACKAGE: Final = "crampdiary.resources"
FONT_FOLDER: Final = "fonts"

SANS: Final = "DejaVuSans"
SANS_BOLD: Final = "DejaVuSans-Bold"

FONT_FILES: Final[dict[str, str]] = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
}

# ReportLab's font registry is process-wide; the lock keeps two report threads from both loading.
_lock = threading.Lock()


def font_bytes(font_name: str) -> bytes:
    """The TrueType file of one shipped font (a key of FONT_FILES), read from the package."""
    filename = FONT_FILES[font_name]
    return resources.files(RESOURCE_PACKAGE).joinpath(FONT_FOLDER, filename).read_bytes()


def register_fonts() -> None:
    """Registers DejaVu Sans (regular and bold) and its family with ReportLab, once per process.

    The family maps <b> in Paragraph markup to the bold face; italics fall back to the upright
    faces (no oblique face is shipped) rather than failing.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        if all(name in registered for name in FONT_FILES):
            return
        for name in FONT_FILES:
            if name not in registered:
                # A file-like object: works whether the package is a folder or a zip.
                data = io.BytesIO(font_bytes(name))
                pdfmetrics.registerFont(TTFont(name, data))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
        )
