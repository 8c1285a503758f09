"""Measure a rendered briefing in headless Chromium: table cells narrower than a word.

Used by the tests (skipped when Chromium is missing). A script added to a copy of the HTML
measures, after layout, every table cell's content width against its longest word (each
piece of text in its own font), and whether the page itself is wider than the window
(tables should scroll inside their own wrapper instead); ``--dump-dom`` returns the
result. A file path ("2026-Q3/kinh-te.xlsx") is not a word: it may break at "/" or "-".
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
_SCRIPT = """
<script>
window.addEventListener('load', () => {
  const ctx = document.createElement('canvas').getContext('2d');
  const narrow = [];
  document.querySelectorAll('table.nq57-table td, table.nq57-table th').forEach(cell => {
    const st = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
    // Each piece of text in its own font (a footnote sign is smaller than the figure).
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const own = getComputedStyle(node.parentElement);
      ctx.font = `${own.fontStyle} ${own.fontWeight} ${own.fontSize} ${own.fontFamily}`;
      for (const word of node.textContent.split(/\\s+/).filter(Boolean)) {
        if (/[a-z].*[/]|[/].*[a-z]/i.test(word)) continue;  // a file path, not a word
        const width = ctx.measureText(word).width;
        if (width > inner + 1) narrow.push(`${word}: ${width.toFixed(0)} > ${inner.toFixed(0)}`);
      }
    }
  });
  const result = document.createElement('pre');
  result.id = 'nq57-layout';
  result.textContent = JSON.stringify({
    narrow: narrow,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    tables: document.querySelectorAll('table.nq57-table').length,
  });
  document.body.appendChild(result);
});
</script>
"""


def measure(html: Path, width: int) -> dict:
    """Chromium's measurements of ``html`` in a window ``width`` pixels wide."""
    with tempfile.TemporaryDirectory(prefix="nq57-layout-") as work:
        page = Path(work) / "page.html"
        page.write_text(html.read_text(encoding="utf-8").replace("</body>", _SCRIPT + "</body>"),
                        encoding="utf-8")  # fmt: skip
        done = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={Path(work) / 'profile'}",
                f"--window-size={width},2000", "--virtual-time-budget=10000", "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
    found = re.search(r'<pre id="nq57-layout">(.*?)</pre>', done.stdout, re.S)
    if found is None:
        raise AssertionError(f"no measurement in Chromium's output: {done.stderr[-500:]}")
    return json.loads(
        found.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
    )
