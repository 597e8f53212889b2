from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaIntegrity(RmaFlowCommon):
    """What must not change once a return is on its way, whoever asks (form,
    list multi-edit, RPC): its order, customer and products, its status
    outside the transitions, the flow's own fields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.auto_approve = False
        cls.manager = new_test_user(
            cls.env,
            login="rma_integrity_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Returns Manager",
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Otto Other"})
        cls.order = cls._create_order([(cls.product_a, 2.0), (cls.product_b, 1.0)])
        cls.other_order = cls._create_order([(cls.product_a, 1.0)], partner=cls.other_customer)

    def _submitted(self, quantities=None):
        rma = self._create_rma(self.order, quantities or {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        self.assertEqual(rma.state, "submitted")
        return rma

    def _approved(self, quantities=None):
        rma = self._submitted(quantities)
        rma.with_user(self.agent).action_approve()
        self.assertEqual(rma.state, "approved")
        return rma

    # --- the header ------------------------------------------------------------
    def test_approved_return_keeps_its_order_and_customer(self):
        """Multi-edit or RPC cannot move an approved return to another customer
        (whose portal would then show it) nor to another order."""
        first, second = self._approved(), self._approved()
        both = (first | second).with_user(self.agent)
        with self.assertRaisesRegex(UserError, f"{first.name} is approved.*draft"):
            both.write({"partner_id": self.other_customer.id})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            first.with_user(self.agent).write({"sale_order_id": self.other_order.id})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            first.with_user(self.manager).write({"partner_id": self.other_customer.id})
        self.assertEqual((first | second).partner_id, self.customer)
        # the same values (a multi-edit of another column) and free fields still save
        both.write({"partner_id": self.customer.id, "tracking_ref": "1Z42"})
        self.assertEqual(first.tracking_ref, "1Z42")

    def test_draft_return_may_change_customer(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        rma.with_user(self.agent).partner_id = self.other_customer
        self.assertEqual(rma.partner_id, self.other_customer)

    def test_state_changes_only_through_transitions(self):
        """Not by RPC, not with a forged context, not even as superuser."""
        rma = self._approved()
        for env_rma in (
            rma.with_user(self.agent),
            rma.with_user(self.manager).with_context(rma_state_writer=True),
            rma.sudo(),
        ):
            with self.assertRaisesRegex(UserError, "changes only through its buttons"):
                env_rma.write({"state": "done"})
        self.assertEqual(rma.state, "approved")
        rma.with_user(self.agent).action_cancel()
        self.assertEqual(rma.state, "cancelled")

    def test_flow_fields_are_not_written_by_hand(self):
        rma = self._submitted()
        for vals in (
            {"decision": "approve"},
            {"decision_explanation": "All fine"},
            {"override_reason": "Because"},
            {"refund_blocked": True},
            {"date_approved": "2020-01-01 00:00:00"},
        ):
            with self.assertRaises(AccessError):
                rma.with_user(self.manager).write(vals)
        with self.assertRaises(AccessError):
            rma.line_ids.with_user(self.agent).write({"decision": "approve"})
        self.assertEqual(rma.decision, "review")

    def test_routing_and_fees_fixed_once_approved(self):
        """Naming the rule with the warehouse does not get round the lock."""
        rma = self._approved()
        other = self.lyon if rma.warehouse_id != self.lyon else self.warehouse
        with self.assertRaisesRegex(UserError, "can no longer change"):
            rma.with_user(self.agent).write({"warehouse_id": other.id, "warehouse_rule": "manual"})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            rma.with_user(self.agent).write({"restocking_fee": 50.0})
        self.assertNotEqual(rma.warehouse_id, other)
        self.assertFalse(rma.restocking_fee)

    # --- the lines ---------------------------------------------------------------
    def test_approved_return_keeps_its_lines(self):
        """A line of an approved return cannot be deleted (the goods would come
        back and nothing would be refunded), nor a line added."""
        rma = self._approved({self.product_a: 2.0})
        line = rma.line_ids
        agent_rma = rma.with_user(self.agent)
        with self.assertRaisesRegex(UserError, f"{rma.name} is no longer a draft"):
            line.with_user(self.agent).unlink()
        with self.assertRaisesRegex(UserError, "is no longer a draft"):
            agent_rma.write({"line_ids": [Command.unlink(line.id)]})
        fleece = self.order.order_line.filtered(lambda sl: sl.product_id == self.product_b)
        with self.assertRaisesRegex(UserError, "no product can be added"):
            agent_rma.write(
                {"line_ids": [Command.create({"sale_line_id": fleece.id, "product_uom_qty": 1})]}
            )
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line.with_user(self.agent).product_uom_qty = 1.0
        self.assertEqual(rma.line_ids, line)
        self.assertEqual(line.product_uom_qty, 2.0)
        self.assertEqual(self._receipt(rma).move_ids.product_uom_qty, 2.0)

    def test_submitted_line_what_each_role_may_correct(self):
        rma = self._submitted()
        line = rma.line_ids
        line.with_user(self.agent).write({"reason_id": self.reason.id, "condition": "opened"})
        with self.assertRaisesRegex(UserError, f"{rma.name} is submitted.*Quantity"):
            line.with_user(self.agent).product_uom_qty = 2.0
        with self.assertRaisesRegex(UserError, "Resolution"):
            line.with_user(self.agent).resolution = "replacement"
        # a manager may still change how it is resolved, until it is approved
        line.with_user(self.manager).resolution = "replacement"
        self.assertEqual(line.resolution, "replacement")
        rma.with_user(self.agent).action_approve()
        with self.assertRaisesRegex(UserError, "is approved"):
            line.with_user(self.manager).resolution = "refund"
        with self.assertRaisesRegex(UserError, "Condition"):
            line.with_user(self.agent).condition = "damaged"
        self.assertEqual(line.condition, "opened")

    def test_clerk_chooses_the_disposition_only(self):
        rma = self._approved()
        line = rma.line_ids.with_user(self.clerk)
        line.disposition = "scrap"
        self.assertEqual(rma.line_ids.disposition, "scrap")
        with self.assertRaises(AccessError):
            line.condition = "damaged"
        rma.with_user(self.clerk).action_receive()
        rma.with_user(self.clerk).action_apply_disposition()
        self.assertEqual(rma.state, "done")
        with self.assertRaisesRegex(UserError, "is done"):
            line.disposition = "restock"

    def test_reset_to_draft_reopens_the_lines(self):
        rma = self._submitted()
        rma.with_user(self.agent).action_reject()
        rma.with_user(self.agent).action_draft()
        rma.line_ids.with_user(self.agent).product_uom_qty = 2.0
        self.assertEqual(rma.qty_total, 2.0)

    # --- deleting ------------------------------------------------------------------
    def test_who_deletes_what(self):
        draft = self._create_rma(self.order, {self.product_a: 1.0})
        draft.with_user(self.agent).unlink()
        self.assertFalse(draft.exists())
        cancelled = self._approved()
        cancelled.with_user(self.agent).action_cancel()
        self.assertTrue(cancelled.picking_ids)
        with self.assertRaisesRegex(UserError, "only a returns manager"):
            cancelled.with_user(self.agent).unlink()
        approved = self._approved()
        with self.assertRaisesRegex(UserError, "Only draft or cancelled"):
            approved.with_user(self.manager).unlink()
        cancelled.with_user(self.manager).unlink()
        self.assertFalse(cancelled.exists())
