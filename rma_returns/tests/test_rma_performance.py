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
