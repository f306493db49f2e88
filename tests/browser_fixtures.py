"""Fixtures of the browser tests: the real server, started with `assistant serve` on a
free loopback port once per session, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STARTUP_SECONDS = 600  # a fresh machine builds the model folder and the index first


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assistant_command() -> list[str]:
    script = Path(sys.executable).with_name("assistant")  # the console script the README runs
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


@pytest.fixture(scope="session")
def server(real_settings, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    command = _assistant_command() + ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                                      "--index", str(real_settings.index_dir), "--corpus", str(real_settings.corpus_dir)]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"assistant serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"assistant serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("chromium is not installed: run ./scripts/setup.sh --browser (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, server, width: int = 1400, height: int = 900):
    """A fresh context on the chat page, its province list loaded; records dialogs and
    every request that leaves the server."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.dialogs, page.outside = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(server) else page.outside.append(request.url))
    page.goto(server + "/")
    page.wait_for_selector("#province option[value='gia-lai']", state="attached")
    page.wait_for_selector("#examples .example")
    return page


@pytest.fixture
def page(browser, server):
    page = open_page(browser, server)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, server):
    page = open_page(browser, server, 390, 844)
    yield page
    page.context.close()


def ask(page, question: str):
    """Type a question, press Enter, and return the reply it gets."""
    before = page.locator(".turn").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    turn = page.locator(".turn").nth(before)
    turn.locator(".reply:not(.pending)").wait_for(timeout=60_000)
    return turn


def keep_screenshot(page, tmp_path: Path, name: str) -> Path:
    """Take a screenshot; with ASSISTANT_SCREENSHOT_DIR set, also refresh the copy kept in git."""
    screenshot = tmp_path / name
    page.screenshot(path=str(screenshot))
    if os.environ.get("ASSISTANT_SCREENSHOT_DIR"):
        shutil.copy(screenshot, Path(os.environ["ASSISTANT_SCREENSHOT_DIR"]) / name)
    return screenshot


def in_view(page, selector: str, container: str) -> bool:
    """Whether the last element matching `selector` is wholly inside `container` on screen."""
    return page.evaluate("""([selector, container]) => {
        const box = document.querySelector(container).getBoundingClientRect();
        const item = [...document.querySelectorAll(selector)].pop().getBoundingClientRect();
        return item.top >= box.top && item.bottom <= box.bottom;
    }""", [selector, container])


def text_lines(page, selector: str) -> int:
    """How many lines the text of an element takes."""
    return page.evaluate("""(selector) => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(selector));
        return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
    }""", selector)


class HeldAnswers:
    """Holds every /api/ask request of a page until the test releases it, so the test
    decides when (and whether) each answer arrives."""

    def __init__(self, page):
        self.page = page
        self.routes = []
        page.route("**/api/ask", lambda route: self.routes.append(route))

    def wait_for(self, count: int):
        deadline = time.monotonic() + 30
        while len(self.routes) < count:
            assert time.monotonic() < deadline, f"{len(self.routes)} of {count} questions reached the server"
            self.page.wait_for_timeout(50)
        return self.routes[count - 1]

    def bodies(self) -> list[dict]:
        return [route.request.post_data_json for route in self.routes]
