import re

from markupsafe import escape

from odoo.tests import tagged

from .portal_common import RmaPortalCommon


@tagged("post_install", "-at_install")
class TestRmaPortalTours(RmaPortalCommon):
    """What a customer does in the browser: return items logged in or as a
    guest, and follow the return on its page."""

    def _decision_shown(self, rma, token=None):
        """The decision text the detail page shows for ``rma``."""
        url = f"/my/returns/{rma.id}" + (f"?access_token={token}" if token else "")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'class="o_rma_decision"[^>]*>\s*(.*?)\s*</strong>', response.text, re.S)
        self.assertTrue(match, "the detail page shows a decision")
        return match.group(1).strip()

    def _expected_decision(self, rma):
        if rma.decision:
            return dict(rma._fields["decision"]._description_selection(self.env))[rma.decision]
        self.assertIn(rma.state, ("submitted", "approved"))
        return "Waiting for a decision" if rma.state == "submitted" else "Approved"

    def test_logged_in_customer_returns_one_line(self):
        self.start_tour(
            f"/my/orders/{self.order_a.id}", "rma_portal_return_tour", login=self.portal_a.login
        )
        rma = self._returns_of(self.order_a)
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.partner_id, self.partner_a)
        self.assertEqual(rma.line_ids.product_id, self.product_a)
        self.assertEqual(rma.line_ids.product_uom_qty, 1.0)
        self.assertEqual(rma.line_ids.reason_id, self.reason)
        self.assertNotEqual(rma.state, "draft")
        self.assertTrue(rma.date_submitted)
        # what the customer saw is what the record says
        self._login(self.portal_a)
        self.assertEqual(self._decision_shown(rma), self._expected_decision(rma))
        # one unit of boots left to return
        self.assertEqual(self.line_a_boots._rma_returnable_qty()[self.line_a_boots.id], 1.0)

    def test_guest_finds_order_and_submits(self):
        guest = self.env["res.partner"].create(
            {"name": "Gary Guest", "email": "Gary.Guest@example.com"}
        )
        order = self._create_order([(self.product_b, 2.0)], partner=guest)
        order.name = "S-GUEST-0001"
        self.start_tour("/returns/guest", "rma_portal_guest_tour")
        rma = self._returns_of(order)
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.partner_id, guest)
        self.assertEqual(rma.line_ids.product_id, self.product_b)
        self.assertEqual(rma.line_ids.product_uom_qty, 1.0)
        self.assertNotEqual(rma.state, "draft")
        self.assertEqual(
            self.env["rma.guest.token"].search_count([("sale_order_id", "=", order.id)]), 1
        )
        self._anonymous()
        self.assertEqual(
            self._decision_shown(rma, token=rma.access_token), self._expected_decision(rma)
        )

    def test_detail_page_shows_timeline_and_takes_tracking(self):
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.assertEqual(rma.state, "approved")
        self.start_tour("/my/returns", "rma_portal_timeline_tour", login=self.portal_a.login)
        self.assertEqual(rma.tracking_ref, "TRK-4242")
        self.assertEqual(rma.carrier_name, "DHL")
        self.assertTrue(rma.date_shipped)
        timeline = {step["key"]: step for step in rma._rma_portal_timeline()}
        self.assertTrue(timeline["submitted"]["done"])
        self.assertTrue(timeline["approved"]["done"])
        self.assertTrue(timeline["shipped"]["done"])
        self.assertFalse(timeline["received"]["done"])
        self.assertIn("TRK-4242", rma.message_ids.mapped("body")[0], "the chatter tells the shop")

    def test_timeline_ends_with_refund_or_rejection(self):
        refunded = self._approved_rma(self.order_a, {self.product_a: 1.0})
        credit_note = self._attach_credit_note(refunded)
        # the agent rejects a return the policy left to review
        self.env.ref("rma_returns.rma_policy_default").auto_approve = False
        rejected = self._create_rma(self.order_a, {self.product_b: 1.0})
        rejected.action_submit()
        self.assertEqual(rejected.state, "submitted")
        rejected.write({"reject_reason": "Worn outside"})
        rejected.action_reject()
        self._login(self.portal_a)
        page = self.url_open(f"/my/returns/{refunded.id}").text
        self.assertRegex(page, r'o_rma_step_done[^"]*" data-step="resolved"')
        steps = {step["key"]: step for step in refunded._rma_portal_timeline()}
        self.assertEqual(steps["resolved"]["label"], "Refunded")
        self.assertEqual(steps["resolved"]["date"], credit_note.create_date)
        self.assertIn(credit_note.name, page)
        page = self.url_open(f"/my/returns/{rejected.id}").text
        self.assertIn("Worn outside", page)
        self.assertEqual(
            [step["key"] for step in rejected._rma_portal_timeline()], ["submitted", "rejected"]
        )
        self.assertNotIn('data-step="received"', page)


