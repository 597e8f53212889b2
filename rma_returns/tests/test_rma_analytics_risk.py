from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRmaReturnRisk(TransactionCase):
    """Predicted return risk on sale lines: the product's rate smoothed toward
    its category's, scaled by the customer's smoothed rate over the shop's; on
    stored rates set by hand, read by a salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"rma_risk_prior_weight": 10.0, "rma_high_rate_threshold": 20.0})
        # only this test's rates count (the daily refresh wrote others)
        blank = {"rma_return_qty": 0.0, "rma_delivered_qty": 0.0, "rma_return_rate": 0.0}
        templates = cls.env["product.template"].with_context(active_test=False)
        templates.search([("rma_delivered_qty", "!=", 0.0)]).write(blank)
        partners = cls.env["res.partner"].with_context(active_test=False)
        partners.search([("rma_delivered_qty", "!=", 0.0)]).write(blank)
        shoes = cls.env["product.category"].create({"name": "Risk Shoes"})
        jackets = cls.env["product.category"].create({"name": "Risk Jackets"})
        Product = cls.env["product.product"]
        cls.boots, cls.sandals, cls.slippers, cls.jacket = Product.create(
            [
                {"name": "Risk Boots", "categ_id": shoes.id, "list_price": 100.0},
                {"name": "Risk Sandals", "categ_id": shoes.id, "list_price": 50.0},
                {"name": "Risk Slippers", "categ_id": shoes.id, "list_price": 20.0},
                {"name": "Risk Jacket", "categ_id": jackets.id, "list_price": 60.0},
            ]
        )
        # shoes: 3 of 10 boots and 1 of 30 sandals came back, 4 of 40 (10%);
        # jackets: 2 of 60; the shop: 6 of 100 (6%). Slippers were never sold.
        for product, returned, shipped in (
            (cls.boots, 3.0, 10.0),
            (cls.sandals, 1.0, 30.0),
            (cls.jacket, 2.0, 60.0),
        ):
            product.product_tmpl_id.write(
                {"rma_return_qty": returned, "rma_delivered_qty": shipped}
            )
        cls.ruth, cls.newcomer = cls.env["res.partner"].create(
            [{"name": "Ruth Returns"}, {"name": "Nora Newcomer"}]
        )
        cls.ruth.write({"rma_return_qty": 2.0, "rma_delivered_qty": 8.0})
        cls.seller = new_test_user(
            cls.env,
            login="rma_risk_seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            name="Risk Seller",
        )

    def _lines(self, partner):
        form = Form(self.env["sale.order"].with_user(self.seller))
        form.partner_id = partner
        for product in (self.boots, self.sandals, self.slippers, self.jacket):
            with form.order_line.new() as line:
                line.product_id = product
        order = form.save()
        return {line.product_id: line for line in order.order_line}

    def test_smoothed_risk_per_product_and_customer(self):
        lines = self._lines(self.newcomer)
        # boots: (3 + 10 x 10%) / (10 + 10) = 20%; sandals: (1 + 1) / (30 + 10) = 5%;
        # slippers, never sold: their category's 10%; jacket: (2 + 10 x 2/60) / 70 = 3.33%
        # the newcomer has no history: the shop's rate, factor 1
        risks = {product: round(line.rma_return_risk, 2) for product, line in lines.items()}
        self.assertEqual(
            risks, {self.boots: 20.0, self.sandals: 5.0, self.slippers: 10.0, self.jacket: 3.33}
        )
        boots = lines[self.boots]
        self.assertEqual(
            (boots.rma_return_risk_level, boots.rma_return_risk_badge), ("high", "20% risk")
        )
        self.assertEqual(lines[self.slippers].rma_return_risk_level, "medium")
        self.assertEqual(lines[self.sandals].rma_return_risk_level, "low")
        self.assertIn("(3.0 + 10.0 × 10.0%) / (10.0 + 10.0) = 20.0%", boots.rma_return_risk_note)

        # Ruth: (2 + 10 x 6%) / (8 + 10) = 14.44%, 2.41x the shop's 6%
        lines = self._lines(self.ruth)
        boots = lines[self.boots]
        self.assertAlmostEqual(boots.rma_return_risk, 100 * 0.2 * (2.6 / 18) / 0.06, places=6)
        self.assertEqual(round(boots.rma_return_risk, 1), 48.1)
        self.assertIn("= 14.4%, 2.41× the shop's rate", boots.rma_return_risk_note)
        self.assertIn("Risk: 20.0% × 2.41 = 48.1%.", boots.rma_return_risk_note)
        self.assertEqual(round(lines[self.sandals].rma_return_risk, 2), 12.04)  # 5% x 2.407

        # more weight: the boots lean further toward the category's 10%
        self.env.company.rma_risk_prior_weight = 30.0
        lines = self._lines(self.newcomer)
        self.assertEqual(round(lines[self.boots].rma_return_risk, 2), 15.0)  # (3 + 3) / 40
