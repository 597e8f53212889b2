from odoo.tests import new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaCostAndLots(RmaFlowCommon):
    """What returns cost by month and category, and the lot that concentrates a
    product's defects: on known data, read by the returns manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="rma_cost_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Returns Manager",
        )
        cls.shoes = cls.env["product.category"].create({"name": "Shoes"})
        cls.tools = cls.env["product.category"].create({"name": "Tools"})
        cls.product_a.write({"categ_id": cls.shoes.id, "standard_price": 40.0})
        cls.product_b.write({"categ_id": cls.tools.id, "standard_price": 25.0})

    def test_cost_by_month_and_category_scrapped_against_restocked(self):
        self.policy.write({"shipping_fee": 10.0, "shipping_payer": "customer"})
        order = self._create_order([(self.product_a, 4.0), (self.product_b, 2.0)])
        rma = self._create_rma(order, {self.product_a: 2.0, self.product_b: 1.0})
        rma.line_ids.filtered(lambda ln: ln.product_id == self.product_a).disposition = "restock"
        rma.line_ids.filtered(lambda ln: ln.product_id == self.product_b).disposition = "scrap"
        self._validate(self._receipt(self._approve(rma)))
        self.env.flush_all()

        groups = (
            self.env["rma.report"]
            .with_user(self.manager)
            ._read_group(
                [("rma_id", "=", rma.id)],
                ["date_requested:month", "categ_id"],
                [
                    "amount_refunded:sum",
                    "amount_shipping_fee:sum",
                    "amount_restocked:sum",
                    "amount_scrapped:sum",
                ],
            )
        )
        self.assertEqual(len({month for month, *_rest in groups}), 1)
        by_categ = {categ: [round(v, 2) for v in values] for _m, categ, *values in groups}
        # 2 boots refunded at 100 untaxed, restocked at their cost 2 x 40; 1 jacket at
        # 60, scrapped at its cost 25; the 10 shipping fee shared by value with taxes
        # (230 and 69 of 299)
        self.assertEqual(by_categ[self.shoes][0], 200.0)
        self.assertEqual(by_categ[self.shoes][2:], [80.0, 0.0])
        self.assertEqual(by_categ[self.tools][0], 60.0)
        self.assertEqual(by_categ[self.tools][2:], [0.0, 25.0])
        self.assertAlmostEqual(by_categ[self.shoes][1] + by_categ[self.tools][1], 10.0, places=2)
        self.assertAlmostEqual(by_categ[self.tools][1], 10.0 * 69 / 299, places=2)

    def test_defects_cluster_on_a_lot(self):
        self.company.write(
            {"rma_rate_days": 365, "rma_high_rate_threshold": 20.0, "rma_high_rate_min_qty": 2.0}
        )
        drill = self._create_product("Lot Drill", 200.0)
        drill.write({"tracking": "lot", "categ_id": self.tools.id})
        lot_2031, lot_1999 = self.env["stock.lot"].create(
            [{"name": name, "product_id": drill.id} for name in ("L-2031", "L-1999")]
        )
        defective = self.env.ref("rma_returns.rma_reason_defective")
        quants = self.env["stock.quant"]
        quants._update_available_quantity(drill, self.warehouse.lot_stock_id, 3.0, lot_id=lot_2031)
        first = self._create_order([(drill, 3.0)])
        quants._update_available_quantity(drill, self.warehouse.lot_stock_id, 2.0, lot_id=lot_1999)
        second = self._create_order([(drill, 2.0)])
        for order, qty in ((first, 3.0), (second, 1.0)):
            rma = self._create_rma(order, {drill: qty})
            rma.line_ids.reason_id = defective
            self._approve(rma)
            self._validate(self._receipt(rma))
        self.env["rma.return.rate"]._cron_refresh_rates()

        template = drill.product_tmpl_id.with_user(self.manager)
        self.assertTrue(template.rma_high_return_rate)  # 4 of 5
        self.assertIn(
            "Defects cluster on lot L-2031: 3.0 of the 4.0 defective units received came "
            "from it (75%). Check this batch with the supplier.",
            template.rma_return_insight,
        )
        self.assertNotIn("L-1999", template.rma_return_insight)

        # one defective unit per lot is no cluster: the general advice stays
        mix = {
            "reason": defective,
            "qty": 2.0,
            "total": 2.0,
            "share": 1.0,
            "other_share": 0.0,
            "ratio": None,
            "category": self.tools,
        }
        text = template._rma_insight_text(mix)
        self.assertIn("check the batch with the supplier", text)
        self.assertNotIn("cluster on lot", text)
