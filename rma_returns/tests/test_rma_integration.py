from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaIntegration(RmaFlowCommon):
    """Policy, automation and configuration problems meeting at submission."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # cross-border returns (France → Belgium) need customs data to auto-approve
        (cls.product_a | cls.product_b).product_tmpl_id.write(
            {"rma_hs_code": "640411", "rma_origin_country_id": cls.env.ref("base.vn").id}
        )

    def test_failed_auto_approval_goes_to_review_not_to_an_error(self):
        (self.warehouse | self.lyon).rma_accept_returns = False
        self.company.rma_default_warehouse_id = False
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0}).with_user(self.agent)
        pickings_before = self.env["stock.picking"].search_count([])
        rma.action_submit()
        self.assertEqual(rma.state, "submitted", "the customer's request is kept")
        self.assertEqual(rma.decision, "review")
        self.assertIn("Automatic approval failed", rma.decision_explanation)
        self.assertIn("accepts returns", rma.decision_explanation)
        self.assertFalse(rma.date_approved)
        self.assertFalse(rma.picking_ids)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings_before)
        self.assertTrue(rma.activity_ids, "an agent is asked to review it")

        # once the shop fixes its setup, the agent approves
        self.lyon.rma_accept_returns = True
        rma.action_approve()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.warehouse_id, self.lyon)
        self.assertEqual(len(self._receipt(rma)), 1)

    def test_batch_submission_keeps_good_returns_approved(self):
        first_order = self._create_order([(self.product_a, 1.0)])
        neighbour = self.customer.copy({"name": "Grenoble neighbour"})
        second_order = self._create_order([(self.product_b, 1.0)], partner=neighbour)
        good = self._create_rma(first_order, {self.product_a: 1.0})
        bad = self._create_rma(second_order, {self.product_b: 1.0})
        # the second return is sent to a warehouse whose return location was
        # archived: its approval fails, the first one's does not
        gent = self.env["stock.warehouse"].create(
            {"name": "Gent", "code": "GNT", "rma_accept_returns": True}
        )
        gent.rma_return_location_id.active = False
        bad.warehouse_id = gent
        (good | bad).with_user(self.agent).action_submit()
        self.assertEqual(good.state, "approved")
        self.assertEqual(len(self._receipt(good)), 1)
        self.assertEqual(bad.state, "submitted")
        self.assertEqual(bad.decision, "review")
        self.assertIn("its return location GNT/Returns is archived", bad.decision_explanation)
        self.assertFalse(bad.picking_ids)

    def test_warehouse_cannot_change_after_approval(self):
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self.assertEqual(rma.warehouse_id, self.lyon)
        with self.assertRaisesRegex(UserError, "cannot change any more"):
            rma.warehouse_id = self.warehouse
        self.assertEqual(rma.warehouse_id, self.lyon)
        self.assertEqual(self._receipt(rma).picking_type_id, self.lyon.rma_return_type_id)
