"""The dashboard in a real browser: the server started as ``make dashboard`` starts it, the
pages opened in Debian's headless Chromium through Playwright (its own browser download
is not used). Each test saves a screenshot of what it checked to ``results/screenshots/``
(git-ignored).

Without a headless Chromium (``scripts/install-browser`` installs one) these tests skip,
except in CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
SHOTS = ROOT / "results" / "screenshots"
BROWSERS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
# as the machine's headless Chromium must run: no sandbox as root, and none of the
# background requests a closed network refuses
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")
WAIT = 90_000  # ms: the first page computes the shared histories


def _browser() -> str:
    for path in BROWSERS:
        if os.access(path, os.X_OK):
            return path
    message = "no headless Chromium: scripts/install-browser installs Debian's"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """The dashboard served from a fresh working directory holding one collected sweep
    (the committed reference) under ``results/sweeps/``."""
    browser = _browser()
    cwd = tmp_path_factory.mktemp("dashboard")
    reference = ROOT / "results" / "reference" / "policy_comparison"
    shutil.copytree(reference, cwd / "results" / "sweeps" / "reference")
    port = _free_port()
    solara = Path(sys.executable).parent / "solara"
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    log = (cwd / "server.log").open("w")
    process = subprocess.Popen(
        [str(solara), "run", "sandbox.dashboard.app", "--production", "--no-check-version",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the dashboard did not start: {(cwd / 'server.log').read_text()}")
            time.sleep(0.5)
    yield url, browser, cwd
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser: the machine's headless Chromium."""
    return {**browser_type_launch_args, "executable_path": _browser(), "args": FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1500, "height": 1300}}


@pytest.fixture
def dashboard(server, page):
    """pytest-playwright's page, aimed at the server; every request it makes is recorded
    in ``page.requests``."""
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.base = server[0]
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _open(page, path: str = "/") -> None:
    page.goto(page.base + path)
    if path == "/":
        page.wait_for_selector(".panel-map img", timeout=WAIT)


def _choose(page, label: str, option: str) -> None:
    page.locator(".v-select", has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def _run(page, label: str = "status_quo/central_budget/fragmented") -> float:
    """Press the run button; seconds until the run of ``label`` is shown at its last month."""
    start = time.monotonic()
    page.locator(".run-button").click()
    page.wait_for_selector(f".map-title >> text={label}, 2030-12", timeout=WAIT)
    return time.monotonic() - start


def test_the_controls_appear(dashboard) -> None:
    page = dashboard
    _open(page)
    for text in ("policy", "resources", "data", "horizon (last month)", "replicates"):
        assert page.locator(".v-navigation-drawer", has_text=text).count()
    for name in ("Reset", "Step"):
        assert page.get_by_role("button", name=name).count() == 1
    assert page.get_by_role("button", name="Run to 2030-12").count() == 1
    assert page.get_by_text("Main uncertainties").count() == 1
    _shot(page, "controls")
    assert [u for u in page.requests if not u.startswith(LOCAL)] == []


def test_a_new_regime_run_changes_the_plotted_outcome(dashboard) -> None:
    page = dashboard
    _open(page)
    _run(page)  # the status quo against itself first
    before = page.locator(".panel-difference img").screenshot()
    _choose(page, "policy", "controlled_pilot")
    page.get_by_text("Levers of controlled_pilot").wait_for(timeout=WAIT)
    seconds = _run(page, "controlled_pilot/central_budget/fragmented")
    page.wait_for_timeout(500)  # the last figure's image lands
    after = page.locator(".panel-difference img").screenshot()
    assert after != before
    _shot(page, "scenario")
    print(f"a run to 2030-12 shown {seconds:.2f} s after the click")
    assert [u for u in page.requests if not u.startswith(LOCAL)] == []


def test_the_map_shows_34_units_after_july_2025(dashboard) -> None:
    page = dashboard
    _open(page)
    _run(page)
    assert "34 provincial units" in page.locator(".map-title").inner_text()
    _shot(page, "map_34_units")
    slider = page.locator(".month-slider .v-slider")
    slider.click()
    page.keyboard.press("Home")  # the first month: 2019-01, before the merger
    page.wait_for_selector(".map-title >> text=2019-01", timeout=WAIT)
    assert "63 provincial units" in page.locator(".map-title").inner_text()
    _shot(page, "map_63_provinces")


def test_the_sweep_page_draws_a_stored_sweep(dashboard) -> None:
    page = dashboard
    _open(page, "/sweep")
    page.wait_for_selector(".sweep-figure img", timeout=WAIT)
    assert page.locator(".sweep-figure img").count() >= 2
    _shot(page, "sweep")
    assert [u for u in page.requests if not u.startswith(LOCAL)] == []


def test_bad_input_is_said_in_the_page(dashboard, server) -> None:
    page = dashboard
    _open(page)
    field = page.locator(".typed-values input")
    field.fill("citizens.trust_mean=1.5")
    field.press("Enter")
    error = page.locator(".input-error")
    error.wait_for(timeout=WAIT)
    assert "Invalid value for 'citizens.trust_mean': 1.5. Allowed: a number in [0, 1]." in (
        " ".join(error.inner_text().split())
    )
    assert page.locator(".run-button").is_disabled()
    _shot(page, "bad_value")
    _open(page, "/sweep")
    folder = page.locator(".sweep-folder input")
    folder.fill(str(server[2] / "no-such-folder"))
    folder.press("Enter")
    page.wait_for_selector(".input-error >> text=nothing to report", timeout=WAIT)
    _shot(page, "not_a_sweep")
    # the server lives on: the scenario page opens again
    _open(page)
    assert page.locator(".panel-map img").count() == 1
