from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaCreation(RmaCommon):
    """Starting returns from orders and deliveries, within returnable quantities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 5.0), (cls.product_b, 2.0)])
        cls.line_a = cls.order.order_line.filtered(lambda sol: sol.product_id == cls.product_a)
        cls.line_b = cls.order.order_line.filtered(lambda sol: sol.product_id == cls.product_b)

    def test_wizard_lists_delivered_lines_with_returnable_qty(self):
        wizard = Form(
            self.env["rma.create.wizard"]
            .with_user(self.agent)
            .with_context(default_sale_order_id=self.order.id)
        )
        offered = {rec["product_id"]: rec["qty_returnable"] for rec in wizard.line_ids._records}
        self.assertEqual(offered, {self.product_a.id: 5.0, self.product_b.id: 2.0})

    def test_create_from_sale_order(self):
        rma = self._create_rma(self.order, {self.product_a: 2.0})
        self.assertEqual(rma.state, "draft")
        self.assertTrue(rma.name.startswith("RMA/"))
        self.assertEqual(rma.partner_id, self.customer)
        self.assertEqual(rma.line_ids.sale_line_id, self.line_a)
        self.assertEqual(rma.line_ids.product_uom_qty, 2.0)
        self.assertEqual(rma.line_ids.reason_id, self.reason)
        # the delivered move and the invoice line are found by themselves
        self.assertEqual(rma.line_ids.move_id.picking_id, self.order.picking_ids)
        self.assertEqual(rma.invoice_ids, self.order.invoice_ids)
        # 2 of 5 boots at 100 + 15% tax
        self.assertAlmostEqual(rma.amount_total, self.line_a.price_total * 2 / 5)

    def test_two_open_returns_share_the_delivered_qty(self):
        self._create_rma(self.order, {self.product_a: 2.0})
        self._create_rma(self.order, {self.product_a: 3.0})
        self.assertEqual(self.line_a._rma_returnable_qty()[self.line_a.id], 0.0)
        wizard = Form(
            self.env["rma.create.wizard"]
            .with_user(self.agent)
            .with_context(default_sale_order_id=self.order.id)
        )
        self.assertEqual(wizard.line_ids._records[0]["product_id"], self.product_b.id)
        self.assertEqual(len(wizard.line_ids), 1, "boots are no longer offered")

    def test_refused_above_the_maximum(self):
        self._create_rma(self.order, {self.product_a: 4.0})
        with self.assertRaisesRegex(ValidationError, r"Hiking Boots.*at most 1"):
            self._create_rma(self.order, {self.product_a: 2.0})
        self.assertEqual(
            self.env["rma.order"].search_count([("sale_order_id", "=", self.order.id)]),
            1,
            "nothing half-created",
        )

    def test_refused_above_delivered_in_one_request(self):
        with self.assertRaisesRegex(ValidationError, r"6.*Hiking Boots.*at most 5"):
            self._create_rma(self.order, {self.product_a: 6.0})

    def test_two_lines_on_one_sale_line_add_up(self):
        rma = self._create_rma(self.order, {self.product_a: 3.0})
        with self.assertRaisesRegex(ValidationError, "return 3 Units of Hiking Boots.*at most 2"):
            rma.write(
                {"line_ids": [(0, 0, {"sale_line_id": self.line_a.id, "product_uom_qty": 3.0})]}
            )

    def test_editing_a_line_above_maximum_is_refused(self):
        rma = self._create_rma(self.order, {self.product_b: 1.0})
        with self.assertRaisesRegex(ValidationError, "Fleece Jacket.*at most 2"):
            rma.line_ids.product_uom_qty = 3.0
        rma.line_ids.product_uom_qty = 2.0
        self.assertEqual(rma.qty_total, 2.0)

    def test_cancel_frees_the_quantity_and_reset_checks_again(self):
        first = self._create_rma(self.order, {self.product_a: 5.0})
        first.action_cancel()
        self.assertEqual(self.line_a._rma_returnable_qty()[self.line_a.id], 5.0)
        second = self._create_rma(self.order, {self.product_a: 5.0})
        self.assertEqual(second.line_ids.qty_returnable, 5.0)
        with self.assertRaisesRegex(ValidationError, "at most 0"):
            first.action_draft()
        self.assertEqual(first.state, "cancelled")

    def test_line_of_another_order_is_refused(self):
        other = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(self.order, {self.product_b: 1.0})
        with self.assertRaisesRegex(ValidationError, "was not sold on"):
            rma.write(
                {
                    "line_ids": [
                        (0, 0, {"sale_line_id": other.order_line.id, "product_uom_qty": 1.0})
                    ]
                }
            )

    def test_zero_or_negative_quantity_is_refused(self):
        rma = self._create_rma(self.order, {self.product_b: 1.0})
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            rma.line_ids.product_uom_qty = 0.0

    def test_undelivered_order_offers_nothing(self):
        order = self._create_order([(self.product_a, 3.0)], deliver=False)
        with self.assertRaisesRegex(UserError, "at least one line"):
            self._create_rma(order, {})
        self.assertFalse(order.any_delivered_for_rma)
        self.assertTrue(self.order.any_delivered_for_rma)

    def test_services_are_not_returnable(self):
        order = self._create_order([(self.product_a, 1.0), (self.service, 1.0)])
        service_line = order.order_line.filtered(lambda sol: sol.product_id == self.service)
        self.assertEqual(service_line._rma_returnable_qty()[service_line.id], 0.0)

    def test_partial_delivery_limits_the_return(self):
        order = self._create_order([(self.product_a, 4.0)], deliver=False)
        self._deliver(order, {self.product_a: 1.0})
        with self.assertRaisesRegex(ValidationError, "at most 1"):
            self._create_rma(order, {self.product_a: 2.0})
        rma = self._create_rma(order, {self.product_a: 1.0})
        self.assertEqual(rma.line_ids.product_uom_qty, 1.0)

    def test_create_from_delivery(self):
        order = self._create_order([(self.product_a, 4.0)], deliver=False)
        first = self._deliver(order, {self.product_a: 1.0})
        second = self._deliver(order)
        self.assertEqual(len(order.picking_ids), 2)
        rma = self._create_rma(order, {self.product_a: 3.0}, picking=second)
        self.assertEqual(rma.origin_picking_id, second)
        self.assertEqual(rma.line_ids.move_id.picking_id, second)
        with self.assertRaisesRegex(ValidationError, "at most 1"):
            self._create_rma(order, {self.product_a: 2.0}, picking=first)

    def test_create_from_a_receipt_is_refused(self):
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
            }
        )
        with self.assertRaisesRegex(UserError, "done delivery"):
            receipt.action_create_rma()

    def test_create_from_a_quotation_is_refused(self):
        quotation = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "confirmed sale orders"):
            quotation.action_create_rma()


@tagged("post_install", "-at_install")
class TestRmaTransitions(RmaCommon):
    """Every transition: allowed, forbidden, idempotent, tracked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 5.0)])
        # These tests drive every transition by hand: the default policy sends
        # submitted returns to an agent instead of approving them at once, and
        # refunds after inspection: receiving leaves the return "received" until
        # the agent closes it (closing restocks and refunds). The policy sets the
        # refund timing on submission.
        cls.env.ref("rma_returns.rma_policy_default").write(
            {"auto_approve": False, "refund_timing": "inspection"}
        )

    def _new_rma(self):
        return self._create_rma(self.order, {self.product_a: 1.0}).with_user(self.agent)

    def test_happy_path_sets_milestone_dates(self):
        rma = self._new_rma()
        self._flush_tracking()  # the creation is logged in its own transaction
        rma.action_submit()
        self._flush_tracking()
        self.assertEqual(rma.state, "submitted")
        self.assertTrue(rma.date_submitted)
        rma.action_approve()
        self._flush_tracking()
        self.assertEqual(rma.state, "approved")
        self.assertTrue(rma.date_approved)
        rma.action_receive()
        self._flush_tracking()
        self.assertEqual(rma.state, "received")
        self.assertTrue(rma.date_received)
        rma.action_done()
        self.assertEqual(rma.state, "done")
        self.assertTrue(rma.date_done)
        self._flush_tracking()
        tracked = rma.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 4, "each transition is tracked in the chatter")

    def test_forbidden_transitions(self):
        rma = self._new_rma()
        forbidden = {
            "draft": ["action_approve", "action_receive", "action_done"],
            "submitted": ["action_receive", "action_done", "action_draft"],
            "approved": ["action_submit", "action_reject", "action_done", "action_draft"],
            "received": ["action_submit", "action_approve", "action_cancel", "action_reject"],
            "done": ["action_submit", "action_cancel", "action_draft", "action_receive"],
        }
        path = ["action_submit", "action_approve", "action_receive", "action_done"]
        for state, actions in forbidden.items():
            self.assertEqual(rma.state, state)
            for action in actions:
                with self.assertRaisesRegex(UserError, "not possible"):
                    getattr(rma, action)()
                self.assertEqual(rma.state, state)
            if path:
                getattr(rma, path.pop(0))()

    def test_reject_and_cancel_paths(self):
        rejected = self._new_rma()
        rejected.action_submit()
        wizard = Form(
            self.env["rma.reject.wizard"]
            .with_user(self.agent)
            .with_context(default_rma_ids=rejected.ids)
        )
        wizard.reason = "Worn outdoors"
        wizard.save().action_reject()
        self.assertEqual(rejected.state, "rejected")
        self.assertEqual(rejected.reject_reason, "Worn outdoors")
        self.assertTrue(rejected.date_rejected)
        with self.assertRaisesRegex(UserError, "not possible"):
            rejected.action_cancel()
        rejected.action_draft()
        self.assertEqual(rejected.state, "draft")

        cancelled = self._new_rma()
        cancelled.action_submit()
        cancelled.action_approve()
        cancelled.action_cancel()
        self.assertEqual(cancelled.state, "cancelled")
        self.assertTrue(cancelled.date_cancelled)

    def test_actions_are_idempotent(self):
        rma = self._new_rma()
        rma.action_submit()
        submitted_at = rma.date_submitted
        self._flush_tracking()
        # tracking values are readable by administrators only
        messages = len(rma.sudo().message_ids.filtered("tracking_value_ids"))
        rma.action_submit()
        self.assertEqual(rma.state, "submitted")
        self.assertEqual(rma.date_submitted, submitted_at)
        rma.action_approve()
        approved_at = rma.date_approved
        rma.action_approve()
        self.assertEqual(rma.date_approved, approved_at)
        self._flush_tracking()
        self.assertEqual(
            len(rma.sudo().message_ids.filtered("tracking_value_ids")),
            messages + 1,
            "one tracking message per change",
        )

    def test_batch_transition_mixed_states(self):
        first, second = self._new_rma(), self._new_rma()
        first.action_submit()
        (first | second).action_submit()
        self.assertEqual((first | second).mapped("state"), ["submitted", "submitted"])
        second.action_approve()
        with self.assertRaisesRegex(UserError, first.name):
            first.action_receive()
        result = (first | second).action_receive()
        self.assertEqual(second.state, "received", "the batch does what it can")
        self.assertEqual(first.state, "submitted")
        self.assertIn(first.name, result["params"]["message"], "the others are named")
        self.assertNotIn(second.name, result["params"]["message"])
        third = self._new_rma()
        third.action_submit()
        result = (first | second | third).action_approve()
        self.assertIs(result, True, "received is past approved: skipped")
        self.assertEqual((first | third).mapped("state"), ["approved", "approved"])
        self.assertEqual(second.state, "received")
        with self.assertRaisesRegex(UserError, "not possible"):
            (first | third).action_draft()

    def test_submit_needs_lines(self):
        rma = self.env["rma.order"].create({"sale_order_id": self.order.id})
        with self.assertRaisesRegex(UserError, "at least one product"):
            rma.action_submit()

    def test_only_draft_or_cancelled_can_be_deleted(self):
        rma = self._new_rma()
        rma.action_submit()
        with self.assertRaisesRegex(UserError, "Only draft or cancelled"):
            rma.sudo().unlink()
        rma.action_cancel()
        rma.sudo().unlink()
        self.assertFalse(rma.exists())


