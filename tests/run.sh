#!/bin/sh
# Install everything the test suite needs into .venv and run the whole suite.
# Usage: sh tests/run.sh [pytest args]   (from a fresh clone; needs only Python 3.11+)
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

# Qt needs a few shared libraries even offscreen; a minimal Debian lacks them.
need=""
"$PYTHON" -c "import ensurepip, venv" 2>/dev/null || need="yes"  # Debian splits off python3-venv
for lib in libEGL.so.1 libGL.so.1 libfontconfig.so.1 libxkbcommon.so.0 libdbus-1.so.3 libglib-2.0.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || need="yes"
done
if [ -n "$need" ] && command -v apt-get >/dev/null 2>&1; then
  pkgs="python3-venv libegl1 libgl1 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs) >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs" >/dev/null
  else
    echo "tests/run.sh: please install: $pkgs" >&2
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
