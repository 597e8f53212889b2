from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .test_rma_policy import RmaPolicyCommon


@tagged("post_install", "-at_install")
class TestRmaPolicyMatching(RmaPolicyCommon):
    """Which policy decides: by sales team (channel) and by customer country,
    and what that changes for the customer (the window they get)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_web = cls.env["crm.team"].create({"name": "Web Shop"})
        cls.team_store = cls.env["crm.team"].create({"name": "Flagship Store"})

    def setUp(self):
        super().setUp()
        # delivered 45 days ago: outside the test policy's 30 days
        self._set_delivered(self.order, fields.Datetime.now() - timedelta(days=45))

    def _return_with(self, team=None, country=None):
        self.order.team_id = team
        rma = self._rma({self.product_a: 1.0})
        if country:
            rma.partner_shipping_id = self._customer("Pickup", country_id=country.id)
        return rma

    def test_policy_of_the_sales_team(self):
        web = self.env["rma.policy"].create(
            {
                "name": "Web Shop: 60 days",
                "sequence": 1,
                "team_ids": [Command.set(self.team_web.ids)],
                "return_days": 60,
            }
        )
        # (sales team of the order, policy that decides, decision)
        rows = [
            (self.team_web, web, "approve"),
            (self.team_store, self.policy, "reject"),
            (self.env["crm.team"], self.policy, "reject"),
        ]
        for team, policy, decision in rows:
            with self.subTest(team=team.name):
                result = self._evaluate(self._return_with(team=team))
                self.assertEqual(result["policy_id"], policy.id)
                self.assertEqual(result["decision"], decision)
                self.assertIn(f"the {policy.return_days}-day window", result["explanation"])
        # the decision of a submitted return follows the team too
        rma = self._return_with(team=self.team_web)
        rma.action_submit()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.line_ids.policy_id, web)

    def test_policy_of_the_customer_country(self):
        fr, de = self.env.ref("base.fr"), self.env.ref("base.de")
        france = self.env["rma.policy"].create(
            {
                "name": "France: 60 days",
                "sequence": 1,
                "country_ids": [Command.set(fr.ids)],
                "return_days": 60,
                "customs_required": False,
            }
        )
        rows = [(fr, france, "approve"), (de, self.policy, "reject")]
        for country, policy, decision in rows:
            with self.subTest(country=country.code):
                result = self._evaluate(self._return_with(country=country))
                self.assertEqual(result["policy_id"], policy.id)
                self.assertEqual(result["decision"], decision)
        # without a pickup address, the customer's own country counts
        self.order.partner_id.country_id = fr
        rma = self._return_with()
        rma.partner_shipping_id = False
        self.assertEqual(self._evaluate(rma)["policy_id"], france.id)

    def test_team_and_country_must_both_hold(self):
        fr = self.env.ref("base.fr")
        both = self.env["rma.policy"].create(
            {
                "name": "French web customers",
                "sequence": 1,
                "team_ids": [Command.set(self.team_web.ids)],
                "country_ids": [Command.set(fr.ids)],
                "return_days": 60,
                "customs_required": False,
            }
        )
        rows = [
            (self.team_web, fr, both),
            (self.team_store, fr, self.policy),
            (self.team_web, self.env.ref("base.de"), self.policy),
        ]
        for team, country, policy in rows:
            with self.subTest(team=team.name, country=country.code):
                result = self._evaluate(self._return_with(team=team, country=country))
                self.assertEqual(result["policy_id"], policy.id)