@tagged("post_install", "-at_install")
class TestRmaLinks(RmaCommon):
    """Smart buttons both ways: order, delivery, invoice, customer."""

    def test_links_and_counts(self):
        order = self._create_order([(self.product_a, 3.0), (self.product_b, 1.0)])
        first = self._create_rma(order, {self.product_a: 1.0})
        second = self._create_rma(order, {self.product_b: 1.0})
        delivery = order.picking_ids
        invoice = order.invoice_ids
        self.assertEqual(order.rma_count, 2)
        self.assertEqual(order.rma_ids, first | second)
        self.assertEqual(delivery.rma_count, 2)
        self.assertEqual(delivery.rma_ids, first | second)
        self.assertEqual(invoice.rma_count, 2)
        self.assertEqual(self.customer.rma_count, 2)
        self.assertEqual(first.delivery_ids, delivery)
        self.assertEqual(first.delivery_count, 1)
        self.assertEqual(first.invoice_ids, invoice)

        action = order.action_view_rmas()
        self.assertEqual(action["res_model"], "rma.order")
        self.assertEqual(set(action["domain"][0][2]), set((first | second).ids))
        single = first.action_view_invoices()
        self.assertEqual((single["res_model"], single["res_id"]), ("account.move", invoice.id))
        contact = self.env["res.partner"].create(
            {"name": "Ruth's colleague", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.rma_count, 2, "counted on the whole customer company")

    def test_uninvoiced_order_has_no_invoice_link(self):
        order = self._create_order([(self.product_a, 1.0)], invoice=False)
        rma = self._create_rma(order, {self.product_a: 1.0})
        self.assertFalse(rma.invoice_ids)
        self.assertFalse(rma.line_ids.invoice_line_id)


@tagged("post_install", "-at_install")
class TestRmaAgentFlowWithDefaultPolicy(RmaCommon):
    """The back-office "Return" wizard, then Submit, with the policy as installed:
    what an agent sees now that policies and the approval automation are merged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 3.0)])
        cls.sale_line = cls.order.order_line

    def test_submit_approves_at_once_and_keeps_the_quantities(self):
        self.assertTrue(self.env.ref("rma_returns.rma_policy_default").auto_approve)
        action = self.order.with_user(self.agent).action_create_rma()
        self.assertEqual(action["res_model"], "rma.create.wizard")
        rma = self._create_rma(self.order, {self.product_a: 2.0}).with_user(self.agent)
        rma.action_submit()
        self.assertEqual(rma.state, "approved", "the default policy approves on submit")
        self.assertEqual(rma.decision, "approve")
        self.assertTrue(rma.decision_explanation, "the agent sees why")
        self.assertTrue(rma.date_submitted and rma.date_approved)
        self.assertEqual(len(rma._rma_pending_receipts()), 1, "the receipt waits")
        rma.action_approve()  # approving again changes nothing
        self.assertEqual(rma.state, "approved")
        self.assertEqual(self.sale_line._rma_returnable_qty()[self.sale_line.id], 1.0)
        with self.assertRaisesRegex(ValidationError, r"Hiking Boots.*at most 1"):
            self._create_rma(self.order, {self.product_a: 2.0})
        with self.assertRaisesRegex(UserError, "not possible"):
            rma.action_reject()
        rma.action_cancel()
        self.assertEqual(rma.state, "cancelled")
        self.assertFalse(rma._rma_pending_receipts(), "cancelling withdraws the receipt")
        self.assertEqual(self.sale_line._rma_returnable_qty()[self.sale_line.id], 3.0)

    def test_submit_needing_review_waits_for_the_agent(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0}).with_user(self.agent)
        rma.line_ids.reason_id = self.env.ref("rma_returns.rma_reason_defective")
        rma.action_submit()
        self.assertEqual((rma.state, rma.decision), ("submitted", "review"))
        self.assertFalse(rma._rma_pending_receipts())
        rma.action_approve()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(len(rma._rma_pending_receipts()), 1)
