"""Headless Chromium driven over the DevTools protocol, to look at a map as a person would.

Uses Debian's `chromium` (installed by .ci/setup-browser.sh), never a downloaded
browser, started with the flags this machine needs. The network is switched off in
the page, and every request the page makes is recorded.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        reason = "headless Chromium is not installed (apt-get install chromium; see .ci/setup-browser.sh)"
        if os.environ.get("ACTORGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


class Browser:
    """One Chromium process with one page; `open(path)` loads a file with the network off."""

    def __init__(self, *, offline: bool = True) -> None:
        """`offline=False` lets pages reach a local server (tests then check where requests went)."""
        import websocket

        self.profile = tempfile.mkdtemp(prefix="actorgraph-chromium-")
        self.proc = subprocess.Popen(
            [
                chromium_path(),
                *FLAGS,
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                "--window-size=1366,768",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = self.proc.stderr.readline() if self.proc.stderr else ""
            if "DevTools listening on ws://" in line:
                port = int(line.split("ws://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
            elif not line and self.proc.poll() is not None:
                break
        if port is None:
            self.close()
            pytest.fail("Chromium did not open its DevTools port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            pages = [t for t in json.load(response) if t["type"] == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable")
        if offline:
            self.call(
                "Network.emulateNetworkConditions", offline=True, latency=0, downloadThroughput=-1, uploadThroughput=-1
            )
            self.call("Network.setBlockedURLs", urls=["http://*", "https://*", "ws://*", "wss://*"])
        self.call("Emulation.setDeviceMetricsOverride", width=1366, height=768, deviceScaleFactor=1, mobile=False)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, path: Path, settle_timeout: float = 30.0) -> float:
        """Load a file and wait until the map says it has settled; return seconds taken."""
        start = time.monotonic()
        self.call("Page.navigate", url=path.resolve().as_uri())
        while time.monotonic() - start < settle_timeout:
            if self.evaluate("window.actorgraphSettled === true"):
                return time.monotonic() - start
            time.sleep(0.1)
        raise AssertionError(f"the map did not settle within {settle_timeout} s")

    def goto(self, url: str, timeout: float = 20.0) -> None:
        """Load a URL and wait until the page has loaded."""
        self.call("Page.navigate", url=url)
        self.wait_for(
            f"location.href === {json.dumps(url.split('#')[0])} || location.href === {json.dumps(url)}", timeout
        )
        self.wait_for("document.readyState === 'complete'", timeout)

    def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        """Poll a JavaScript expression until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError:  # the page is between two documents
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"not true within {timeout} s: {expression}")

    def click_and_wait(self, selector: str, timeout: float = 20.0) -> str:
        """Click the element (as a user would, with the mouse) and wait for the next page; return its URL."""
        before = self.evaluate("location.href")
        self.mouse_click_element(selector)
        self.wait_for(f"location.href !== {json.dumps(before)} && document.readyState === 'complete'", timeout)
        return self.evaluate("location.href")

    def mouse_click_element(self, selector: str) -> None:
        box = self.evaluate(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " var r = e.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"
        )
        self.mouse_click(box["x"], box["y"])

    def mouse_click(self, x: float, y: float) -> None:
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type_text(self, selector: str, text: str) -> None:
        """Focus a field, clear it and type `text` into it (real input events)."""
        self.evaluate(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)}); e.focus(); e.select && e.select(); }})()"
        )
        self.call("Input.insertText", text=text)

    def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r"
            )

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                found.append(" ".join(str(a.get("value")) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found

    def dialogs(self) -> list[str]:
        return [
            e["params"].get("message", "") for e in self.events if e.get("method") == "Page.javascriptDialogOpening"
        ]

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - best effort during teardown
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
