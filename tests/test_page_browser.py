"""The explain HTML page in a real browser: headless Chromium driven over the DevTools
protocol (``--remote-debugging-pipe``: JSON messages on file descriptors 3 and 4, so
the standard library suffices). Clicks and key presses walk every step; each step's
highlighted table row and graph node are checked, the rendered text is measured
against its box, and the console must stay free of errors.

Skipped only when no Chromium binary is installed (.ci/run installs Debian's).
"""

import json
import math
import os
import select
import shutil
import subprocess
import tempfile
import time

import pytest

import chainrule.numpy as cnp
from chainrule.explain import explain

BROWSER = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser",
                                                          "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no chromium binary installed")


class Chromium:
    """A headless Chromium and one page, spoken to over the DevTools pipe."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="chainrule-chromium-")
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def fds():  # the protocol's pipes must be the child's fds 3 and 4
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.proc = subprocess.Popen(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
             "--window-size=1200,900", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buf, self._id, self.events, self.session = b"", 0, [], None
        target = next(t for t in self.call("Target.getTargets")["targetInfos"]
                      if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=target["targetId"],
                                 flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def _message(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, timeout=20, **params):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if self.session:
            msg["sessionId"] = self.session
        os.write(self._write, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m["result"]
            self.events.append(m)

    def wait_for(self, method, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._message(deadline))

    def js(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in r, r["exceptionDetails"]
        return r["result"].get("value")

    def open(self, url):
        self.events = [m for m in self.events if m.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def click(self, selector):
        x, y = self.js(f"(function(){{var r = document.querySelector({json.dumps(selector)})"
                       ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];})()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def key(self, name, code):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=name, code=name,
                      windowsVirtualKeyCode=code, nativeVirtualKeyCode=code)

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        os.close(self._read)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    b = Chromium()
    yield b
    b.close()


STATE = """(function(){
  var root = document.querySelector('.cr-explain');
  var rows = root.querySelectorAll('tr.cr-current');
  var nodes = root.querySelectorAll('.vertex.cr-current');
  var src = root.querySelectorAll('.vertex.cr-source');
  var edges = root.querySelectorAll('path.edge.cr-current');
  return {step: Number(root.getAttribute('data-step')),
          rows: Array.prototype.map.call(rows, function(r){
             return [r.getAttribute('data-step'), r.cells[0].textContent]; }),
          nodes: Array.prototype.map.call(nodes, function(g){ return g.getAttribute('data-node'); }),
          sources: Array.prototype.map.call(src, function(g){ return g.getAttribute('data-node'); }),
          edges: Array.prototype.map.call(edges, function(p){
             return [p.getAttribute('data-from'), p.getAttribute('data-to')]; }),
          narration: root.querySelector('.cr-narration').textContent};
})()"""

# Each text drawn in the graph, measured by the browser's own font, against its box.
FIT = """(function(){
  var bad = [];
  document.querySelectorAll('.vertex').forEach(function(g){
    var r = g.querySelector('rect').getBBox();
    g.querySelectorAll('text').forEach(function(t){
      var b = t.getBBox();
      if (b.x < r.x || b.x + b.width > r.x + r.width || b.y < r.y || b.y + b.height > r.y + r.height)
        bad.push(g.getAttribute('data-node') + ': ' + t.textContent);
    });
  });
  document.querySelectorAll('.edge-label').forEach(function(g){
    var r = g.querySelector('rect').getBBox(), b = g.querySelector('text').getBBox();
    if (b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5) bad.push(g.textContent);
  });
  return bad;
})()"""


def _errors(events):
    out = []
    for m in events:
        p = m.get("params", {})
        if m.get("method") == "Runtime.exceptionThrown":
            out.append(p["exceptionDetails"].get("text"))
        elif m.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append(str(p.get("args")))
        elif m.get("method") == "Log.entryAdded" and p["entry"]["level"] == "error":
            out.append(p["entry"]["text"])
    return out


def test_step_through_the_notes_example(browser, tmp_path):
    e = explain(lambda x, y: (x + y) * cnp.sin(y), 1.0, math.pi / 2, quiet=True)
    page = tmp_path / "notes.html"
    e.to_html(page)
    browser.events.clear()
    browser.open(page.as_uri())
    start = browser.js(STATE)
    assert start["step"] == 0 and start["rows"] == [] and start["nodes"] == []
    assert browser.js(FIT) == []
    want = [("x", None), ("y", None), ("w1", None), ("w2", None), ("w3", None),
            ("w1", "w3"), ("w2", "w3"), ("x", "w1"), ("y", "w1"), ("y", "w2")]
    rows = [r["node"] for r in e.forward] + [r["text"] for r in e.reverse]
    for k, (node, source) in enumerate(want, start=1):
        if k % 2:
            browser.click(".cr-next")  # a real mouse click on the button
        else:
            browser.key("ArrowRight", 39)
        s = browser.js(STATE)
        assert s["step"] == k
        assert s["rows"] == [[str(k), rows[k - 1]]], f"step {k}"
        assert s["nodes"] == [node]
        assert s["sources"] == ([source] if source else [])
        assert s["edges"] == ([[node, source]] if source else [])
    assert s["narration"].startswith("Reverse: " + e.reverse[4]["text"])
    assert e.reverse[4]["text"] == "y\u0304 += w\u03042 · ∂w2/∂y = 2.571 · 0 = 0"
    assert "all updates done: 1 + 0 = 1" in s["narration"]
    browser.click(".cr-next")  # past the end stays at the end
    assert browser.js(STATE)["step"] == 10
    browser.click(".cr-prev")
    browser.key("ArrowLeft", 37)
    assert browser.js(STATE)["step"] == 8
    # a URL fragment opens at a step: step 7 is the update of w̄2
    browser.open(page.as_uri() + "?again#step=7")  # a new load, not a jump
    s = browser.js(STATE)
    assert s["step"] == 7 and s["rows"] == [["7", e.reverse[1]["text"]]] and s["nodes"] == ["w2"]
    assert _errors(browser.events) == []
    requests = [m["params"]["request"]["url"] for m in browser.events
                if m.get("method") == "Network.requestWillBeSent"]
    assert requests and all(u.startswith(("file:", "data:")) for u in requests)


def test_mlp_page_text_fits_in_the_browser(browser, tmp_path):
    import numpy as np
    rng = np.random.default_rng(0)
    p = {"W1": rng.normal(size=(3, 4)), "b1": np.zeros(4), "W2": rng.normal(size=(4, 2)),
         "b2": np.zeros(2)}

    def mlp(p, x):
        h = cnp.tanh(x @ p["W1"] + p["b1"])
        return cnp.sum((h @ p["W2"] + p["b2"]) ** 2, axis=None, keepdims=False)

    e = explain(mlp, p, rng.normal(size=(5, 3)), quiet=True)
    page = tmp_path / "mlp.html"
    e.to_html(page)
    browser.events.clear()
    browser.open(page.as_uri() + "#step=" + str(len(e.forward) + len(e.reverse)))
    s = browser.js(STATE)
    assert s["step"] == len(e.forward) + len(e.reverse) and s["nodes"] == ["p['W1']"]
    assert browser.js(FIT) == []
    assert _errors(browser.events) == []
