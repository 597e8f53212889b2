import base64
import json
import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged

from .common import RmaCommon


def web_shop_return(url, db, login, api_key, order_name, product_code, qty):
    """A returns agent's API key driving the back office's own methods over
    XML-RPC (README.md, "External API", last paragraph): create, submit, read.
    A web shop uses the Returns API group instead (web_shop_api below)."""
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


def web_shop_api(url, db, login, api_key, customer_email, product_code, qty):
    """README.md, "External API": the five calls of a web shop's returns page,
    with the API key of a user of the Returns API group. Keep the two the
    same."""
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, login, api_key, {})
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    def call(method, *args):
        return models.execute_kw(db, uid, api_key, "rma.order", method, list(args))

    # 1. what the customer can return
    returnable = call("rma_api_returnable_lines", customer_email)
    line = next(line for line in returnable if line["default_code"] == product_code)
    lines = [{"sale_line_id": line["sale_line_id"], "qty": qty, "reason": "WRONG_SIZE"}]
    # 2. what the policy would decide
    preview = call("rma_api_preview", customer_email, line["order"], lines)
    # 3. the return, created and submitted
    status = call("rma_api_submit", customer_email, line["order"], lines)
    # 4. the slip the customer prints
    slip = call("rma_api_slip", status["id"])
    # 5. where it stands, later
    [later] = call("rma_api_status", [status["id"]])
    return returnable, preview, status, slip, later


