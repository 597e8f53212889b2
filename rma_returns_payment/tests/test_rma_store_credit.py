from odoo import Command
from odoo.tests import tagged

from .common import RmaPaymentCommon


@tagged("post_install", "-at_install")
class TestRmaStoreCredit(RmaPaymentCommon):
    """Store credit: the credit note's amount goes to the customer's eWallet
    (plus the policy's bonus), booked on a liability, never paid in cash."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_store_credit(bonus=10.0)

    def test_store_credit_with_bonus(self):
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        self._pay_by_card(order)

        rma = self._return(order, {self.product_a: 1.0}, refund_method="store_credit")

        note = rma.sudo().credit_note_ids
        total = note.amount_total
        bonus = note.currency_id.round(total * 0.10)
        # no money through the provider, and no cash payment
        self.assertFalse(self.env["payment.transaction"].search([("rma_order_id", "=", rma.id)]))
        self.assertFalse(note._get_reconciled_payments())
        # the credit note is settled by the store credit entry
        self.assertTrue(note.currency_id.is_zero(note.amount_residual))
        entry = rma.sudo().rma_store_credit_move_ids
        self.assertEqual(entry.state, "posted")
        self.assertRecordValues(
            entry.line_ids.sorted("balance"),
            [
                {"account_id": self.liability.id, "balance": -(total + bonus)},
                {"account_id": self.bonus_expense.id, "balance": bonus},
                {
                    "account_id": invoice.line_ids.filtered(
                        lambda aml: aml.account_id.account_type == "asset_receivable"
                    ).account_id.id,
                    "balance": total,
                },
            ],
        )
        self.assertEqual(
            note.line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
            ).full_reconcile_id.reconciled_line_ids.move_id,
            note | entry,
        )
        # the customer's eWallet holds the credit and the bonus
        card = self.env["loyalty.card"].search(
            [("program_id", "=", self.ewallet.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(card, rma.rma_loyalty_card_id)
        self.assertAlmostEqual(card.points, total + bonus)
        self.assertAlmostEqual(card.history_ids.issued, total + bonus)
        self.assertAlmostEqual(rma.rma_store_credit_amount, total + bonus)
        self.assertEqual(rma.rma_payment_refund_state, "done")
        self.assertEqual(rma.rma_refund_method_label, "your store credit (Shop eWallet)")
        self.assertEqual(self._notified(rma, "refunded"), 1)

        # a second return adds to the same eWallet
        second = self._return(order, {self.product_a: 1.0}, refund_method="store_credit")
        self.assertEqual(second.rma_loyalty_card_id, card)
        self.assertAlmostEqual(card.points, 2 * (total + bonus))

    def test_store_credit_not_set_up_waits_for_the_accountant(self):
        self.company.rma_store_credit_account_id = False
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_transfer(order.invoice_ids)

        rma = self._return(order, {self.product_a: 1.0}, refund_method="store_credit")

        note = rma.sudo().credit_note_ids
        self.assertAlmostEqual(note.amount_residual, note.amount_total)
        self.assertEqual(rma.rma_payment_refund_state, "failed")
        self.assertIn("Store credit is not set up", rma.rma_payment_refund_message)
        self.assertFalse(rma.rma_loyalty_card_id)
        self.assertEqual(self._notified(rma, "refunded"), 0)

        self.company.rma_store_credit_account_id = self.liability
        rma.with_user(self.billing).action_rma_retry_payment_refund()
        self.assertTrue(note.currency_id.is_zero(note.amount_residual))
        self.assertEqual(rma.rma_payment_refund_state, "done")
        card = rma.sudo().rma_loyalty_card_id  # the eWallet is the sales app's
        self.assertAlmostEqual(card.points, note.amount_total * 1.1, 2)

    def test_store_credit_spent_on_a_later_order(self):
        """The credit is spendable: with ``sale_loyalty`` (not a dependency),
        the eWallet pays a later sale order."""
        if self.env["ir.module.module"]._get("sale_loyalty").state != "installed":
            self.skipTest("sale_loyalty is not installed: the eWallet cannot pay sale orders")
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_transfer(order.invoice_ids)
        rma = self._return(order, {self.product_a: 1.0}, refund_method="store_credit")
        card = rma.rma_loyalty_card_id
        credit = card.points
        self.assertGreater(credit, 0.0)

        later = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": self.product_b.id})],
            }
        )
        price = later.amount_total
        self.assertLess(price, credit)
        later._update_programs_and_rewards()
        self.assertIn(card, later._get_claimable_rewards())
        later._apply_program_reward(self.ewallet.reward_ids, card)
        later.action_confirm()

        self.assertTrue(later.currency_id.is_zero(later.amount_total))
        self.assertAlmostEqual(card.points, credit - price)
