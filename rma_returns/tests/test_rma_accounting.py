from ast import literal_eval
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaOrderedInvoicing(RmaFlowCommon):
    """Products invoiced on ordered quantities: the order's invoicing follows
    what the customer kept, whether the order was invoiced or not."""

    def setUp(self):
        super().setUp()
        self.product_a.invoice_policy = "order"

    def test_uninvoiced_order_invoices_what_was_kept(self):
        order = self._create_order([(self.product_a, 4.0)], invoice=False)
        sale_line = order.order_line
        self.assertEqual(sale_line.qty_to_invoice, 4.0)
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.assertEqual(sale_line.qty_to_invoice, 4.0, "nothing back yet")
        rma.action_receive()
        self.assertFalse(rma.credit_note_ids)
        self.assertEqual(rma.state, "done")
        self.assertEqual(sale_line.qty_delivered, 3.0)
        self.assertEqual(sale_line.qty_to_invoice, 3.0)
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.0)
        self.assertAlmostEqual(invoice.amount_untaxed, 300.0)
        self.assertEqual(sale_line.qty_to_invoice, 0.0)
        # as for goods invoiced on delivery: "nothing to invoice" (Odoo keeps
        # "fully invoiced" for lines invoiced up to the ordered quantity)
        self.assertEqual(order.invoice_status, "no")

    def test_credited_quantity_is_not_invoiced_again(self):
        order = self._create_order([(self.product_a, 4.0)])
        sale_line = order.order_line
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        self.assertEqual(rma.credit_note_ids.state, "posted")
        self.assertEqual(sale_line.qty_invoiced, 3.0)
        self.assertEqual(sale_line.qty_to_invoice, 0.0, "the credited boot is not billed again")
        self.assertEqual(order.invoice_status, "no")

    def test_refund_on_approval_is_not_invoiced_again(self):
        order = self._create_order([(self.product_a, 2.0)])
        sale_line = order.order_line
        self.policy.refund_timing = "approval"
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        self.assertEqual(sale_line.qty_invoiced, 0.0)
        self.assertEqual(rma.credit_note_ids.state, "posted")
        self.assertEqual(sale_line.qty_to_invoice, 0.0, "credited before the goods arrive")
        rma.action_receive()
        self.assertEqual(sale_line.qty_to_invoice, 0.0)
        self.assertEqual(rma.state, "done")


@tagged("post_install", "-at_install")
class TestRmaLockDates(RmaFlowCommon):
    """Locked accounting periods: the credit note is dated in the open period,
    or the refund waits, blocked with a message saying what to fix."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every user of the test dates documents in the same timezone
        cls.env.user.tz = "UTC"

    def test_invoice_in_a_locked_period_is_credited_today(self):
        today = fields.Date.context_today(self.env.user)
        order = self._create_order([(self.product_a, 2.0)], invoice=False)
        invoice = order._create_invoices()
        invoice.invoice_date = today - timedelta(days=40)
        invoice.action_post()
        self.company.sale_lock_date = today - timedelta(days=10)
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.date, today)
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total / 2)
        self.assertEqual(rma.state, "done")

    def test_locked_today_receipt_goes_through_and_refund_is_blocked(self):
        """The warehouse never waits for accounting: the clerk receives the
        goods, the refund waits with its reason, an accountant retries it."""
        clerk = new_test_user(
            self.env, login="rma_lock_clerk", groups="base.group_user,stock.group_stock_user"
        )
        billing = new_test_user(
            self.env,
            login="rma_lock_billing",
            groups="base.group_user,account.group_account_invoice",
        )
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        receipt = self._receipt(rma)
        today = fields.Date.context_today(self.env.user)
        self.company.sale_lock_date = today
        receipt = receipt.with_user(clerk)
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(rma.state, "received", "goods received despite the lock")
        self.assertEqual(rma.line_ids.qty_disposed, 1.0, "restocked all the same")
        self.assertTrue(rma.refund_blocked)
        self.assertRegex(rma.refund_block_reason, r"(?s)locked.*lock date before")
        self.assertFalse(rma.credit_note_ids.filtered(lambda m: m.state != "cancel"))
        activity = rma.activity_ids.filtered(lambda a: "Refund blocked" in (a.summary or ""))
        self.assertEqual(len(activity), 1, "an accountant is asked to act")
        self.assertEqual(order.order_line.qty_delivered, 1.0)

        with self.assertRaisesRegex(UserError, "locked"):
            rma.with_user(billing).action_refund()
        self.company.sale_lock_date = today - timedelta(days=1)
        rma.with_user(billing).action_refund()
        self.assertFalse(rma.refund_blocked)
        self.assertFalse(rma.activity_ids.filtered(lambda a: "Refund blocked" in (a.summary or "")))
        self.assertEqual(rma.credit_note_ids.state, "posted")
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total / 2)
        self.assertEqual(rma.state, "done")

    def test_locked_today_approval_goes_through_and_refund_is_blocked(self):
        self.policy.write({"auto_approve": False, "refund_timing": "approval"})
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        rma.refund_timing = "approval"
        self.company.sale_lock_date = fields.Date.context_today(self.env.user)
        rma.action_approve()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(len(self._receipt(rma)), 1, "the goods can come back")
        self.assertTrue(rma.refund_blocked)
        self.assertIn("locked", rma.refund_block_reason)
        self.assertFalse(rma.credit_note_ids)


@tagged("post_install", "-at_install")
class TestRmaAccountant(RmaFlowCommon):
    """An invoicing user (no returns group) works from "Return Credit Notes"."""

    def test_invoicing_user_lists_and_pays_back_return_credit_notes(self):
        accountant = new_test_user(
            self.env,
            login="rma_billing",
            groups="base.group_user,account.group_account_invoice",
            name="Billing Clerk",
        )
        self.assertFalse(accountant.has_group("rma_returns.group_rma_user"))
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ).save()._create_payments()
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        credit_note = rma.credit_note_ids

        menu = self.env.ref("rma_returns.account_move_menu_rma_refund")
        visible = self.env["ir.ui.menu"].with_user(accountant)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        action = self.env.ref("rma_returns.account_move_action_rma_refund")
        Move = self.env["account.move"].with_user(accountant)
        views = Move.get_views([(v.view_id.id, v.view_mode) for v in action.view_ids])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        list_fields = arch.xpath("//field/@name")
        self.assertIn("rma_order_id", list_fields)
        spec = {name: {} for name in list_fields}
        for name in ("rma_order_id", "reversed_entry_id", "partner_id"):
            spec[name] = {"fields": {"display_name": {}}}
        domain = [*literal_eval(action.domain), ("rma_refund_status", "=", "to_reconcile")]
        result = Move.web_search_read(domain, spec)
        rows = {row["id"]: row for row in result["records"]}
        self.assertIn(credit_note.id, rows)
        row = rows[credit_note.id]
        self.assertEqual(row["rma_order_id"]["display_name"], rma.name)
        self.assertEqual(row["reversed_entry_id"]["id"], invoice.id)
        self.assertAlmostEqual(row["amount_residual_signed"], -credit_note.amount_total)

        # "Register Refund" from the list, as the clerk
        register = Move.browse(credit_note.id).action_register_payment()
        wizard = Form(
            self.env[register["res_model"]]
            .with_user(accountant)
            .with_context(**register["context"])
        ).save()
        wizard._create_payments()
        self.assertEqual(credit_note.rma_refund_status, "refunded")
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))
