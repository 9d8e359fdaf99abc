#!/usr/bin/env bash
# Makes sure the Debian/Ubuntu packages AIM3 Desk needs are present.
# As root: installs what is missing. Otherwise: prints the exact apt-get line and fails.
#   scripts/system-deps.sh [base|gui|package]
set -eu
# Qt offscreen (tests), fonts for reports, poppler for PDF text extraction in tests,
# Enchant with the British English Hunspell dictionary for spell checking (pyenchant),
# and the standard age and openssl commands that the interoperability test runs against
# bundles (IT opens and checks bundles with them; docs/deployment.md).
base="libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core poppler-utils libenchant-2-2 hunspell-en-gb age openssl"
# A real window on X11 (make run) and a virtual screen for screenshots.
gui="libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libx11-xcb1 xvfb xauth"
# Building installers: .deb tooling, NSIS for the Windows installer definition.
pkg="dpkg-dev nsis binutils"
want="$base"
case "${1:-base}" in
  gui) want="$base $gui" ;;
  package) want="$base $gui $pkg" ;;
esac
# A fresh Debian/Ubuntu python3 may lack venv/ensurepip.
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then want="$want python3-venv python3-pip"; fi
command -v python3 >/dev/null 2>&1 || want="$want python3 python3-venv python3-pip"

missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing system packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "AIM3 Desk needs these system packages. Please run:" >&2
  echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
