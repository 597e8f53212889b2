import json
import xmlrpc.client
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, get_db_name, tagged

from .common import RmaCommon


def web_shop_return(url, db, login, api_key, order_name, product_code, qty):
    """README.md, "External API": a web shop creates and submits a return for
    one of its orders over XML-RPC, then reads where it stands. Keep the two
    the same."""
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, login, api_key, {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, api_key, model, method, list(args), kwargs)

    [order] = call("sale.order", "search_read", [("name", "=", order_name)], fields=["id"])
    [line] = call(
        "sale.order.line",
        "search_read",
        [("order_id", "=", order["id"]), ("product_id.default_code", "=", product_code)],
        fields=["id"],
    )
    [reason] = call("rma.reason", "search", [("code", "=", "WRONG_SIZE")], limit=1)
    rma_id = call(
        "rma.order",
        "create",
        {
            "sale_order_id": order["id"],
            "line_ids": [
                (0, 0, {"sale_line_id": line["id"], "product_uom_qty": qty, "reason_id": reason})
            ],
        },
    )
    call("rma.order", "action_submit", [rma_id])
    [rma] = call(
        "rma.order", "read", [rma_id], ["name", "state", "decision", "decision_explanation_public"]
    )
    return rma


@tagged("post_install", "-at_install")
class TestRmaExternalApi(RmaCommon, HttpCase):
    """A web shop (not Odoo's website) returning items of an order through
    Odoo's external API, with the API key of a returns agent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_a.default_code = "BOOT-42"
        cls.order = cls._create_order([(cls.product_a, 3.0), (cls.product_b, 1.0)])
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.agent)
            ._generate("rpc", "Web shop", fields.Datetime.now() + timedelta(hours=12))
        )

    def _run_snippet(self, login, api_key, qty):
        self.env.flush_all()  # the server reads what the test wrote
        rma = web_shop_return(
            f"http://127.0.0.1:{self.http_port()}",
            get_db_name(),
            login,
            api_key,
            self.order.name,
            "BOOT-42",
            qty,
        )
        self.env.invalidate_all()
        return rma

    def test_web_shop_creates_and_submits_a_return(self):
        result = self._run_snippet("rma_agent", self.api_key, 2.0)

        rma = self.order.rma_ids
        self.assertEqual(len(rma), 1)
        self.assertEqual(result["name"], rma.name)
        self.assertEqual(rma.create_uid, self.agent, "made by the key's owner")
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in rma.line_ids],
            [(self.product_a, 2.0)],
        )
        # the default policy approves at once, and the shop is told so
        self.assertEqual((result["state"], result["decision"]), ("approved", "approve"))
        self.assertEqual(rma.state, "approved")
        self.assertTrue(result["decision_explanation_public"])
        receipt = rma._rma_pending_receipts()
        self.assertEqual(receipt.move_ids.product_id, self.product_a)
        self.assertEqual(receipt.move_ids.product_uom_qty, 2.0)

        # README.md's curl: following the return over JSON-RPC
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    get_db_name(),
                    self.agent.id,
                    self.api_key,
                    "rma.order",
                    "read",
                    [[rma.id]],
                    {"fields": ["name", "state"]},
                ],
            },
        }
        response = self.url_open(
            "/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        self.assertEqual(
            response.json()["result"], [{"id": rma.id, "name": rma.name, "state": "approved"}]
        )

    def test_web_shop_cannot_return_more_than_delivered(self):
        with self.assertRaises(xmlrpc.client.Fault) as cm:
            self._run_snippet("rma_agent", self.api_key, 4.0)
        self.assertIn("at most 3", cm.exception.faultString)
        self.assertFalse(self.order.rma_ids)

    def test_wrong_api_key_is_refused(self):
        with self.assertRaises(xmlrpc.client.Fault) as cm:
            self._run_snippet("rma_agent", "not-the-key", 1.0)
        self.assertIn("Access Denied", cm.exception.faultString)
        self.assertFalse(self.order.rma_ids)