@tagged("post_install", "-at_install")
class TestRmaReturnsApiUser(RmaCommon, HttpCase):
    """The web shop's API-key user of the Returns API group: the five calls
    over real HTTP, and nothing more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_a.default_code = "BOOT-42"
        cls.order = cls._create_order([(cls.product_a, 3.0), (cls.product_b, 1.0)])
        cls.shop = new_test_user(
            cls.env,
            login="web_shop",
            groups="base.group_portal,rma_returns.group_rma_api",
            name="Web shop",
        )
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.shop)
            .sudo()
            ._generate("rpc", "Web shop", fields.Datetime.now() + timedelta(hours=12))
        )

    def _models(self):
        self.env.flush_all()  # the server reads what the test wrote
        url = f"http://127.0.0.1:{self.http_port()}"
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

        def call(model, method, *args, **kwargs):
            return models.execute_kw(
                get_db_name(), self.shop.id, self.api_key, model, method, list(args), kwargs
            )

        return call

    def assertRefused(self, call, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as cm:
            call(*args, **kwargs)
        # Odoo's messages of an AccessError: ACL, record rule, the group checks
        self.assertRegex(
            cm.exception.faultString,
            "doesn't have '\\w+' access|not allowed|Returns API group",
        )

    def test_web_shop_five_calls(self):
        returnable, preview, status, slip, later = web_shop_api(
            f"http://127.0.0.1:{self.http_port()}",
            get_db_name(),
            "web_shop",
            self.api_key,
            "RUTH@example.com",
            "BOOT-42",
            2.0,
        )
        self.env.invalidate_all()
        self.assertEqual(
            sorted((line["order"], line["product"], line["qty"]) for line in returnable),
            sorted(
                [
                    (self.order.name, self.product_a.display_name, 3.0),
                    (self.order.name, self.product_b.display_name, 1.0),
                ]
            ),
        )
        self.assertEqual(preview["decision"], "approve")
        self.assertTrue(preview["explanation"])
        rma = self.order.rma_ids
        self.assertEqual(len(rma), 1, "the preview created nothing; the submit one return")
        self.assertEqual(rma.create_uid, self.shop)
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(rma.state, "approved")
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in rma.line_ids],
            [(self.product_a, 2.0)],
        )
        self.assertEqual(
            (status["id"], status["name"], status["state"]), (rma.id, rma.name, "approved")
        )
        self.assertEqual(slip["name"], rma.name)
        # Odoo's test runner renders reports as HTML (wkhtmltopdf would call
        # back the test server, busy with this request): the slip's content
        self.assertEqual(slip["format"], "html")
        content = base64.b64decode(slip["content"]).decode()
        self.assertIn(rma.name, content)
        self.assertIn(self.order.name, content)
        self.assertIn(self.product_a.display_name, content)
        self.assertEqual(later["lines"][0]["qty"], 2.0)

        # following over JSON-RPC (README.md's curl): it moves with the return
        rma.with_user(self.agent).action_receive()
        self.env.flush_all()
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    get_db_name(),
                    self.shop.id,
                    self.api_key,
                    "rma.order",
                    "rma_api_status",
                    [[rma.id]],
                ],
            },
        }
        response = self.url_open(
            "/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        [followed] = response.json()["result"]
        self.assertEqual((followed["name"], followed["state"]), (rma.name, rma.state))
        self.assertIn(rma.state, ("received", "done"))
        self.assertEqual(followed["lines"][0]["qty_received"], 2.0)

    def test_malformed_calls_get_clear_errors(self):
        """What a web shop's bug sends (ids as text, a list for one id, a
        number for an e-mail, a bool for a quantity) gets a message saying
        what to send, never a database error."""
        call = self._models()
        line = {"sale_line_id": self.order.order_line[0].id, "qty": 1.0, "reason": "WRONG_SIZE"}
        email, name = "ruth@example.com", self.order.name
        cases = [
            (("rma_api_slip", "12"), "whole numbers"),
            (("rma_api_slip", [1, 2]), "whole numbers"),
            (("rma_api_status", "1,2"), "whole numbers"),
            (("rma_api_preview", 42, name, [line]), "e-mail"),
            (("rma_api_preview", email, 42, [line]), "order number"),
            (("rma_api_preview", email, name, [dict(line, reason=["X"])]), "Unknown return reason"),
            (("rma_api_preview", email, name, [dict(line, qty=True)]), "above zero"),
        ]
        for args, message in cases:
            with self.subTest(args=args), self.assertRaises(xmlrpc.client.Fault) as cm:
                call("rma.order", *args)
            self.assertIn(message, cm.exception.faultString)
            self.assertNotIn("psycopg2", cm.exception.faultString)

    def test_web_shop_is_refused_everything_else(self):
        call = self._models()
        lines = [
            {
                "sale_line_id": self.order.order_line[0].id,
                "qty": 1.0,
                "reason": "WRONG_SIZE",
            }
        ]
        status = call("rma.order", "rma_api_submit", "ruth@example.com", self.order.name, lines)
        rma_id = status["id"]
        agents = self._create_rma(self.order, {self.product_b: 1.0})
        self.env.flush_all()

        # the back office's steps and the shop's records
        self.assertRefused(call, "rma.order", "action_approve", [agents.id])
        self.assertRefused(call, "rma.order", "action_cancel", [rma_id])
        self.assertRefused(call, "rma.order", "write", [rma_id], {"state": "done"})
        self.assertRefused(call, "rma.order", "create", {"sale_order_id": self.order.id})
        self.assertRefused(
            call,
            "account.move",
            "create",
            {"move_type": "out_refund", "partner_id": self.customer.id},
        )
        self.assertRefused(call, "account.move", "read", self.order.invoice_ids.ids, ["name"])
        self.assertRefused(call, "sale.order", "read", [self.order.id], ["name"])
        self.assertRefused(call, "res.partner", "read", [self.customer.id], ["email"])
        self.assertEqual(call("res.partner", "search", [("id", "=", self.customer.id)]), [])
        # returns it did not make: the agent's, another company's
        self.assertEqual(
            [r["id"] for r in call("rma.order", "search_read", [], fields=["name"])], [rma_id]
        )
        self.assertRefused(call, "rma.order", "rma_api_status", [agents.id])
        other = self.env["res.company"].create({"name": "Other Shop Co"})
        order_b = self._create_order([(self.product_a, 1.0)], company=other, invoice=False)
        rma_b = (
            self.env["rma.order"]
            .with_user(self.shop)
            .with_company(other)
            .sudo()
            .rma_api_submit(
                "ruth@example.com",
                order_b.name,
                [{"sale_line_id": order_b.order_line.id, "qty": 1.0, "reason": "WRONG_SIZE"}],
            )
        )
        self.env.flush_all()
        self.assertRefused(call, "rma.order", "rma_api_status", [rma_b["id"]])
        self.assertRefused(call, "rma.order", "rma_api_slip", rma_b["id"])
        # another customer's order, and the agent-only key of someone else
        with self.assertRaises(xmlrpc.client.Fault) as cm:
            call("rma.order", "rma_api_submit", "mallory@example.com", self.order.name, lines)
        self.assertIn("is not an order of this customer", cm.exception.faultString)
        # a portal user outside the group gets none of the five
        self.shop.groups_id = [Command.unlink(self.env.ref("rma_returns.group_rma_api").id)]
        self.env.flush_all()
        self.assertRefused(call, "rma.order", "rma_api_returnable_lines", "ruth@example.com")
