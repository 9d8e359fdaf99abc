"""Wrap the PyInstaller one-folder build in a Debian package.

    python packaging/linux/build_deb.py [--version 0.1.0] [--dist packaging/dist/aim3desk]

Layout of the package:
    /opt/aim3desk/                         the PyInstaller folder (executable + _internal/)
    /usr/bin/aim3desk -> /opt/aim3desk/aim3desk
    /usr/share/applications/aim3desk.desktop
    /usr/share/icons/hicolor/*/apps/aim3desk.{png,svg}
    /usr/share/doc/aim3desk/{copyright,policy.example.toml}

No maintainer scripts: the desktop and icon caches are refreshed by the dpkg triggers of
desktop-file-utils and hicolor-icon-theme, and nothing under users' homes or /etc is ever
touched, so removing or purging the package leaves profiles and machine policy in place.

Depends is worked out from the bundle itself: every shared library an ELF file in the
bundle needs but that PyInstaller did not bundle (libEGL/libGL, glibc, libxcb, wayland...)
is looked up with `dpkg -S` on the build machine, plus the packages Qt loads at run time
without a link-time dependency (xcb platform libraries, fonts, keyboard data).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "aim3desk"
DEFAULT_MAINTAINER = "AIM3 Desk maintainers <aim3desk@example.invalid>"
INSTALL_DIR = Path("opt") / PACKAGE

# Loaded at run time or needed for data files, so invisible to a NEEDED scan; named here
# because the issue (and Qt's own deployment notes) list them as what a desktop must provide.
RUNTIME_DEPENDS = [
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "fonts-dejavu-core",
]
# Spell checking (pyenchant loads libenchant with ctypes): the app works without it, so these
# are recommended rather than required.
RUNTIME_RECOMMENDS = ["libenchant-2-2", "hunspell-en-gb"]
# Libraries Qt's Wayland plugins link to that a build machine without a desktop may lack:
# their Debian/Ubuntu package names, used when `dpkg -S` cannot tell.
KNOWN_PACKAGES = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libdrm.so.2": "libdrm2",
    "libxcb.so.1": "libxcb1",
}
# NEEDED entries that are satisfied by libc6 itself or that we deliberately do not ship.
GLIBC_SONAMES = {
    "libc.so.6",
    "libm.so.6",
    "libdl.so.2",
    "libpthread.so.0",
    "librt.so.1",
    "libresolv.so.2",
    "libutil.so.1",
    "ld-linux-x86-64.so.2",
    "ld-linux-aarch64.so.1",
}


def read_app_version() -> str:
    text = (ROOT / "src" / "aim3desk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not match:
        raise SystemExit("cannot find __version__ in src/aim3desk/__init__.py")
    return match.group(1)


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> tuple[dict[str, set[str]], str]:
    """Sonames the bundle needs from the system (-> which files need them), max GLIBC version."""
    bundled = {p.name for p in bundle.rglob("*")}
    needed: dict[str, set[str]] = {}
    glibc = (2, 17)
    for elf in elf_files(bundle):
        dump = run("objdump", "-p", "-T", str(elf))
        for soname in re.findall(r"^\s*NEEDED\s+(\S+)", dump, re.MULTILINE):
            if soname not in bundled:
                needed.setdefault(soname, set()).add(str(elf.relative_to(bundle)))
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", dump):
            glibc = max(glibc, (int(major), int(minor)))
    return needed, f"{glibc[0]}.{glibc[1]}"


def owning_package(soname: str) -> str | None:
    """The Debian package that provides soname on this machine (via the loader cache)."""
    cache = run("ldconfig", "-p")
    paths = re.findall(rf"^\s*{re.escape(soname)} \(.*\) => (\S+)$", cache, re.MULTILINE)
    for path in paths:
        for candidate in {path, os.path.realpath(path)}:
            result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                return result.stdout.split(":")[0].strip()
    return None


def compute_depends(bundle: Path) -> tuple[list[str], list[str]]:
    needed, glibc = system_libraries(bundle)
    depends = {f"libc6 (>= {glibc})"}
    unresolved = []
    for soname, users in sorted(needed.items()):
        if soname in GLIBC_SONAMES:
            continue
        package = owning_package(soname) or KNOWN_PACKAGES.get(soname)
        if package is None:
            unresolved.append(f"{soname} (needed by {', '.join(sorted(users)[:3])})")
        else:
            depends.add(package)
    depends.update(RUNTIME_DEPENDS)
    libc = sorted(d for d in depends if d.startswith("libc6 "))
    return libc + sorted(d for d in depends if not d.startswith("libc6 ")), unresolved


def normalise_permissions(tree: Path) -> None:
    """Directories 755, executables and shared objects 755, everything else 644."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.stat().st_mode & 0o111 or path.suffix == ".so" or ".so." in path.name
            path.chmod(0o755 if executable else 0o644)


