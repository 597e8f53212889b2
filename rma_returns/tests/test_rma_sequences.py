from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaRealSequences(RmaFlowCommon):
    """Money and stock when events happen in the order shops see them: invoiced
    late, invoiced or delivered in parts, exchanged, charged fees."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="rma_seq_clerk",
            groups="base.group_user,stock.group_stock_user",
            name="Warehouse Clerk",
        )

    def _invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice

    def _outgoing(self, rma):
        return rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def test_invoiced_while_the_parcel_comes_back(self):
        order = self._create_order([(self.product_a, 2.0)], invoice=False)
        sale_line = order.order_line
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.assertFalse(rma.line_ids.invoice_line_id, "nothing invoiced at approval")
        invoice = self._invoice(order)  # billed for 2 while one boot travels back
        self.assertEqual(sale_line.qty_invoiced, 2.0)
        self._validate(self._receipt(rma))
        credit_note = rma.credit_note_ids
        self.assertEqual(len(credit_note), 1, "the refund resolves the late invoice")
        self.assertEqual(credit_note.reversed_entry_id, invoice)
        self.assertAlmostEqual(credit_note.amount_total, invoice.amount_total / 2)
        self.assertAlmostEqual(invoice.amount_residual, invoice.amount_total / 2)
        self.assertEqual(sale_line.qty_delivered, 1.0)
        self.assertEqual(sale_line.qty_invoiced, 1.0)
        self.assertEqual(sale_line.qty_to_invoice, 0.0, "never negative")
        self.assertNotEqual(order.invoice_status, "to invoice")
        self.assertEqual(rma.state, "done")

    def test_line_invoiced_in_two_invoices(self):
        order = self._create_order([(self.product_a, 3.0)], deliver=False)
        sale_line = order.order_line
        self._deliver(order, {self.product_a: 2.0})
        first = self._invoice(order)
        self._deliver(order)
        second = self._invoice(order)
        self.assertEqual(
            (first.invoice_line_ids.quantity, second.invoice_line_ids.quantity), (2, 1)
        )
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        self._validate(self._receipt(rma))
        credit_notes = rma.credit_note_ids
        self.assertEqual(len(credit_notes), 2, "one credit note per invoice")
        by_invoice = {cn.reversed_entry_id: cn for cn in credit_notes}
        self.assertEqual(by_invoice[second].invoice_line_ids.quantity, 1.0, "newest first")
        self.assertEqual(by_invoice[first].invoice_line_ids.quantity, 1.0)
        self.assertEqual(set(credit_notes.mapped("state")), {"posted"})
        self.assertEqual(set(credit_notes.mapped("payment_state")), {"paid"}, "reconciled")
        self.assertTrue(second.currency_id.is_zero(second.amount_residual), "fully credited")
        self.assertAlmostEqual(first.amount_residual, first.amount_total / 2)
        self.assertEqual(sale_line.qty_invoiced, 1.0)
        self.assertEqual(sale_line.qty_delivered, 1.0)
        self.assertEqual(rma.state, "done")

    def _serials_in_two_shipments(self, prefix):
        """An order of two serial-tracked units shipped one by one: (order,
        first delivery, serials in the order they shipped)."""
        product = self._create_product(f"{prefix} device", 300.0)
        product.tracking = "serial"
        serials = self.env["stock.lot"].create(
            [{"name": f"{prefix}-{n}", "product_id": product.id} for n in (1, 2)]
        )
        for serial in serials:
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, 1.0, lot_id=serial
            )
        order = self._create_order([(product, 2.0)], deliver=False, invoice=False)
        first_pick = order.picking_ids
        first_pick.action_assign()
        first_pick.move_line_ids.filtered(lambda ml: ml.lot_id == serials[1]).unlink()
        first_pick.move_ids.picked = True
        result = first_pick.button_validate()
        Form(
            self.env["stock.backorder.confirmation"].with_context(**result["context"])
        ).save().process()
        self.assertEqual(first_pick.move_line_ids.lot_id, serials[0])
        second_pick = order.picking_ids - first_pick
        second_pick.action_assign()
        second_pick.move_ids.picked = True
        second_pick.button_validate()
        return order, first_pick, serials

    def test_serial_from_the_first_of_two_shipments(self):
        order, first_pick, serials = self._serials_in_two_shipments("SN")
        product = order.order_line.product_id
        self._invoice(order)
        first_move = first_pick.move_ids
        second_move = order.order_line.move_ids - first_move
        self.assertEqual(second_move.move_line_ids.lot_id, serials[1])

        rma = self._approve(self._create_rma(order, {product: 2.0}))
        receipt = self._receipt(rma)
        self.assertEqual(len(receipt.move_ids), 2, "split per delivered move")
        self.assertEqual(receipt.move_ids.origin_returned_move_id, first_move | second_move)
        for move in receipt.move_ids:
            self.assertEqual(move.product_uom_qty, 1.0)
        self.assertEqual(receipt.move_line_ids.lot_id, serials, "both serials proposed")
        self._validate(receipt)
        self.assertEqual(rma.line_ids.qty_received, 2.0)
        self.assertEqual(order.order_line.qty_delivered, 0.0)
        self.assertEqual(first_move.returned_move_ids.state, "done")

    def test_serial_of_the_first_shipment_alone(self):
        order, _first_pick, serials = self._serials_in_two_shipments("LN")
        product = order.order_line.product_id
        rma = self._approve(self._create_rma(order, {product: 1.0}))
        receipt = self._receipt(rma)
        receipt.move_line_ids.lot_id = serials[0]  # the first shipment's serial
        self._validate(receipt)
        self.assertEqual(receipt.state, "done", "delivered, in the first shipment")
        self.assertEqual(rma.line_ids.qty_received, 1.0)

    def test_exchange_delivery_bills_nothing_and_a_clerk_ships_it(self):
        product_m = self._create_product("Shirt M", 50.0)
        product_l = self._create_product("Shirt L", 50.0)
        self._stock(product_l, 1.0, self.lyon)
        order = self._create_order([(product_m, 1.0)], invoice=False)
        order.order_line.discount = 10.0  # given by hand
        invoice = self._invoice(order)
        rma = self._create_rma(order, {product_m: 1.0})
        rma.line_ids.write({"resolution": "exchange", "exchange_product_id": product_l.id})
        self._approve(rma)
        self.assertEqual(rma.line_ids._rma_exchange_difference(), 0.0, "like with like")
        lines_before = order.order_line
        shipment = self._outgoing(rma).with_user(self.clerk)
        shipment.move_ids.quantity = 1.0
        shipment.move_ids.picked = True
        shipment.button_validate()
        self.assertEqual(shipment.state, "done")
        self.assertEqual(order.order_line, lines_before, "no order line for the new size")
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(rma.line_ids.qty_replaced, 1.0)
        self._validate(self._receipt(rma).with_user(self.clerk))
        self.assertFalse(rma.credit_note_ids, "same price: nothing to settle")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(rma.state, "done")

    def test_exchange_for_a_dearer_size_compares_discounted_prices(self):
        product_m = self._create_product("Coat M", 100.0)
        product_xl = self._create_product("Coat XL", 120.0)
        self._stock(product_xl, 1.0, self.lyon)
        order = self._create_order([(product_m, 1.0)], invoice=False)
        order.order_line.discount = 10.0
        self._invoice(order)
        rma = self._create_rma(order, {product_m: 1.0})
        rma.line_ids.write({"resolution": "exchange", "exchange_product_id": product_xl.id})
        self._approve(rma)
        # paid 90; the XL with the same 10 % costs 108 now
        self.assertEqual(rma.line_ids._rma_exchange_difference(), 18.0)

    def test_fees_spread_so_no_credit_note_is_negative(self):
        self.policy.write(
            {"restocking_fee_fixed": 0.0, "shipping_fee": 150.0, "shipping_payer": "customer"}
        )
        order = self._create_order([(self.product_a, 3.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 3.0}))
        self.assertEqual(rma.shipping_fee, 150.0)
        receipt = self._receipt(rma).with_user(self.clerk)
        self._validate(receipt, {self.product_a: 1.0})  # one boot back first
        self.assertEqual(receipt.state, "done", "the clerk's receipt went through")
        rma.with_user(self.agent).action_refund()  # refund what came back: 115
        first = rma.credit_note_ids
        self.assertEqual(first.state, "posted")
        self.assertAlmostEqual(first.amount_total, 0.0, delta=0.01, msg="fee up to the refund")
        self.assertAlmostEqual(first.invoice_line_ids.filtered("rma_fee").rma_fee_amount, 115.0)
        self._validate(rma._rma_pending_receipts())
        second = rma.credit_note_ids - first
        self.assertAlmostEqual(second.invoice_line_ids.filtered("rma_fee").rma_fee_amount, 35.0)
        self.assertAlmostEqual(second.amount_total, 230.0 - 35.0, delta=0.01)
        self.assertEqual(rma.state, "done")
        self.assertFalse(rma.fees_waived)

    def test_fees_above_the_refund_are_waived(self):
        self.policy.write(
            {"restocking_fee_fixed": 0.0, "shipping_fee": 150.0, "shipping_payer": "customer"}
        )
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 2.0}))
        self._validate(self._receipt(rma), {self.product_a: 1.0}, backorder=False)
        credit_note = rma.credit_note_ids
        self.assertAlmostEqual(credit_note.amount_total, 0.0, delta=0.01, msg="never negative")
        self.assertEqual(rma.state, "done")
        self.assertAlmostEqual(rma.fees_waived, 150.0 - 115.0)
        self.assertTrue(any("waived" in body for body in rma.message_ids.mapped("body")))

    def test_agent_cancels_an_approved_return_with_a_draft_credit_note(self):
        self.policy.write({"refund_timing": "approval", "auto_post_refund": False})
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.state, "draft")
        self.assertFalse(self.agent.has_group("account.group_account_invoice"))
        rma.with_user(self.agent).action_cancel()
        self.assertEqual(rma.state, "cancelled")
        self.assertEqual(credit_note.state, "cancel")
        self.assertEqual(self._receipt(rma).state, "cancel")

    def test_draft_credit_note_is_named_in_messages(self):
        self.policy.write({"auto_post_refund": False})
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self._validate(self._receipt(rma))
        self.assertEqual(rma.credit_note_ids.state, "draft")
        self.assertEqual(rma.state, "received")
        with self.assertRaisesRegex(Exception, "post credit note or invoice Draft") as cm:
            rma.with_user(self.agent).action_done()
        self.assertNotIn(" /", str(cm.exception))
        self.assertIn(rma.name, str(cm.exception))

    def test_credit_note_logs_the_return_and_who_triggered_it(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self._validate(self._receipt(rma).with_user(self.clerk))
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.create_uid, self.clerk, "created in the clerk's name")
        bodies = "".join(credit_note.message_ids.mapped("body"))
        self.assertIn(rma.name, bodies)
        self.assertIn(self.clerk.name, bodies)

    def test_exchange_price_difference_uses_the_pricelist(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Minus 20",
                "item_ids": [
                    Command.create(
                        {
                            "compute_price": "percentage",
                            "percent_price": 20.0,
                            "applied_on": "3_global",
                        }
                    )
                ],
            }
        )
        product_s = self._create_product("Dress S", 100.0)
        product_m = self._create_product("Dress M", 100.0)
        self._stock(product_s, 1.0)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [Command.create({"product_id": product_s.id})],
            }
        )
        self.assertAlmostEqual(
            order.order_line.price_unit * (1 - order.order_line.discount / 100), 80.0
        )
        order.action_confirm()
        self._deliver(order)
        self._invoice(order)
        rma = self._create_rma(order, {product_s: 1.0})
        rma.line_ids.write({"resolution": "exchange", "exchange_product_id": product_m.id})
        self.assertEqual(rma.line_ids._rma_exchange_difference(), 0.0)


@tagged("post_install", "-at_install")
class TestRmaStepsSayWhy(RmaFlowCommon):
    """A step with nothing to do yet is hidden or says why."""

    def test_refund_before_the_goods_arrive_says_why(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.assertEqual(rma.refund_timing, "receipt")
        self.assertFalse(rma.can_refund, "the Refund button is hidden")
        with self.assertRaisesRegex(UserError, "goods are not received yet"):
            rma.action_refund()
        self.assertFalse(rma.credit_note_ids)

    def test_refund_of_a_batch_names_what_it_left_out(self):
        order = self._create_order([(self.product_a, 2.0)])
        waiting = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.policy.auto_post_refund = False
        partial = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self._validate(self._receipt(partial))
        partial.credit_note_ids.sudo().button_cancel()  # the accountant withdrew it
        self.assertTrue(partial.can_refund)
        result = (waiting | partial).action_refund()
        self.assertEqual(len(partial.credit_note_ids.filtered(lambda m: m.state == "draft")), 1)
        self.assertIn(waiting.name, result["params"]["message"])
        self.assertIn("not received", result["params"]["message"])

    def test_disposition_before_the_goods_arrive_says_why(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.assertFalse(rma.can_apply_disposition)
        with self.assertRaisesRegex(UserError, "not reached the return location"):
            rma.action_apply_disposition()

    def test_clerk_cannot_approve_nor_refund(self):
        clerk = new_test_user(
            self.env, login="rma_why_clerk", groups="base.group_user,stock.group_stock_user"
        )
        order = self._create_order([(self.product_a, 1.0)])
        self.policy.auto_approve = False
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        for method in ("action_approve", "action_refund", "action_cancel", "action_reject"):
            with self.assertRaises(AccessError, msg=method):
                getattr(rma.with_user(clerk), method)()
        self.assertEqual(rma.state, "submitted")
