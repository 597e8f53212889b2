from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaApproveDecision(RmaCommon):
    """Approve follows the policy's decision: "review" means an agent decides,
    so an agent approves it plainly; against a "reject" only a manager
    approves, giving the reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="rma_decision_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
        )
        cls.order = cls._create_order([(cls.product_a, 2.0)])
        cls.review_policy = cls.env["rma.policy"].create(
            {"name": "Review All", "sequence": 1, "return_days": 30, "auto_approve": False}
        )

    def _submitted(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        return rma

    def test_review_is_an_agent_decision(self):
        rma = self._submitted()
        self.assertEqual((rma.state, rma.decision), ("submitted", "review"))
        self.assertIs(rma.with_user(self.agent).action_rma_approve(), True)
        self.assertEqual(rma.state, "approved")
        self.assertFalse(rma.override_user_id, "no override: the policy asked for a review")

    def test_policy_rejection_is_approved_by_a_manager_with_a_reason(self):
        self.review_policy.non_returnable_product_tmpl_ids = [
            Command.set(self.product_a.product_tmpl_id.ids)
        ]
        rma = self._submitted()
        self.assertEqual((rma.state, rma.decision), ("rejected", "reject"))
        # the agent cannot go against the policy, by any door
        with self.assertRaisesRegex(UserError, "only a returns manager can approve it"):
            rma.with_user(self.agent).action_rma_approve()
        with self.assertRaisesRegex(UserError, "not possible"):
            rma.with_user(self.agent).action_approve()
        with self.assertRaises(AccessError):
            rma.with_user(self.agent)._rma_override("approve", "Because")
        self.assertEqual(rma.state, "rejected")
        # the manager is asked for a reason
        action = rma.with_user(self.manager).action_rma_approve()
        self.assertEqual(action["res_model"], "rma.policy.override.wizard")
        wizard_model = self.env[action["res_model"]].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "reason"):
            wizard_model.with_context(**action["context"]).create({"reason": " "}).action_override()
        self.assertEqual(rma.state, "rejected")
        wizard = Form(wizard_model.with_context(**action["context"]))
        wizard.reason = "Long-standing customer; the sole came off after a week"
        wizard.save().action_override()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.override_user_id, self.manager)
        self.assertIn("sole came off", rma.override_reason)
