#!/usr/bin/env bash
# System packages the test suite needs beyond Python, installed with apt-get only when missing:
#   - Chromium at /usr/bin/chromium, driven by the browser tests (tests/browser/). Playwright
#     uses it as it is; `playwright install` is never run.
#   - A Java runtime, for the HTML validator (tests/test_html_valid.py).
#   - npm (with Node.js), which installs axe-core, vnu.jar and Lighthouse (package.json).
#   - zbarimg (zbar-tools) and pdftoppm (poppler-utils): the routine handout test turns the
#     printed PDF into an image and reads its QR code back.
#   - redis-server: tests/test_shared_version.py starts Redis servers of its own, to restart
#     one from an older snapshot.
# Safe to run again: when all are present it does nothing. Uses sudo when not run as root.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v zbarimg >/dev/null 2>&1 || packages+=(zbar-tools)
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)

if [ "${#packages[@]}" -eq 0 ]; then
  echo "install-system-deps: Chromium, Java, npm, zbarimg, pdftoppm and redis-server are already installed."
  exit 0
fi

fail() {
  echo "install-system-deps: cannot install ${packages[*]}: $1" >&2
  echo "Install them by hand (Debian/Ubuntu: apt-get install --no-install-recommends ${packages[*]})," >&2
  echo "making sure Chromium ends up at $CHROMIUM." >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available on this system."
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not running as root and sudo is unavailable or needs a password."
fi

echo "install-system-deps: installing ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq || fail "apt-get update failed."
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" || fail "apt-get install failed."

[ -x "$CHROMIUM" ] || fail "Chromium was installed but $CHROMIUM does not exist."
command -v java >/dev/null 2>&1 || fail "the Java runtime was installed but java is not on PATH."
command -v npm >/dev/null 2>&1 || fail "npm was installed but is not on PATH."
command -v zbarimg >/dev/null 2>&1 || fail "zbar-tools was installed but zbarimg is not on PATH."
command -v pdftoppm >/dev/null 2>&1 || fail "poppler-utils was installed but pdftoppm is not on PATH."
command -v redis-server >/dev/null 2>&1 || fail "redis-server was installed but is not on PATH."
echo "install-system-deps: done."
