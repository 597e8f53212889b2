from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaReplacement(RmaFlowCommon):
    """Replacements from the nearest warehouse with stock; exchanges settled."""

    def _rma_with(self, order, product, resolution, exchange=None, qty=1.0):
        rma = self._create_rma(order, {product: qty})
        rma.line_ids.write(
            {"resolution": resolution, "exchange_product_id": exchange and exchange.id}
        )
        return self._approve(rma)

    def _outgoing(self, rma):
        return rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def test_replacement_from_nearest_warehouse_with_stock(self):
        order = self._create_order([(self.product_a, 2.0)])
        sale_line = order.order_line
        self._stock(self.product_a, 5.0)  # only Brussels has some left
        rma = self._rma_with(order, self.product_a, "replacement")
        shipment = self._outgoing(rma)
        self.assertEqual(shipment.picking_type_id.warehouse_id, self.warehouse, "Lyon has none")
        self.assertEqual(shipment.move_ids.product_id, self.product_a)
        self.assertEqual(rma.replacement_picking_count, 1)

        self._stock(self.product_a, 5.0, self.lyon)
        second = self._rma_with(order, self.product_a, "replacement")
        self.assertEqual(
            self._outgoing(second).picking_type_id.warehouse_id, self.lyon, "nearest with stock"
        )
        second.action_cancel()

        rma.action_receive()
        self.assertEqual(sale_line.qty_delivered, 1.0)
        self.assertEqual(rma.state, "received", "replacement not shipped yet")
        self.assertFalse(rma.credit_note_ids)
        self._validate(shipment)
        self.assertEqual(sale_line.qty_delivered, 2.0, "the replacement counts as delivered")
        self.assertEqual(sale_line.qty_invoiced, 2.0)
        self.assertEqual(rma.line_ids.qty_replaced, 1.0)
        self.assertEqual(rma.state, "done")

    def test_replacement_falls_back_to_the_return_warehouse(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._rma_with(order, self.product_a, "replacement")
        self.assertEqual(self._outgoing(rma).picking_type_id.warehouse_id, self.lyon)
        self.assertEqual(self._outgoing(rma).state, "confirmed", "waits for stock")

    def test_exchange_for_a_cheaper_product_gives_a_credit_note(self):
        order = self._create_order([(self.product_a, 1.0)])
        self._stock(self.product_b, 1.0)
        rma = self._rma_with(order, self.product_a, "exchange", self.product_b)
        self.assertEqual(self._outgoing(rma).move_ids.product_id, self.product_b)
        self.assertFalse(self._receipt(rma).move_ids.to_refund, "the sale stands")
        rma.action_receive()
        self.assertEqual(order.order_line.qty_delivered, 1.0)
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        # boots 100 -> jacket 60: 40 back, plus the boots' 15% tax
        self.assertAlmostEqual(credit_note.amount_untaxed, 40.0)
        self.assertEqual(order.order_line.qty_invoiced, 1.0, "the boots stay invoiced")
        self.assertEqual(rma.state, "received")
        self._validate(self._outgoing(rma))
        self.assertEqual(rma.state, "done")

    def test_exchange_for_a_dearer_product_is_invoiced(self):
        order = self._create_order([(self.product_b, 1.0)])
        self._stock(self.product_a, 1.0)
        rma = self._rma_with(order, self.product_b, "exchange", self.product_a)
        rma.action_receive()
        invoice = rma.credit_note_ids
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertAlmostEqual(invoice.amount_untaxed, 40.0)
        self.assertEqual(invoice.state, "posted")
        self._validate(self._outgoing(rma))
        self.assertEqual(rma.state, "done")

    def test_exchanged_goods_cannot_be_returned_again(self):
        order = self._create_order([(self.product_a, 2.0)])
        sale_line = order.order_line
        self._stock(self.product_b, 2.0)
        rma = self._rma_with(order, self.product_a, "exchange", self.product_b)
        rma.action_receive()
        self._validate(self._outgoing(rma))
        self.assertEqual(rma.state, "done")
        self.assertEqual(sale_line.qty_delivered, 2.0, "the sale stands")
        self.assertEqual(sale_line._rma_returnable_qty()[sale_line.id], 1.0, "one boot left")
        second = self._create_rma(order, {self.product_a: 1.0})
        with self.assertRaisesRegex(ValidationError, "at most 1"):
            second.line_ids.product_uom_qty = 2.0
        second.line_ids.write({"resolution": "exchange", "exchange_product_id": self.product_b.id})
        self._approve(second).action_receive()
        self.assertEqual(sale_line._rma_returnable_qty()[sale_line.id], 0.0)
        with self.assertRaises(UserError):
            self._create_rma(order, {self.product_a: 1.0})
