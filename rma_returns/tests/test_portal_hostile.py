import re
from urllib.parse import urlencode

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .portal_common import RmaPortalCommon


@tagged("post_install", "-at_install")
class TestRmaPortalHostile(RmaPortalCommon):
    """Clumsy and hostile visitors of the portal: odd characters, double
    clicks, forged choices, other customers' returns."""

    def setUp(self):
        super().setUp()
        self.rma_a = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.rma_a._portal_ensure_token()

    def _post(self, url, data, files=None):
        data = {"csrf_token": self._csrf(), **data}
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _assert_page(self, response, status=200):
        self.assertEqual(response.status_code, status, response.url)
        self.assertNotIn("Traceback", response.text)

    def _options(self, html, name):
        """The option values of the <select name=``name``> of ``html``."""
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
        self.assertTrue(select, name)
        return re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))

    # --- 1. no server error ---------------------------------------------------
    def test_odd_tokens_are_not_found(self):
        """Non-ASCII or NUL characters in a token are no token: a 404."""
        self._anonymous()
        for token in ("é" * 36, "ü", "٣٤", "\u202e" + "a" * 35, "a\x00b", "x" * 5000):
            with self.subTest(token=token[:8]):
                for url in (
                    f"/my/returns/{self.rma_a.id}",
                    f"/my/returns/{self.rma_a.id}/slip",
                    f"/my/orders/{self.order_a.id}/return",
                ):
                    response = self.url_open(
                        f"{url}?{urlencode({'access_token': token})}", allow_redirects=False
                    )
                    self._assert_page(response, 404)
        response = self._post(
            f"/my/returns/{self.rma_a.id}/tracking?access_token=é", {"tracking_ref": "1Z"}
        )
        self._assert_page(response, 404)
        self.assertFalse(self.rma_a.tracking_ref)

    def test_odd_scan_tokens_are_not_found(self):
        self._anonymous()
        for token in ("abc%00def", "%C3%A9t%C3%A9", "x" * 3000, "%E2%80%AE"):
            with self.subTest(token=token[:10]):
                self._assert_page(self.url_open(f"/rma/scan/{token}", allow_redirects=False), 404)
        clerk = new_test_user(
            self.env, login="rma_hostile_clerk", groups="base.group_user,stock.group_stock_user"
        )
        self._login(clerk)
        response = self.url_open("/rma/scan?" + urlencode({"code": "RMA\x00/é" + "x" * 5000}))
        self._assert_page(response)

    def test_huge_quantity_gets_a_message(self):
        self._login(self.portal_a)
        line_id = self.line_a_fleece.id
        for qty in ("1e308", "-1e308", "1.7976931348623157e308", "9" * 30):
            with self.subTest(qty=qty):
                response = self._post(
                    self._return_url(self.order_a),
                    {
                        "step": "preview",
                        f"qty_{line_id}": qty,
                        f"reason_{line_id}": str(self.reason.id),
                    },
                )
                self._assert_page(response)
                self.assertRegex(response.text, "at most 1|Please enter a number")
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)

    def test_odd_page_numbers_show_a_page(self):
        self._login(self.portal_a)
        for url in (
            "/my/returns/page/١",
            "/my/returns/page/²",
            "/my/returns/page/%00",
            "/my/returns?page=²",
            "/my/returns?page=١",
            "/my/returns?page=-1",
            "/my/returns?page=abc",
            "/my/returns?sortby=%00&filterby=é",
            f"/my/returns/{self.rma_a.id}?pid=é&hash=%00",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertIn(response.status_code, (200, 404), url)
                self.assertNotIn("Traceback", response.text)
                if response.status_code == 200:
                    self.assertIn(self.rma_a.name, response.text)

    # --- 2. double submit ---------------------------------------------------
    def test_same_form_posted_twice_creates_one_return(self):
        self._login(self.portal_a)
        line_id = self.line_a_fleece.id
        form = {
            f"qty_{line_id}": "1",
            f"reason_{line_id}": str(self.reason.id),
            f"condition_{line_id}": "unopened",
            f"resolution_{line_id}": "refund",
        }
        url = self._return_url(self.order_a)
        preview = self._post(url, {**form, "step": "preview"})
        self._assert_page(preview)
        token = re.search(r'name="submit_token" value="([^"]+)"', preview.text).group(1)
        first = self._post(url, {**form, "step": "submit", "submit_token": token})
        self.assertEqual(first.status_code, 303)
        created = self._returns_of(self.order_a) - self.rma_a
        self.assertEqual(len(created), 1)
        second = self._post(url, {**form, "step": "submit", "submit_token": token})
        self.assertEqual(second.status_code, 303)
        self.assertEqual(second.headers["Location"], first.headers["Location"])
        self.assertEqual(self._returns_of(self.order_a), self.rma_a | created, "no second return")
        # the token of order A does not open or create anything on order B
        self._login(self.portal_b)
        line_b = self.order_b.order_line
        response = self._post(
            self._return_url(self.order_b),
            {
                "step": "submit",
                "submit_token": token,
                f"qty_{line_b.id}": "1",
                f"reason_{line_b.id}": str(self.reason.id),
            },
        )
        self._assert_page(response)
        self.assertIn("confirm it again", response.text)
        self.assertFalse(self._returns_of(self.order_b))

    def test_submission_without_token_is_refused(self):
        self._login(self.portal_a)
        line_id = self.line_a_fleece.id
        response = self._post(
            self._return_url(self.order_a),
            {
                "step": "submit",
                f"qty_{line_id}": "1",
                f"reason_{line_id}": str(self.reason.id),
            },
        )
        self._assert_page(response)
        self.assertIn("confirm it again", response.text)
        self.assertRegex(response.text, r'name="submit_token" value="[A-Za-z0-9_-]{32}"')
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)

    # --- 3. units of measure ------------------------------------------------
    def test_half_a_unit_is_refused(self):
        self.assertEqual(self.line_a_boots.product_uom, self.env.ref("uom.product_uom_unit"))
        self._login(self.portal_a)
        response = self._post_return(
            self.order_a, {self.line_a_fleece: ("0.5", self.reason, "refund")}
        )
        self._assert_page(response)
        self.assertIn("whole number", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)
        # the same holds for the returns agent
        draft = (
            self.env["rma.order"]
            .with_user(self.agent)
            .create(
                {
                    "sale_order_id": self.order_a.id,
                    "line_ids": [
                        Command.create(
                            {
                                "sale_line_id": self.line_a_fleece.id,
                                "product_uom_qty": 1.0,
                                "reason_id": self.reason.id,
                            }
                        )
                    ],
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "whole number"):
            draft.line_ids.product_uom_qty = 0.5
        line_model = self.env["rma.order.line"]
        dozen = self.env.ref("uom.product_uom_dozen")
        self.assertTrue(line_model._rma_qty_fits_uom(0.5, dozen), "six pieces")
        self.assertFalse(line_model._rma_qty_fits_uom(0.05, dozen), "0.6 pieces")
        kg = self.env.ref("uom.product_uom_kgm")
        self.assertTrue(line_model._rma_qty_fits_uom(0.5, kg))
        self.assertFalse(line_model._rma_qty_fits_uom(0.0005, kg))

    # --- 4. resolutions follow the policy -----------------------------------
    def test_refund_only_policy_offers_and_accepts_refunds_only(self):
        self.env["rma.policy"].create(
            {
                "name": "Jackets: refund only",
                "sequence": 1,
                "product_tmpl_ids": [(6, 0, self.product_b.product_tmpl_id.ids)],
                "allow_replacement": False,
                "allow_exchange": False,
            }
        )
        self._login(self.portal_a)
        form = self.url_open(self._return_url(self.order_a)).text
        self.assertEqual(self._options(form, f"resolution_{self.line_a_fleece.id}"), ["refund"])
        self.assertIn("replacement", self._options(form, f"resolution_{self.line_a_boots.id}"))
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, self.reason, "replacement")}
        )
        self._assert_page(response)
        self.assertIn("not available", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)
        response = self._post_return(self.order_a, {self.line_a_fleece: (1, self.reason, "refund")})
        self.assertEqual(response.status_code, 303)
        created = self._returns_of(self.order_a) - self.rma_a
        self.assertEqual(created.line_ids.resolution, "refund")

    def test_replacement_only_policy_defaults_to_replacement(self):
        self.env["rma.policy"].create(
            {
                "name": "Jackets: replacement only",
                "sequence": 1,
                "product_tmpl_ids": [(6, 0, self.product_b.product_tmpl_id.ids)],
                "allow_refund": False,
                "allow_exchange": False,
            }
        )
        self._login(self.portal_a)
        line_id = self.line_a_fleece.id
        form = self.url_open(self._return_url(self.order_a)).text
        self.assertEqual(self._options(form, f"resolution_{line_id}"), ["replacement"])
        # a browser that sends no resolution gets the one the policy allows
        response = self._post(
            self._return_url(self.order_a),
            {
                "step": "submit",
                "submit_token": self._submit_token(),
                f"qty_{line_id}": "1",
                f"reason_{line_id}": str(self.reason.id),
            },
        )
        self.assertEqual(response.status_code, 303)
        created = self._returns_of(self.order_a) - self.rma_a
        self.assertEqual(created.line_ids.resolution, "replacement")

    # --- 5. messages on the return ------------------------------------------
    def _post_message(self, rma, body):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "rma.order",
                "thread_id": rma.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )

    def test_customer_writes_on_own_return_only(self):
        self._login(self.portal_a)
        page = self.url_open(f"/my/returns/{self.rma_a.id}").text
        self.assertIn('data-res_model="rma.order"', page, "the chatter is on the page")
        self._post_message(self.rma_a, "The box is ready, when is the pickup?")
        message = self.rma_a.message_ids.filtered(lambda m: "box is ready" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.partner_a)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        # another customer cannot write on it
        self._login(self.portal_b)
        count = len(self.rma_a.message_ids)
        with self.assertRaises(JsonRpcException):
            self._post_message(self.rma_a, "Hijack")
        self.rma_a.invalidate_recordset(["message_ids"])
        self.assertEqual(len(self.rma_a.message_ids), count)
        # a guest with the return's token writes as the customer
        self._anonymous()
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "rma.order",
                "thread_id": self.rma_a.id,
                "post_data": {"body": "Guest here", "message_type": "comment"},
                "token": self.rma_a.access_token,
            },
        )
        message = self.rma_a.message_ids.filtered(lambda m: "Guest here" in (m.body or ""))
        self.assertEqual(message.author_id, self.partner_a)

    # --- 6. drafts are the shop's -------------------------------------------
    def test_agent_draft_is_not_shown_to_the_customer(self):
        draft = self._create_rma(self.order_a, {self.product_b: 1.0})
        self.assertEqual(draft.state, "draft")
        draft._portal_ensure_token()
        self._login(self.portal_a)
        listing = self.url_open("/my/returns").text
        self.assertIn(self.rma_a.name, listing)
        self.assertNotIn(draft.name, listing)
        self.assertEqual(self.url_open(f"/my/returns/{draft.id}").status_code, 404)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["rma_count"]})
        self.assertEqual(counters["rma_count"], 1)
        with self.assertRaises(JsonRpcException):
            self._post_message(draft, "What is this?")
        self._anonymous()
        response = self.url_open(f"/my/returns/{draft.id}?access_token={draft.access_token}")
        self.assertEqual(response.status_code, 404)
        # once submitted, it is the customer's
        draft.action_submit()
        self._login(self.portal_a)
        self.assertEqual(self.url_open(f"/my/returns/{draft.id}").status_code, 200)
