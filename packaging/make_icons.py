"""Render the app's own icon (resources/icons/aim3desk.svg) into the files installers want.

    python packaging/make_icons.py OUT_DIR

Writes aim3desk-<size>.png (Linux hicolor theme), aim3desk.ico (Windows executable and
installer) and aim3desk.icns (macOS bundle). Qt renders the SVG (QtSvg is in
PySide6-Essentials); Pillow, already installed for reportlab, writes .ico and .icns.
Binary icons are generated, never committed, so the window icon and the installed icons
always come from the one SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SOURCE = Path(__file__).resolve().parents[1] / "resources" / "icons" / "aim3desk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_pngs(out_dir: Path) -> dict[int, Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read icon source {SOURCE}")
    written: dict[int, Path] = {}
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out_dir / f"aim3desk-{size}.png"
        if not image.save(str(path)):
            raise SystemExit(f"cannot write {path}")
        written[size] = path
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs = render_pngs(out_dir)

    from PIL import Image

    largest = Image.open(pngs[1024]).convert("RGBA")
    largest.save(out_dir / "aim3desk.ico", sizes=[(s, s) for s in ICO_SIZES])
    largest.save(out_dir / "aim3desk.icns")
    print(f"icons written to {out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
