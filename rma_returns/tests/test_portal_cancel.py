from odoo.exceptions import AccessError
from odoo.tests import tagged

from .portal_common import RmaPortalCommon

CANCEL_BUTTON = "o_rma_cancel_form"


@tagged("post_install", "-at_install")
class TestRmaPortalCancel(RmaPortalCommon):
    """The customer withdraws their own return while nothing was shipped,
    received or refunded."""

    def setUp(self):
        super().setUp()
        self.rma_a = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.rma_a._portal_ensure_token()
        self.receipt = self.rma_a.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")

    def _cancel(self, rma, token=None):
        url = f"/my/returns/{rma.id}/cancel" + (f"?access_token={token}" if token else "")
        return self.url_open(url, data={"csrf_token": self._csrf()}, allow_redirects=False)

    def test_owner_cancels_approved_return(self):
        self.assertEqual(self.rma_a.state, "approved")
        self.assertEqual(len(self.receipt), 1)
        self._login(self.portal_a)
        page = self.url_open(f"/my/returns/{self.rma_a.id}").text
        self.assertTrue(CANCEL_BUTTON in page, "a cancel button")
        response = self._cancel(self.rma_a)
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=cancelled", response.headers["Location"])
        self.assertEqual(self.rma_a.state, "cancelled")
        self.assertEqual(self.receipt.state, "cancel")
        note = self.rma_a.message_ids.filtered(lambda m: "Cancelled by the customer" in m.body)
        self.assertEqual(note.author_id, self.partner_a)
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_rma_cancelled", page)
        self.assertFalse(CANCEL_BUTTON in page, "no cancel button")
        # the boots are returnable again
        self.assertEqual(self.line_a_boots._rma_returnable_qty()[self.line_a_boots.id], 2.0)

    def test_guest_with_the_returns_token_cancels(self):
        self._anonymous()
        page = self.url_open(f"/my/returns/{self.rma_a.id}?access_token={self.rma_a.access_token}")
        self.assertTrue(CANCEL_BUTTON in page.text, "a cancel button")
        self.assertEqual(self._cancel(self.rma_a, "not-the-token").status_code, 404)
        self.assertEqual(self.rma_a.state, "approved")
        self.assertEqual(self._cancel(self.rma_a, self.rma_a.access_token).status_code, 303)
        self.assertEqual(self.rma_a.state, "cancelled")

    def test_other_customer_cannot_cancel(self):
        self._login(self.portal_b)
        self.assertEqual(self._cancel(self.rma_a).status_code, 404)
        self.assertEqual(self.rma_a.state, "approved")
        self.assertEqual(self.receipt.state, "assigned")
        # nor by calling the method
        with self.assertRaises(AccessError):
            self.rma_a.with_user(self.portal_b)._rma_portal_cancel()
        self.assertEqual(self.rma_a.state, "approved")

    def test_no_cancel_once_goods_are_received(self):
        for move in self.receipt.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        self.receipt.button_validate()
        self.assertEqual(self.receipt.state, "done")
        state = self.rma_a.state
        self._login(self.portal_a)
        page = self.url_open(f"/my/returns/{self.rma_a.id}").text
        self.assertFalse(CANCEL_BUTTON in page, "no cancel button")
        response = self._cancel(self.rma_a)
        self.assertEqual(response.status_code, 200)
        self.assertIn("can no longer be cancelled", response.text)
        self.assertEqual(self.rma_a.state, state)

    def test_no_cancel_once_refunded(self):
        self._attach_credit_note(self.rma_a)
        self._login(self.portal_a)
        self.assertFalse(
            CANCEL_BUTTON in self.url_open(f"/my/returns/{self.rma_a.id}").text, "no cancel button"
        )
        response = self._cancel(self.rma_a)
        self.assertIn("can no longer be cancelled", response.text)
        self.assertEqual(self.rma_a.state, "approved")
