from odoo.tests import tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaBatchCost(RmaFlowCommon):
    """Approving many returns at once costs far less than approving them one
    by one: the automation creates per model, not per return."""

    def _submitted_returns(self, count):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Batch customer {index}",
                    "country_id": self.customer.country_id.id,
                    "partner_latitude": self.customer.partner_latitude,
                    "partner_longitude": self.customer.partner_longitude,
                }
                for index in range(count)
            ]
        )
        rmas = self.env["rma.order"]
        for customer in customers:
            order = self._create_order([(self.product_a, 2.0), (self.product_b, 1.0)], customer)
            rmas |= self._create_rma(order, {self.product_a: 1.0, self.product_b: 1.0})
        rmas = rmas.with_user(self.agent)
        rmas.action_submit()
        self.assertEqual(rmas.mapped("state"), ["submitted"] * count)
        return rmas

    def _approval_queries(self, rmas):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        rmas.action_approve()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_batch_approval_does_not_cost_per_return(self):
        self.policy.auto_approve = False
        single = self._submitted_returns(1)
        batch = self._submitted_returns(10)
        # warm the caches (rules, translations, sequences) before measuring
        self._approval_queries(self._submitted_returns(1))
        one = self._approval_queries(single)
        ten = self._approval_queries(batch)
        self.assertEqual(batch.mapped("state"), ["approved"] * 10)
        self.assertEqual(len(batch.picking_ids), 10)
        self.assertEqual(len(batch.picking_ids.move_ids), 20)
        queued = self.env["rma.order.notification"].search(
            [("rma_id", "in", batch.ids), ("event", "=", "approved")]
        )
        self.assertEqual(queued.rma_id, batch, "the e-mails wait in the queue")
        self.assertLess(ten, 4 * one, f"1 return: {one} queries, 10 returns: {ten}")

    def test_batch_receipt_reconciles_every_credit_note_and_triggers_once(self):
        """A batch received at once: each credit note is posted and reconciled
        with its unpaid invoice (two returns of one invoice too), and the
        customer e-mails of the whole batch wake the sending cron once, not once
        per return."""
        order = self._create_order([(self.product_a, 3.0)])
        other_customer = self.customer.copy({"name": "Another customer"})
        other = self._create_order([(self.product_b, 2.0)], other_customer)
        rmas = self._create_rma(order, {self.product_a: 1.0})
        rmas |= self._create_rma(order, {self.product_a: 2.0})
        rmas |= self._create_rma(other, {self.product_b: 1.0})
        rmas = rmas.with_user(self.agent)
        rmas.action_submit()
        rmas.action_approve()
        self.assertEqual(rmas.mapped("state"), ["approved"] * 3)
        self.env.cr.flush()  # the approval's transaction commits
        cron = self.env.ref("rma_returns.ir_cron_rma_send_notifications")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        rmas.action_receive()
        notes = rmas.credit_note_ids
        self.assertEqual(len(notes), 3)
        self.assertEqual(set(notes.mapped("state")), {"posted"})
        self.assertEqual(set(notes.mapped("rma_refund_status")), {"reconciled"})
        for note in notes:  # the accountant reads where each one comes from
            logged = note.message_ids.filtered(
                lambda m: m.subtype_id == self.env.ref("mail.mt_note")
            )
            self.assertIn(f"Created by return {note.rma_order_id.name}", str(logged.mapped("body")))
        invoices = notes.reversed_entry_id
        self.assertEqual(len(invoices), 2)
        for invoice in invoices:
            mine = notes.filtered(lambda m, i=invoice: m.reversed_entry_id == i)
            # each credit note matched with its own invoice, never another customer's
            matched = mine.line_ids.matched_debit_ids.debit_move_id.move_id
            self.assertEqual(matched, invoice)
            credited = sum(mine.mapped("amount_total"))
            self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total - credited)
        self.assertEqual(
            order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice").payment_state,
            "reversed",
            "3 of 3 units credited",
        )
        self.env.cr.flush()
        new = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        # "received" then "refunded" for 3 returns: once per transaction, the
        # refund's savepoint commits the tracking (and the first trigger) early
        self.assertLessEqual(len(new), 2, "not one trigger per return and e-mail")
        self.assertTrue(
            self.env["rma.order.notification"].search(
                [("rma_id", "in", rmas.ids), ("event", "=", "refunded")]
            )
        )
