"""How a page looks and reads in Chromium: colour scheme and width emulated over CDP, a
screenshot of each, no horizontal scrolling on a phone, and axe-core's WCAG 2.1 A/AA rules.

axe-core comes from the npm registry, pinned in tests/browser/axe/package-lock.json and
installed by scripts/ci/install-node-packages.sh (`make services`). It is injected with
Selenium's `execute_script`, which runs through the DevTools protocol and so is not subject
to the page's CSP (the pages' own `script-src 'self'` still applies to everything else).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.chromium.webdriver import ChromiumDriver
from selenium.webdriver.remote.webdriver import WebDriver

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCHEMES = ("light", "dark")


@dataclass(frozen=True)
class Width:
    """A viewport: a desktop window or a phone (mobile: the viewport meta tag applies)."""

    name: str
    pixels: int
    height: int
    mobile: bool


DESKTOP = Width("desktop", 1280, 800, mobile=False)
PHONE = Width("phone", 390, 844, mobile=True)
WIDTHS = (DESKTOP, PHONE)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((results) => done({
    version: axe.version,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " — " + (n.failureSummary || "")),
    })),
  }))
  .catch((error) => done({error: String(error)}));
"""


@cache
def axe_source() -> str:
    """axe-core's browser build; a missing install fails under CI=true, else skips."""
    if not AXE.exists():
        reason = f"{AXE} is missing; install it with scripts/ci/install-node-packages.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Look:
    """What one page showed in one scheme at one width."""

    width: int
    screenshot: Path
    scroll_width: int
    axe_version: str
    violations: list[dict[str, Any]]


def emulate(driver: WebDriver, scheme: str, width: Width) -> None:
    """Render as a `scheme` (light/dark) reader on a `width` screen would see it."""
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width.pixels,
            "height": width.height,
            "deviceScaleFactor": 1,
            "mobile": width.mobile,
        },
    )


def look(driver: WebDriver, artifacts: Path, name: str, scheme: str, width: Width) -> Look:
    """Emulate, screenshot to `<artifacts>/<name>-<width>px-<scheme>.png`, measure the
    document's width and run axe (injected if the page does not have it yet)."""
    emulate(driver, scheme, width)
    artifacts.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", f"{name}-{width.pixels}px-{scheme}")
    path = artifacts / f"{stem}.png"
    assert driver.save_screenshot(str(path)), path
    scroll_width = driver.execute_script("return document.documentElement.scrollWidth")
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source())
    result = driver.execute_async_script(RUN_AXE, WCAG_21_AA)
    assert "error" not in result, result
    return Look(
        width.pixels, path, int(scroll_width), str(result["version"]), list(result["violations"])
    )


def looks(driver: WebDriver, artifacts: Path, name: str) -> list[Look]:
    """The page in both schemes at both widths (the emulation is reset afterwards)."""
    try:
        return [look(driver, artifacts, name, s, w) for w in WIDTHS for s in SCHEMES]
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def console(driver: WebDriver) -> list[dict[str, Any]]:
    """The browser's console entries since the last call (CSP reports among them)."""
    assert isinstance(driver, ChromiumDriver), driver
    return list(driver.get_log("browser"))  # type: ignore[no-untyped-call]
