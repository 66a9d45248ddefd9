"""Debian's Chromium, for the browser tests and `make screenshots`. Playwright drives the
system's browser: `playwright install` (which downloads one) is never used."""

import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
MISSING = f"Chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh"


def launch_chromium(playwright):
    """A headless Chromium. Raises FileNotFoundError, with what to do, if it isn't installed."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(MISSING)
    args = ["--disable-gpu", "--disable-dev-shm-usage"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
