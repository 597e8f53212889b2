from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import RmaPaymentCommon


@tagged("post_install", "-at_install")
class TestRmaUnreturned(RmaPaymentCommon):
    """Instant exchange: the replacement ships at approval, before the goods
    come back; goods still missing after the policy's delay are invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.unreturned_invoice_days = 14

    def _replacement(self, order, qty=1.0):
        rma = self._create_rma(order, {self.product_a: qty})
        rma.line_ids.resolution = "replacement"
        rma = self._approve(rma)
        shipment = rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self._stock(self.product_a, qty, shipment.picking_type_id.warehouse_id)
        shipment.with_user(self.clerk).action_assign()
        self._validate(shipment)
        return rma, shipment

    def _shipped_days_ago(self, shipment, days):
        shipment.sudo().move_ids.date = fields.Datetime.now() - timedelta(days=days)

    def test_unreturned_goods_are_invoiced_after_the_delay(self):
        order = self._create_order([(self.product_a, 2.0)])
        sale_line = order.order_line
        rma, shipment = self._replacement(order)
        # shipped before the goods arrived
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.line_ids.qty_replaced, 1.0)
        self.assertFalse(rma.line_ids.qty_received)

        self._shipped_days_ago(shipment, 10)
        self.env["rma.order"]._cron_rma_invoice_unreturned()
        self.assertFalse(rma.rma_unreturned_invoice_id, "still within the delay")

        self._shipped_days_ago(shipment, 15)
        self.env["rma.order"]._cron_rma_invoice_unreturned()
        invoice = rma.sudo().rma_unreturned_invoice_id
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, order.partner_invoice_id)
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [{"product_id": self.product_a.id, "quantity": 1.0, "price_unit": 100.0}],
        )
        first_invoice = order.invoice_ids.filtered(lambda m: m != invoice)
        self.assertAlmostEqual(invoice.amount_total, first_invoice.amount_total / 2)
        # the replacement counted as delivered again: now it is invoiced too
        self.assertEqual(sale_line.qty_delivered, 3.0)
        self.assertEqual(sale_line.qty_invoiced, 3.0)
        message = rma.message_ids.filtered(lambda m: invoice.name in (m.body or ""))
        self.assertEqual(message.partner_ids, rma.partner_id)

        self.env["rma.order"]._cron_rma_invoice_unreturned()
        self.assertEqual(order.invoice_ids, first_invoice | invoice, "invoiced once")

    def test_returned_goods_are_not_invoiced(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma, shipment = self._replacement(order)
        self._validate(self._receipt(rma))
        self._shipped_days_ago(shipment, 30)
        self.env["rma.order"]._cron_rma_invoice_unreturned()
        self.assertFalse(rma.rma_unreturned_invoice_id)
        self.assertEqual(len(order.invoice_ids), 1)

    def test_replacement_waits_for_the_goods_unless_trusted(self):
        self.policy.write({"replacement_timing": "trusted", "refund_timing": "receipt"})
        order = self._create_order([(self.product_a, 2.0)])
        self._stock(self.product_a, 5.0)
        self._stock(self.product_a, 5.0, self.lyon)

        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.line_ids.resolution = "replacement"
        rma = self._approve(rma)
        outgoing = rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertFalse(outgoing, "not trusted: waits for the goods")

        self._validate(self._receipt(rma))
        outgoing = rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(outgoing.move_ids.product_uom_qty, 1.0)

        # a customer the fast-refund gate trusts gets it at once
        self.policy.refund_timing = "approval"
        trusted = self._create_rma(order, {self.product_a: 1.0})
        trusted.line_ids.resolution = "replacement"
        trusted = self._approve(trusted)
        self.assertEqual(trusted.refund_timing, "approval")
        self.assertTrue(
            trusted.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing"),
            "trusted: ships before the goods come back",
        )
