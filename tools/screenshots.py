"""Screenshots of the main screens, taken from the demo database.

Run by ``make screenshots`` (tools/screenshots.sh starts Odoo on the demo
database ``rma_shots``), never by ``make test``. Drives the Debian Chromium in
headless mode over the DevTools protocol with ``websocket-client`` (already a
test requirement) and saves PNGs to rma_returns/static/description/, each kept
under 300 KB (palette PNG when the full-colour one is larger).

    python3 tools/screenshots.py --url http://127.0.0.1:8279 --db rma_shots
"""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websocket  # websocket-client

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rma_returns" / "static" / "description"
MAX_BYTES = 300 * 1024
DESKTOP = {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False}
WIDE = {"width": 1600, "height": 900, "deviceScaleFactor": 1, "mobile": False}
TALL = {"width": 1280, "height": 1350, "deviceScaleFactor": 1, "mobile": False}
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}


class Odoo:
    """A logged-in JSON-RPC session (None: a visitor)."""

    def __init__(self, url, db, login=None, password=None):
        self.url = url
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.session_id = None
        if login:
            self._json(
                "/web/session/authenticate", {"db": db, "login": login, "password": password}
            )
            self.session_id = next(c.value for c in self.jar if c.name == "session_id")

    def _json(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            reply = json.load(response)
        if reply.get("error"):
            raise RuntimeError(f"{path}: {reply['error']['data']['message']}")
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self._json(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class Chromium:
    """Headless Chromium with one page driven over the DevTools protocol."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="rma-shots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = Path(self.profile, "DevToolsActivePort")
        for _attempt in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.send("Page.enable")
        self.send("Network.enable")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        check = f"!!document.querySelector({json.dumps(selector)})"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(check):
                return
            time.sleep(0.3)
        url = self.evaluate("location.href")
        raise RuntimeError(f"{selector!r} did not show on {url}")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)


def save_png(data, path):
    """Write the PNG, as a 256-colour palette PNG when it exceeds the limit."""
    if len(data) > MAX_BYTES:
        from PIL import Image  # Odoo depends on Pillow

        image = Image.open(io.BytesIO(data)).convert("RGB")
        buffer = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            buffer, "PNG", optimize=True
        )
        data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise RuntimeError(f"{path.name}: {len(data)} bytes, more than {MAX_BYTES}")
    path.write_bytes(data)
    print(f"  {path.relative_to(ROOT)} ({len(data) // 1024} KB)")


def shoot(browser, base, session, name, path, ready, device=DESKTOP, before=None):
    """Open ``path`` as ``session``'s user, wait for ``ready``, save the PNG."""
    browser.send("Network.clearBrowserCookies")
    if session.session_id:
        browser.send("Network.setCookie", name="session_id", value=session.session_id, url=base)
    browser.send("Emulation.setDeviceMetricsOverride", **device)
    browser.send("Page.navigate", url=base + path)
    time.sleep(1)
    browser.wait_for(ready)
    if before:
        browser.evaluate(before)
        time.sleep(1)
    # let images, fonts and the web client's last renders settle
    time.sleep(2)
    shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=False)
    save_png(base64.b64decode(shot["data"]), OUT / f"screenshot_{name}.png")


def pick(records, **where):
    for record in records:
        if all(
            (record[k][0] if isinstance(record[k], list) else record[k]) == v
            for k, v in where.items()
        ):
            return record
    raise RuntimeError(f"no demo return with {where}")


def portal_return(admin, partner_id, fields):
    """The portal customer's approved return (its page shows the next step:
    address, ship-by date, slip, tracking); the demo's draft one is submitted
    and approved for it the first time."""
    domain = [("partner_id", "child_of", partner_id)]
    found = admin.call(
        "rma.order", "search_read", [*domain, ("state", "=", "approved")], fields=fields, limit=1
    )
    if found:
        return found[0]
    draft = admin.call("rma.order", "search", [*domain, ("state", "=", "draft")], limit=1)
    if not draft:
        raise RuntimeError("the demo has no approved or draft return of the portal user")
    admin.call("rma.order", "action_submit", draft)
    if admin.call("rma.order", "read", draft, ["state"])[0]["state"] == "submitted":
        admin.call("rma.order", "action_approve", draft)
    return admin.call("rma.order", "read", draft, fields)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8279")
    parser.add_argument("--db", default="rma_shots")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    base = args.url.rstrip("/")

    admin = Odoo(base, args.db, "admin", "admin")
    portal = Odoo(base, args.db, "portal", "portal")
    visitor = Odoo(base, args.db)
    fields = ["name", "state", "partner_id", "decision"]
    returns = admin.call("rma.order", "search_read", [], fields=fields, order="id")
    portal_partner = portal.call("res.users", "search_read", [], fields=["partner_id"], limit=1)
    reviewed = pick(returns, state="submitted")
    waiting = pick(returns, state="approved")
    mine = portal_return(admin, portal_partner[0]["partner_id"][0], fields)

    browser = Chromium(args.chromium)
    try:
        print("Screenshots from", base, args.db)
        shoot(
            browser,
            base,
            admin,
            "agent_kanban",
            "/odoo/action-rma_returns.rma_order_action",
            ".o_kanban_view .o_kanban_record",
            WIDE,
        )
        shoot(
            browser,
            base,
            admin,
            "return_decision",
            f"/odoo/returns/{reviewed['id']}",
            ".o_form_view .o_notebook a[name='decision']",
            TALL,
            before="document.querySelector(\".o_notebook a[name='decision']\").click()",
        )
        shoot(
            browser,
            base,
            admin,
            "scan_station",
            "/rma/scan?" + urllib.parse.urlencode({"code": waiting["name"]}),
            ".o_rma_scan_parcel",
        )
        shoot(
            browser,
            base,
            admin,
            "accountant_list",
            "/odoo/action-rma_returns.account_move_action_rma_refund",
            ".o_list_view",
            before="document.querySelector('.o_searchview .o_facet_remove')?.click()",
        )
        detail = f"/my/returns/{mine['id']}"
        shoot(browser, base, portal, "portal_return", detail, ".o_rma_decision")
        shoot(browser, base, portal, "portal_return_phone", detail, ".o_rma_decision", PHONE)
        shoot(browser, base, visitor, "guest_form", "/returns/guest", "form")
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