@tagged("post_install", "-at_install")
class TestRmaPortalFlow(RmaPortalCommon):
    """A logged-in customer's return through the policy, the slip, the receipt
    and the credit note, as the portal shows it."""

    def _validate_receipt(self, rma):
        receipt = rma.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self.assertEqual(len(receipt), 1)
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        return receipt

    def test_customer_follows_return_to_the_credit_note(self):
        self._login(self.portal_a)
        response = self.url_open(
            self._return_url(self.order_a),
            data={
                "csrf_token": self._csrf(),
                "step": "submit",
                "submit_token": self._submit_token(),
                f"qty_{self.line_a_boots.id}": "1",
                f"reason_{self.line_a_boots.id}": str(self.reason.id),
                f"condition_{self.line_a_boots.id}": "unopened",
                f"resolution_{self.line_a_boots.id}": "refund",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a)
        self.assertEqual(len(rma), 1)
        # the default policy approves at once and says why
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.decision, "approve")
        self.assertTrue(rma.decision_explanation_public)
        base = f"/my/returns/{rma.id}"
        page = self.url_open(base).text
        label = dict(rma._fields["decision"]._description_selection(self.env))["approve"]
        self.assertRegex(page, rf'class="o_rma_decision"[^>]*>\s*{re.escape(label)}\s*<')
        self.assertIn(str(escape(rma._rma_customer_decision_text())), page)
        self.assertRegex(page, r'o_rma_step_done[^"]*" data-step="approved"')
        self.assertRegex(page, r'o_rma_step_todo[^"]*" data-step="received"')
        slip = self.url_open(f"{base}/slip", allow_redirects=False)
        self.assertEqual(slip.status_code, 200)
        self.assertEqual(slip.headers["Content-Type"], "application/pdf")
        self.assertFalse(rma.credit_note_ids, "refunded on receipt, not before")
        # the agent receives the parcel: the credit note follows
        self._validate_receipt(rma)
        self.assertEqual(rma.state, "done", "received and refunded")
        credit_note = rma.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.amount_total, rma.amount_total)
        page = self.url_open(base).text
        self.assertIn(credit_note.name, page)
        self.assertRegex(page, r'o_rma_step_done[^"]*" data-step="received"')
        self.assertRegex(page, r'o_rma_step_done[^"]*" data-step="resolved"')
        document = self.url_open(f"{base}/credit_note/{credit_note.id}", allow_redirects=False)
        self.assertEqual(document.status_code, 200)
        self.assertEqual(document.headers["Content-Type"], "application/pdf")

    def test_order_token_opens_return_receipt_of_its_own_order_only(self):
        """sale_stock's /my/picking/pdf/<id> takes the sale order's token for any
        transfer of the order: the return receipt too, but for no one else."""
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        receipt = rma.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.sale_id, self.order_a)
        # (an order without a token makes the core route fail with a 500)
        order_a_token = self.order_a._portal_ensure_token()
        url = f"/my/picking/pdf/{receipt.id}"
        self._anonymous()
        self.assertEqual(self.url_open(url).status_code, 404)
        order_b_token = self.order_b._portal_ensure_token()
        self.assertEqual(self.url_open(f"{url}?access_token={order_b_token}").status_code, 404)
        rma_token = rma._portal_ensure_token()
        self.assertEqual(self.url_open(f"{url}?access_token={rma_token}").status_code, 404)
        self._login(self.portal_b)
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open(f"{url}?access_token={order_b_token}").status_code, 404)
        # the order's own customer (or holder of its token) sees what the order shows
        self._login(self.portal_a)
        self.assertEqual(self.url_open(url).status_code, 200)
        self._anonymous()
        self.assertEqual(self.url_open(f"{url}?access_token={order_a_token}").status_code, 200)
