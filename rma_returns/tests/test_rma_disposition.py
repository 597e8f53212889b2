from odoo.tests import tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaDispositionLots(RmaFlowCommon):
    """Dispositions move the lots that came back with the return, all of them."""

    def setUp(self):
        super().setUp()
        self.policy.refund_timing = "inspection"
        self.drill = self._create_product("Lot Drill", 200.0)
        self.drill.tracking = "lot"
        self.lots = self.env["stock.lot"].create(
            [{"name": name, "product_id": self.drill.id} for name in ("LOT-A", "LOT-B")]
        )

    def _stock_lot(self, lot, qty):
        self.env["stock.quant"]._update_available_quantity(
            self.drill, self.warehouse.lot_stock_id, qty, lot_id=lot
        )

    def _lot_qty(self, location):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", self.drill.id), ("location_id", "=", location.id)]
        )
        return {q.lot_id.name: q.quantity for q in quants if q.quantity}

    def test_scrap_takes_every_returned_lot(self):
        self._stock_lot(self.lots[0], 2.0)
        self._stock_lot(self.lots[1], 2.0)
        order = self._create_order([(self.drill, 3.0)])
        rma = self._approve(self._create_rma(order, {self.drill: 3.0}))
        self._validate(self._receipt(rma))
        returned = self._lot_qty(self.lyon.rma_return_location_id)
        self.assertEqual(sum(returned.values()), 3.0)
        self.assertEqual(len(returned), 2, "both delivered lots came back")
        rma.line_ids.disposition = "scrap"
        rma.action_apply_disposition()
        scraps = self.env["stock.scrap"].search([("origin", "=", rma.name)])
        self.assertEqual({s.lot_id.name: s.scrap_qty for s in scraps}, returned)
        self.assertEqual(self._lot_qty(self.lyon.rma_return_location_id), {})
        scrap_location = scraps[0].scrap_location_id
        self.assertEqual(self._lot_qty(scrap_location), returned)
        self.assertEqual(rma.line_ids.qty_disposed, 3.0)
        self.assertEqual(rma.state, "done")

    def test_restock_moves_the_return_own_lot(self):
        self._stock_lot(self.lots[0], 1.0)
        first = self._create_order([(self.drill, 1.0)])
        self._stock_lot(self.lots[1], 1.0)
        second = self._create_order([(self.drill, 1.0)])
        self.assertEqual(first.picking_ids.move_line_ids.lot_id, self.lots[0])
        self.assertEqual(second.picking_ids.move_line_ids.lot_id, self.lots[1])
        rma_a = self._approve(self._create_rma(first, {self.drill: 1.0}))
        rma_b = self._approve(self._create_rma(second, {self.drill: 1.0}))
        self._validate(self._receipt(rma_a))
        self._validate(self._receipt(rma_b))
        rma_b.action_apply_disposition()
        self.assertEqual(self._lot_qty(self.lyon.lot_stock_id), {"LOT-B": 1.0})
        self.assertEqual(self._lot_qty(self.lyon.rma_return_location_id), {"LOT-A": 1.0})
        self.assertEqual(rma_b.line_ids.disposition_move_ids.move_line_ids.lot_id, self.lots[1])
        self.assertEqual(rma_b.state, "done")
        self.assertEqual(rma_a.state, "received", "its lot still waits")
