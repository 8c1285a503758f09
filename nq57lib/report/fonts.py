"""Fonts with full Vietnamese coverage, loaded from files rather than from the system.

Debian's fonts-liberation (v1) lacks most Vietnamese letters and matplotlib does not
resolve fontconfig aliases, so nq57 never asks the system for "sans-serif": it uses the
DejaVu files that matplotlib itself ships (they cover Latin Extended Additional, i.e.
every Vietnamese letter) and registers them explicitly for charts and PDFs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib

SANS = "DejaVu Sans"
SERIF = "DejaVu Serif"

_FILES = {
    (SANS, "normal", "normal"): "DejaVuSans.ttf",
    (SANS, "bold", "normal"): "DejaVuSans-Bold.ttf",
    (SANS, "normal", "italic"): "DejaVuSans-Oblique.ttf",
    (SANS, "bold", "italic"): "DejaVuSans-BoldOblique.ttf",
    (SERIF, "normal", "normal"): "DejaVuSerif.ttf",
    (SERIF, "bold", "normal"): "DejaVuSerif-Bold.ttf",
    (SERIF, "normal", "italic"): "DejaVuSerif-Italic.ttf",
    (SERIF, "bold", "italic"): "DejaVuSerif-BoldItalic.ttf",
}


def font_dir() -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def font_faces() -> list[tuple[str, str, str, Path]]:
    """(family, weight, style, path) for every face nq57 uses."""
    return [
        (fam, weight, style, font_dir() / name) for (fam, weight, style), name in _FILES.items()
    ]


@lru_cache(maxsize=1)
def register_matplotlib_fonts() -> str:
    """Register the faces with matplotlib and return the family charts should use."""
    from matplotlib import font_manager

    for _family, _weight, _style, path in font_faces():
        font_manager.fontManager.addfont(str(path))
    return SANS
