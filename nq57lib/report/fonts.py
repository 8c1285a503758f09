"""Fonts with full Vietnamese coverage, loaded from files rather than from the system.

The briefing follows Nghị định 30/2020: a Times-metric serif for text and tables —
Liberation Serif 2 (SIL Open Font License; shipped in ``nq57lib/data/fonts`` with its
licence), whose glyphs cover every Vietnamese letter. Charts use DejaVu Sans, which
matplotlib ships. Debian's older fonts-liberation (v1) lacks most Vietnamese letters and
matplotlib does not resolve fontconfig aliases, so nq57 never asks the system for a
family by name: every face is registered from its file.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from nq57lib.core import config

SANS = "DejaVu Sans"
SERIF = "Liberation Serif"

_FILES = {
    (SANS, "normal", "normal"): "DejaVuSans.ttf",
    (SANS, "bold", "normal"): "DejaVuSans-Bold.ttf",
    (SANS, "normal", "italic"): "DejaVuSans-Oblique.ttf",
    (SANS, "bold", "italic"): "DejaVuSans-BoldOblique.ttf",
    (SERIF, "normal", "normal"): "LiberationSerif-Regular.ttf",
    (SERIF, "bold", "normal"): "LiberationSerif-Bold.ttf",
    (SERIF, "normal", "italic"): "LiberationSerif-Italic.ttf",
    (SERIF, "bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


def font_dir(family: str = SANS) -> Path:
    """Where a family's files are: matplotlib's own (DejaVu) or nq57's (Liberation Serif)."""
    if family == SERIF:
        return config.FONTS_DIR
    # Found without importing matplotlib: the renderer process never draws a chart.
    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"


def font_faces() -> list[tuple[str, str, str, Path]]:
    """(family, weight, style, path) for every face nq57 uses."""
    return [
        (fam, weight, style, font_dir(fam) / name) for (fam, weight, style), name in _FILES.items()
    ]


@lru_cache(maxsize=1)
def register_matplotlib_fonts() -> str:
    """Register the faces with matplotlib and return the family charts should use."""
    from matplotlib import font_manager

    for _family, _weight, _style, path in font_faces():
        font_manager.fontManager.addfont(str(path))
    return SANS
