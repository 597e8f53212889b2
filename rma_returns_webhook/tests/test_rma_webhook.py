import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.addons.rma_returns.tests.common_flow import RmaFlowCommon
from odoo.tests import tagged

EVENTS = ("submitted", "approved", "rejected", "received", "refunded", "replacement_shipped")


class WebShopReceiver:
    """The web shop's webhook endpoint, on 127.0.0.1: records the JSON body
    posted to each path. Odoo posts webhooks synchronously, inside the write
    that fires the rule (requests.post, 1 s timeout): each call has arrived
    when the step that made it returns."""

    def __init__(self):
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                receiver.received.append((self.path, self.headers["Content-Type"], body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self):
        return [path.rsplit("/", 1)[-1] for path, _type, _body in self.received]


@tagged("post_install", "-at_install")
class TestRmaWebhook(RmaFlowCommon):
    """The example automation rules, enabled by the shop, post each return
    event to its URL with the return's id, name and state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = WebShopReceiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.rules = cls.env["base.automation"]
        for event in EVENTS:
            cls.rules |= cls.env.ref(f"rma_returns_webhook.rma_automation_{event}")
            action = cls.env.ref(f"rma_returns_webhook.rma_webhook_{event}")
            # what the shop does: its URL on the action, then the rule on
            action.webhook_url = f"{cls.receiver.url}/returns/{event}"
        cls.shipped_active = cls.rules.mapped("active")
        cls.rules.active = True

    def setUp(self):
        super().setUp()
        self.receiver.received.clear()

    def _payload(self, event):
        [body] = [body for path, _t, body in self.receiver.received if path.endswith(f"/{event}")]
        return body

    def test_rules_are_shipped_inactive_and_kept_on_upgrade(self):
        self.assertEqual(self.shipped_active, [False] * len(EVENTS))
        data = self.env["ir.model.data"].search(
            [("module", "=", "rma_returns_webhook"), ("model", "=", "base.automation")]
        )
        self.assertEqual(len(data), len(EVENTS))
        self.assertTrue(all(data.mapped("noupdate")))
        self.assertEqual(set(self.rules.action_server_ids.mapped("state")), {"webhook"})

    def test_submission_approval_receipt_and_refund_are_posted(self):
        rma = self._create_rma(self.order_for_webhook(), {self.product_a: 1.0})
        self.assertFalse(self.receiver.received, "a draft is no event")

        rma.with_user(self.agent).action_submit()
        # the default policy approves on submission: two events, in order
        self.assertEqual(self.receiver.events(), ["submitted", "approved"])
        _path, content_type, body = self.receiver.received[1]
        self.assertEqual(content_type, "application/json")
        self.assertEqual(
            {key: body[key] for key in ("_model", "_id", "id", "name", "state", "decision")},
            {
                "_model": "rma.order",
                "_id": rma.id,
                "id": rma.id,
                "name": rma.name,
                "state": "approved",
                "decision": "approve",
            },
        )
        self.assertEqual(body["sale_order_id"], rma.sale_order_id.id)
        self.assertEqual(body["amount_total"], rma.amount_total)
        self.assertEqual(self._payload("submitted")["state"], "submitted")

        self._validate(self._receipt(rma))  # the warehouse clerk
        # received, then (refund on receipt, posted) refunded and closed
        self.assertEqual(rma.state, "done")
        self.assertEqual(self.receiver.events()[2:], ["received", "refunded"])
        self.assertEqual(self._payload("received")["state"], "received")
        body = self._payload("refunded")
        self.assertEqual((body["_id"], body["name"]), (rma.id, rma.name))
        self.assertTrue(body["date_refunded"])
        self.assertNotIn("rejected", self.receiver.events())

    def test_rejection_is_posted_and_inactive_rules_post_nothing(self):
        self.policy.auto_approve = False
        self.env.ref("rma_returns_webhook.rma_automation_submitted").active = False
        rma = self._create_rma(self.order_for_webhook(), {self.product_a: 1.0})
        rma = rma.with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.state, "submitted")
        self.assertEqual(self.receiver.events(), [], "the submitted rule is off")
        rma.action_reject()
        self.assertEqual(self.receiver.events(), ["rejected"])
        body = self._payload("rejected")
        self.assertEqual((body["_id"], body["state"]), (rma.id, "rejected"))

    def test_replacement_shipped_is_posted(self):
        rma = self._create_rma(self.order_for_webhook(), {self.product_a: 1.0})
        rma.line_ids.with_user(self.agent).resolution = "replacement"
        rma.with_user(self.agent).action_submit()
        replacement = rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertTrue(replacement, "the policy ships replacements on approval")
        self.assertNotIn("replacement_shipped", self.receiver.events())
        self._validate(replacement)  # the warehouse clerk
        body = self._payload("replacement_shipped")
        self.assertEqual((body["_id"], body["name"]), (rma.id, rma.name))
        self.assertTrue(body["date_replacement_shipped"])
        self.assertNotIn("refunded", self.receiver.events())

    def order_for_webhook(self):
        return self._create_order([(self.product_a, 2.0)])