def folder_kib(folder: Path) -> int:
    total = sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())
    return (total + 1023) // 1024


def build(args: argparse.Namespace) -> Path:
    dist = Path(args.dist).resolve()
    if not (dist / PACKAGE).is_file():
        raise SystemExit(f"{dist}/{PACKAGE} not found: run PyInstaller first (make package)")
    icons = Path(args.icons).resolve()
    arch = run("dpkg", "--print-architecture").strip()
    stage = Path(args.work).resolve() / f"{PACKAGE}_{args.version}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)

    shutil.copytree(dist, stage / INSTALL_DIR, symlinks=True)
    (stage / "usr/bin").mkdir(parents=True)
    os.symlink(f"/{INSTALL_DIR}/{PACKAGE}", stage / "usr/bin" / PACKAGE)

    apps = stage / "usr/share/applications"
    apps.mkdir(parents=True)
    shutil.copy(ROOT / "packaging/linux/aim3desk.desktop", apps / f"{PACKAGE}.desktop")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        target = stage / f"usr/share/icons/hicolor/{size}x{size}/apps"
        target.mkdir(parents=True)
        shutil.copy(icons / f"aim3desk-{size}.png", target / f"{PACKAGE}.png")
    scalable = stage / "usr/share/icons/hicolor/scalable/apps"
    scalable.mkdir(parents=True)
    shutil.copy(ROOT / "resources/icons/aim3desk.svg", scalable / f"{PACKAGE}.svg")

    doc = stage / f"usr/share/doc/{PACKAGE}"
    doc.mkdir(parents=True)
    shutil.copy(ROOT / "packaging/linux/copyright", doc / "copyright")
    shutil.copy(ROOT / "packaging/policy.example.toml", doc / "policy.example.toml")

    depends, unresolved = compute_depends(stage / INSTALL_DIR)
    if unresolved:
        raise SystemExit(
            "These libraries are needed by the bundle but provided by no installed package;\n"
            "install them on the build machine or exclude the component:\n  "
            + "\n  ".join(unresolved)
        )
    normalise_permissions(stage)
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.parent.chmod(0o755)
    control.write_text(
        f"Package: {PACKAGE}\n"
        f"Version: {args.version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {args.maintainer}\n"
        f"Installed-Size: {folder_kib(stage)}\n"
        f"Depends: {', '.join(depends)}\n"
        f"Recommends: {', '.join(RUNTIME_RECOMMENDS)}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: encrypted desktop workspace for AIM3 assessments\n"
        " AIM3 Desk helps practitioners in UK youth justice and children's social\n"
        " care carry out AIM3 and AIM u12 assessments. Every practitioner's data is\n"
        " kept in one encrypted profile folder in their home directory; removing\n"
        " this package never touches those folders or the machine policy in\n"
        " /etc/xdg/aim3desk/policy.toml.\n",
        encoding="utf-8",
    )
    control.chmod(0o644)

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"{PACKAGE}_{args.version}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--build", "--root-owner-group", f"-Z{args.compression}", stage, deb],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"Depends: {', '.join(depends)}")
    print(f"built {deb} ({deb.stat().st_size / 1e6:.1f} MB)")
    return deb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default=os.environ.get("PKG_VERSION") or read_app_version())
    parser.add_argument("--dist", default=str(ROOT / "packaging/dist/aim3desk"))
    parser.add_argument("--icons", default=str(ROOT / "packaging/build/icons"))
    parser.add_argument("--work", default=str(ROOT / "packaging/build/deb"))
    parser.add_argument("--out", default=str(ROOT / "packaging/dist"))
    parser.add_argument(
        "--maintainer",
        default=os.environ.get("PKG_MAINTAINER", DEFAULT_MAINTAINER),
    )
    parser.add_argument("--compression", default="zstd", choices=["zstd", "xz", "gzip"])
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[0-9][A-Za-z0-9.+~-]*", args.version):
        raise SystemExit(f"not a valid Debian version: {args.version!r}")
    build(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
