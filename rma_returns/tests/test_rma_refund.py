from ast import literal_eval

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaRefund(RmaFlowCommon):
    """Credit notes reverse the original invoice lines, and are reconciled."""

    def _register_payment(self, moves, amount=None):
        wizard = Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=moves.ids
            )
        )
        if amount is not None:
            wizard.amount = amount
        return wizard.save()._create_payments()

    def test_credit_note_reverses_the_invoice_lines(self):
        analytic_plan = self.env["account.analytic.plan"].create({"name": "Shops"})
        analytic = self.env["account.analytic.account"].create(
            {"name": "Web shop", "plan_id": analytic_plan.id}
        )
        tax = self.env["account.tax"].create(
            {"name": "VAT 21", "amount": 21.0, "type_tax_use": "sale"}
        )
        order = self._create_order([(self.product_a, 5.0)], invoice=False)
        order.order_line.write(
            {
                "discount": 10.0,
                "tax_id": [Command.set(tax.ids)],
                "analytic_distribution": {str(analytic.id): 100},
            }
        )
        invoice = order._create_invoices()
        invoice.action_post()
        invoice_line = invoice.invoice_line_ids
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        self._validate(self._receipt(rma))

        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        line = credit_note.invoice_line_ids
        self.assertEqual(line.rma_line_id, rma.line_ids)
        self.assertEqual(rma.line_ids.refund_line_ids, line)
        self.assertRecordValues(
            line,
            [
                {
                    "product_id": self.product_a.id,
                    "quantity": 2.0,
                    "price_unit": invoice_line.price_unit,
                    "discount": 10.0,
                    "account_id": invoice_line.account_id.id,
                    "analytic_distribution": {str(analytic.id): 100},
                }
            ],
        )
        self.assertEqual(line.tax_ids, tax)
        # 2 x 100 - 10% = 180, + 21% = 217.80: two fifths of the invoice
        self.assertAlmostEqual(credit_note.amount_total, 217.80)
        self.assertAlmostEqual(credit_note.amount_total, invoice.amount_total * 2 / 5)
        self.assertEqual(order.order_line.qty_invoiced, 3.0)
        self.assertEqual(order.order_line.qty_delivered, 3.0)
        # unpaid invoice: reconciled at once
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total - 217.80)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(credit_note.rma_refund_status, "reconciled")
        self.assertEqual(invoice.rma_ids, rma)

    def test_paid_invoice_keeps_the_credit_for_the_customer(self):
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        self._register_payment(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.amount_residual, credit_note.amount_total)
        self.assertEqual(credit_note.rma_refund_status, "to_reconcile")
        action = self.env.ref("rma_returns.account_move_action_rma_refund")
        listed = self.env["account.move"].search(
            [*literal_eval(action.domain), ("rma_refund_status", "=", "to_reconcile")]
        )
        self.assertIn(credit_note, listed)
        # the accountant pays the refund back from that list
        self._register_payment(credit_note)
        self.assertEqual(credit_note.rma_refund_status, "refunded")
        self.assertIn(credit_note.payment_state, ("paid", "in_payment"))

    def test_fees_are_separate_labelled_lines(self):
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 2.0})
        invoice = order.invoice_ids
        self.policy.write(
            {"restocking_fee_fixed": 10.0, "shipping_fee": 4.5, "shipping_payer": "customer"}
        )
        self._approve(rma)
        self.assertEqual((rma.restocking_fee, rma.shipping_fee), (10.0, 4.5))
        rma.action_receive()
        credit_note = rma.credit_note_ids
        fees = credit_note.invoice_line_ids.filtered("rma_fee")
        self.assertEqual(len(fees), 2)
        self.assertTrue(any("Restocking fee" in name for name in fees.mapped("name")))
        self.assertTrue(any("Return shipping fee" in name for name in fees.mapped("name")))
        tax = self.product_a.taxes_id
        self.assertEqual(fees.tax_ids, tax, "fees are taxed services")
        self.assertEqual(fees.product_id.mapped("type"), ["service", "service"])
        self.assertFalse(tax.price_include)
        self.assertEqual(sorted(fees.mapped("rma_fee_amount")), [4.5, 10.0])
        # the customer loses the fees as stated, taxes included, to the tax rounding
        self.assertAlmostEqual(credit_note.amount_total, invoice.amount_total - 14.5, delta=0.02)
        self.assertAlmostEqual(
            credit_note.amount_tax,
            invoice.amount_tax - 14.5 * 0.15 / 1.15,
            delta=0.02,
            msg="the fees' VAT is not given back",
        )

    def test_foreign_currency_order(self):
        other = self.env.ref("base.CHF")
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 2.0, "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": other.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_a.id,
                            "product_uom_qty": 4.0,
                            "price_unit": 150.0,
                        }
                    )
                ],
            }
        )
        self._stock(self.product_a, 4.0)
        order.action_confirm()
        self._deliver(order)
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.currency_id, other)
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.currency_id, other)
        self.assertAlmostEqual(credit_note.amount_total, invoice.amount_total / 4)
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total * 3 / 4)

    def test_refund_on_approval_before_the_goods_arrive(self):
        order = self._create_order([(self.product_a, 3.0)])
        invoice = order.invoice_ids
        rma = self._create_rma(order, {self.product_a: 3.0})
        self.policy.refund_timing = "approval"
        self._approve(rma)
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.credit_note_ids.state, "posted")
        self.assertEqual(order.order_line.qty_invoiced, 0.0)
        self.assertEqual(invoice.payment_state, "reversed")
        rma.action_receive()
        self.assertEqual(rma.state, "done")
        self.assertEqual(len(rma.credit_note_ids), 1)

    def test_draft_credit_note_is_posted_by_the_accountant(self):
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        rma = self._create_rma(order, {self.product_a: 1.0})
        self.policy.auto_post_refund = False
        self._approve(rma)
        rma.action_receive()
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.credit_note_ids.state, "draft")
        with self.assertRaisesRegex(UserError, "post credit note"):
            rma.action_done()
        rma.credit_note_ids.action_post()
        self.assertEqual(rma.state, "done", "closed once the credit note is posted")
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total / 2)

    def test_uninvoiced_order_gets_no_credit_note(self):
        order = self._create_order([(self.product_a, 4.0)], invoice=False)
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        self.assertFalse(rma.credit_note_ids)
        self.assertEqual(rma.state, "done")
        self.assertEqual(order.order_line.qty_to_invoice, 3.0)
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.0)

    def test_accountant_menu_and_list(self):
        menu = self.env.ref("rma_returns.account_move_menu_rma_refund")
        self.assertEqual(menu.parent_id, self.env.ref("account.menu_finance_receivables"))
        view = self.env.ref("rma_returns.account_move_view_list_rma_refund")
        arch = view.arch
        for name in (
            "rma_order_id",
            "reversed_entry_id",
            "amount_residual_signed",
            "payment_state",
        ):
            self.assertIn(name, arch)
        self.assertIn("action_register_payment", arch)

    def test_partly_invoiced_line_is_credited_up_to_what_was_invoiced(self):
        order = self._create_order([(self.product_a, 4.0)], deliver=False)
        sale_line = order.order_line
        self._deliver(order, {self.product_a: 2.0})
        invoice = order._create_invoices()
        invoice.action_post()
        self._deliver(order)
        self.assertEqual((sale_line.qty_delivered, sale_line.qty_invoiced), (4.0, 2.0))
        rma = self._approve(self._create_rma(order, {self.product_a: 3.0}))
        rma.action_receive()
        # two were invoiced: credited; the third was never billed
        self.assertEqual(rma.credit_note_ids.invoice_line_ids.quantity, 2.0)
        self.assertAlmostEqual(invoice.amount_residual, 0.0)
        self.assertEqual(sale_line.qty_invoiced, 0.0)
        self.assertEqual(sale_line.qty_delivered, 1.0)
        self.assertEqual(sale_line.qty_to_invoice, 1.0, "the boot kept is billed once")
        self.assertEqual(rma.state, "done")
