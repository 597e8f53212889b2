from unittest.mock import patch

from odoo.addons.payment_demo.models.payment_transaction import (
    PaymentTransaction as DemoTransaction,
)
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RmaPaymentCommon


def _demo_refund_answering(state):
    """The Demo provider, answering a refund request with ``state`` instead
    of confirming it (as a real provider refusing or delaying it would)."""

    def _send_refund_request(tx, amount_to_refund=None):
        refund = tx._create_child_transaction(amount_to_refund or tx.amount, is_refund=True)
        refund._handle_notification_data(
            "demo", {"reference": refund.reference, "simulated_state": state}
        )
        return refund

    return patch.object(DemoTransaction, "_send_refund_request", _send_refund_request)


@tagged("post_install", "-at_install")
class TestRmaPaymentRefund(RmaPaymentCommon):
    """Posting a return's credit note refunds it through the provider the
    order was paid with, and the credit note is paid by the refund payment."""

    def assertRefunded(self, rma, note, tx, amount):
        refunds = rma.sudo().rma_refund_transaction_ids.filtered(lambda t: note in t.invoice_ids)
        refund = refunds.sorted("id")[-1:]  # the latest (after refused ones)
        self.assertEqual(refunds.filtered(lambda t: t.state == "done"), refund)
        self.assertRecordValues(
            refund,
            [
                {
                    "operation": "refund",
                    "state": "done",
                    "source_transaction_id": tx.id,
                    "rma_order_id": rma.id,
                }
            ],
        )
        self.assertAlmostEqual(refund.amount, -amount)
        payment = refund.payment_id
        self.assertEqual(payment.payment_type, "outbound")
        self.assertAlmostEqual(payment.amount, amount)
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertIn(payment, note.sudo()._get_reconciled_payments())
        return refund

    def test_full_refund_to_the_card(self):
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        tx = self._pay_by_card(order)
        self.assertIn(invoice.payment_state, ("in_payment", "paid"))

        rma = self._return(order, {self.product_a: 2.0})

        note = rma.credit_note_ids
        self.assertEqual(note.state, "posted")
        self.assertAlmostEqual(note.amount_total, invoice.amount_total)
        self.assertRefunded(rma, note, tx, note.amount_total)
        self.assertTrue(note.currency_id.is_zero(note.amount_residual))
        self.assertEqual(note.rma_refund_status, "refunded")
        self.assertEqual(rma.rma_payment_refund_state, "done")
        self.assertEqual(rma.rma_refund_method_label, "your VISA ending 4242")
        self.assertEqual(self._notified(rma, "refunded"), 1)
        self.assertEqual(rma.state, "done")

    def test_partial_then_second_partial_refund(self):
        order = self._create_order([(self.product_a, 2.0), (self.product_b, 1.0)])
        invoice = order.invoice_ids
        tx = self._pay_by_card(order)

        first = self._return(order, {self.product_a: 1.0})
        first_note = first.credit_note_ids
        self.assertLess(first_note.amount_total, invoice.amount_total)
        first_refund = self.assertRefunded(first, first_note, tx, first_note.amount_total)

        second = self._return(order, {self.product_a: 1.0, self.product_b: 1.0})
        second_note = second.credit_note_ids
        second_refund = self.assertRefunded(second, second_note, tx, second_note.amount_total)

        # the whole capture went back, in two refunds of the same transaction
        self.assertEqual(tx.child_transaction_ids, first_refund | second_refund)
        self.assertAlmostEqual(-(first_refund.amount + second_refund.amount), tx.amount)
        self.assertTrue(first_note.currency_id.is_zero(second_note.amount_residual))

    def test_never_more_than_captured(self):
        """Half the invoice was paid by card, half by bank transfer: the card
        gets back what it paid, the rest of the credit stays open for the
        accountant."""
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        half = invoice.currency_id.round(invoice.amount_total / 2)
        tx = self._pay_by_card(order, amount=half)
        self._pay_by_transfer(invoice, amount=invoice.amount_residual)

        rma = self._return(order, {self.product_a: 2.0})

        note = rma.credit_note_ids
        self.assertRefunded(rma, note, tx, half)
        self.assertAlmostEqual(note.amount_residual, note.amount_total - half)
        self.assertEqual(note.rma_refund_status, "to_reconcile")

    def test_refused_refund_is_retried_by_billing(self):
        order = self._create_order([(self.product_a, 1.0)])
        tx = self._pay_by_card(order)
        with _demo_refund_answering("error"):
            rma = self._return(order, {self.product_a: 1.0})

        note = rma.credit_note_ids
        refused = rma.sudo().rma_refund_transaction_ids
        self.assertEqual(refused.state, "error")
        self.assertFalse(refused.payment_id)
        # the credit note stays open, the accountant is asked, the customer waits
        self.assertAlmostEqual(note.amount_residual, note.amount_total)
        self.assertEqual(rma.rma_payment_refund_state, "failed")
        self.assertFalse(rma.rma_refund_method_label)
        activity = rma.activity_ids.filtered(lambda a: "Refund to check" in a.summary)
        self.assertEqual(len(activity), 1)
        self.assertEqual(self._notified(rma, "refunded"), 0)
        # the refused amount is available again
        self.assertAlmostEqual(rma._rma_refundable_amount(tx), tx.amount)

        stock_user = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "rma_clerk_pay",
                "groups_id": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            rma.with_user(stock_user).action_rma_retry_payment_refund()

        rma.with_user(self.billing).action_rma_retry_payment_refund()

        self.assertRefunded(rma, note, tx, note.amount_total)  # the latest is done
        self.assertTrue(note.currency_id.is_zero(note.amount_residual))
        self.assertEqual(rma.rma_payment_refund_state, "done")
        self.assertFalse(rma.activity_ids.filtered(lambda a: "Refund to check" in a.summary))
        self.assertEqual(self._notified(rma, "refunded"), 1)

    def test_pending_refund_confirmed_later(self):
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_card(order)
        with _demo_refund_answering("pending"):
            rma = self._return(order, {self.product_a: 1.0})
        note = rma.credit_note_ids
        refund = rma.sudo().rma_refund_transaction_ids
        self.assertEqual(refund.state, "pending")
        self.assertEqual(rma.rma_payment_refund_state, "pending")
        self.assertAlmostEqual(note.amount_residual, note.amount_total)
        self.assertEqual(self._notified(rma, "refunded"), 0)
        self.assertTrue(rma.activity_ids.filtered(lambda a: "Refund to check" in a.summary))

        # the provider confirms; the post-processing (cron) books it
        refund._set_done()
        refund._post_process()

        self.assertEqual(refund.payment_id.state, "paid")
        self.assertTrue(note.currency_id.is_zero(note.amount_residual))
        self.assertEqual(rma.rma_payment_refund_state, "done")
        self.assertEqual(rma.rma_refund_method_label, "your VISA ending 4242")
        self.assertEqual(self._notified(rma, "refunded"), 1)
        self.assertFalse(rma.activity_ids.filtered(lambda a: "Refund to check" in a.summary))

    def test_paid_by_transfer_left_to_the_accountant(self):
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_transfer(order.invoice_ids)

        rma = self._return(order, {self.product_a: 1.0})

        self.assertFalse(self.env["payment.transaction"].search([("rma_order_id", "=", rma.id)]))
        self.assertFalse(rma.rma_payment_refund_state)
        self.assertEqual(rma.credit_note_ids.rma_refund_status, "to_reconcile")
        self.assertEqual(self._notified(rma, "refunded"), 1)

    def test_unpaid_part_is_credited_before_the_card(self):
        """Half the invoice paid by card, half still due: the credit note first
        settles what is due, then the card gets the rest back."""
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids.sudo()
        half = invoice.currency_id.round(invoice.amount_total / 2)
        tx = self._pay_by_card(order, amount=half)

        first = self._return(order, {self.product_a: 1.0})
        # one unit: it pays what was still due on the invoice, nothing to the card
        self.assertFalse(first.sudo().rma_refund_transaction_ids)
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertFalse(first.rma_payment_refund_state)
        self.assertEqual(self._notified(first, "refunded"), 1)

        second = self._return(order, {self.product_a: 1.0})
        note = second.sudo().credit_note_ids
        self.assertRefunded(second, note, tx, note.amount_total)
        self.assertAlmostEqual(second._rma_refundable_amount(tx), 0.0)
        self.assertEqual(self._notified(second, "refunded"), 1)

    def test_fast_refund_to_the_card_before_the_goods_arrive(self):
        """The policy's fast-refund gate: a customer under its amount limit is
        refunded on approval, before the parcel comes back; a refund above it
        waits for the goods."""
        self.policy.write({"refund_timing": "approval", "fast_refund_max_amount": 150.0})
        order = self._create_order([(self.product_a, 3.0)])
        tx = self._pay_by_card(order)

        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.refund_timing, "approval")
        self.assertFalse(rma.line_ids.qty_received)
        note = rma.sudo().credit_note_ids
        self.assertRefunded(rma, note, tx, note.amount_total)
        self.assertEqual(rma.rma_payment_refund_state, "done")

        larger = self._create_rma(order, {self.product_a: 2.0}).with_user(self.agent)
        larger.action_submit()
        if larger.state == "submitted":
            larger.action_approve()
        self.assertEqual(larger.refund_timing, "receipt")
        self.assertFalse(larger.sudo().rma_refund_transaction_ids)
        self._validate(self._receipt(larger))
        note = larger.sudo().credit_note_ids
        self.assertRefunded(larger, note, tx, note.amount_total)
