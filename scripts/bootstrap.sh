#!/usr/bin/env bash
# Brings a fresh Debian machine with Python 3.11 to a ready .venv (idempotent).
# Installs the Debian packages the portal needs when run as root; otherwise names them.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-noto-cjk: the PDF's CJK faces; poppler-utils: pdftotext/pdffonts in tests;
# chromium: browser tests; gettext: compiling the message catalogue.
APT_PACKAGES=(fonts-noto-cjk fonts-wqy-microhei poppler-utils chromium gettext
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 wrk)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> installing Debian packages: ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the pins changed since the last install.
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
mkdir -p var/static var/media
