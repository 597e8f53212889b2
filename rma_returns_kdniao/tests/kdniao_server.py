"""A stand-in for Kdniao's gateway, on 127.0.0.1, for the tests.

It speaks Kdniao's documented format: form posts of RequestData (JSON),
EBusinessID, RequestType, DataSign (base64 of the md5 hex of RequestData +
AppKey) and DataType=2, answered in JSON with Success / ResultCode / Reason.
It checks every signature itself (with its own md5, not the connector's code)
and records the requests it received.
"""

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

EBUSINESS_ID = "1234567"
APP_KEY = "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17"


def sign(request_data, app_key=APP_KEY):
    digest = hashlib.md5((request_data + app_key).encode()).hexdigest()
    return base64.b64encode(digest.encode()).decode()


class KdniaoStandIn:
    """``mode``: "ok" answers as Kdniao does, "500" fails with an HTTP 500,
    "refuse" answers Success false with a Reason. ``traces``: the scans the
    tracking query (1002) answers."""

    def __init__(self):
        self.requests = []
        self.paths = []  # (RequestType, URL path) of every post
        self.mode = "ok"
        self.traces = []
        self.state = "2"
        self.counter = 0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
                stand_in.paths.append((form.get("RequestType"), self.path))
                status, answer = stand_in.answer(form, self.headers.get("Content-Type", ""))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/EOrderService"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, form, content_type):
        if self.mode == "500":
            return 500, {"Message": "An error has occurred."}
        base = {"EBusinessID": form.get("EBusinessID", "")}
        request_data = form.get("RequestData", "")
        if (
            "application/x-www-form-urlencoded" not in content_type
            or form.get("DataType") != "2"
            or form.get("EBusinessID") != EBUSINESS_ID
            or form.get("DataSign") != sign(request_data)
        ):
            return 200, dict(base, Success=False, ResultCode="106", Reason="DataSign error")
        data = json.loads(request_data)
        self.requests.append((form["RequestType"], data))
        if self.mode == "refuse":
            return 200, dict(base, Success=False, ResultCode="105", Reason="Address not served")
        self.counter += 1
        request_type = form["RequestType"]
        if request_type == "1007":
            logistic = f"SF{1000000 + self.counter}"
            order = {
                "OrderCode": data["OrderCode"],
                "ShipperCode": data["ShipperCode"],
                "LogisticCode": logistic,
                "KDNOrderCode": f"KDN{self.counter}",
            }
            template = f"<html><body>E-waybill {logistic}</body></html>"
            return 200, dict(
                base,
                Order=order,
                PrintTemplate=template,
                Success=True,
                ResultCode="100",
                Reason="",
            )
        if request_type == "1801":
            order = {"OrderCode": data["OrderCode"], "KDNOrderCode": f"KDNP{self.counter}"}
            return 200, dict(base, Order=order, Success=True, ResultCode="100", Reason="")
        if request_type == "1802":
            return 200, dict(base, Success=True, ResultCode="100", Reason="")
        if request_type == "1002":
            return 200, dict(
                base,
                OrderCode=data.get("OrderCode", ""),
                ShipperCode=data["ShipperCode"],
                LogisticCode=data["LogisticCode"],
                Success=True,
                State=self.state,
                Traces=self.traces,
            )
        return 200, dict(base, Success=False, ResultCode="101", Reason="Unknown RequestType")
