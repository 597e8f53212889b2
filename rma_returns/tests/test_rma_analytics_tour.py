from odoo.tests import HttpCase, new_test_user, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaOverviewTour(RmaCommon, HttpCase):
    """A returns manager opens the Returns app on the overview and clicks a
    figure to list the returns behind it, in a browser."""

    def test_manager_opens_the_overview(self):
        self.env.ref("rma_returns.rma_policy_default").auto_approve = False
        new_test_user(
            self.env,
            login="rma_tour_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Mona Manager",
        )
        customer = self.env["res.partner"].create({"name": "Tour Overview Customer"})
        order = self._create_order([(self.product_a, 1.0)], partner=customer)
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.action_submit()
        self.assertEqual(rma.state, "submitted")
        self.start_tour("/odoo", "rma_manager_overview_tour", login="rma_tour_manager")
