from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaAnalytics(RmaFlowCommon):
    """Returns analysis and return rates on known data, read by the returns
    team with its own rights.

    Products carry the company's default sale tax: values with taxes are
    written as the sale lines compute them (``price_reduce_taxinc``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="rma_analytics_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Returns Manager",
        )
        cls.owner = new_test_user(
            cls.env, login="rma_product_owner", groups="base.group_user", name="Product Owner"
        )
        cls.shoes = cls.env["product.category"].create({"name": "Shoes"})
        cls.jackets = cls.env["product.category"].create({"name": "Jackets"})
        cls.product_a.write({"categ_id": cls.shoes.id, "standard_price": 40.0})
        cls.product_b.write({"categ_id": cls.jackets.id, "standard_price": 25.0})
        cls.product_c = cls._create_product("Sandals", 50.0)
        cls.product_c.categ_id = cls.shoes
        cls.dora = cls.env["res.partner"].create({"name": "Dora Delivered"})
        cls.nadia = cls.env["res.partner"].create({"name": "Nadia Never Delivered"})
        cls.company.write(
            {"rma_rate_days": 365, "rma_high_rate_threshold": 20.0, "rma_high_rate_min_qty": 10.0}
        )
        cls.Rates = cls.env["rma.return.rate"]

    def _report(self, user, domain=None):
        """The report rows ``user`` sees (the view reads what was just written)."""
        self.env.flush_all()
        self.env.invalidate_all()
        return self.env["rma.report"].with_user(user).search(domain or [])

    def _returned(self, order, quantities, days_ago=0):
        """A return of ``quantities`` approved, received and refunded; its
        request dated ``days_ago``."""
        rma = self._approve(self._create_rma(order, quantities))
        self._validate(self._receipt(rma))
        if days_ago:
            rma.sudo().date_submitted -= timedelta(days=days_ago)  # dates are the flow's
        return rma

    # --- the report ---
    def test_report_rows_for_a_multi_line_return_with_two_resolutions(self):
        self.policy.write({"shipping_fee": 10.0, "shipping_payer": "customer"})
        order = self._create_order([(self.product_a, 4.0), (self.product_b, 2.0)])
        rma = self._create_rma(order, {self.product_a: 2.0, self.product_b: 1.0})
        line_b = rma.line_ids.filtered(lambda ln: ln.product_id == self.product_b)
        line_b.resolution = "replacement"
        self._approve(rma)
        self._validate(self._receipt(rma))
        self.assertEqual(rma.shipping_fee, 10.0)
        # requested at noon 3 days before the credit note's date, whatever the time zone
        refunded_on = rma.credit_note_ids.date
        noon = datetime.combine(refunded_on, time(12)) - timedelta(days=3)
        rma.sudo().write(  # milestone dates are the flow's: set as the system
            {
                "date_submitted": noon,
                "date_approved": noon + timedelta(days=1),
                "date_received": noon + timedelta(days=3, hours=6),
            }
        )

        rows = self._report(self.agent, [("rma_id", "=", rma.id)])
        self.assertEqual(len(rows), 2, "one row per returned line")
        boots = rows.filtered(lambda r: r.product_id == self.product_a)
        jacket = rows.filtered(lambda r: r.product_id == self.product_b)
        line_a = rma.line_ids - line_b
        self.assertRecordValues(
            boots,
            [
                {
                    "resolution": "refund",
                    "categ_id": self.shoes.id,
                    "product_tmpl_id": self.product_a.product_tmpl_id.id,
                    "partner_id": self.customer.id,
                    "country_id": self.env.ref("base.fr").id,
                    "reason_id": self.reason.id,
                    "warehouse_id": rma.warehouse_id.id,
                    "company_id": self.company.id,
                    "qty_requested": 2.0,
                    "qty_received": 2.0,
                    "qty_refunded": 2.0,
                    "amount_returned": 200.0,  # 2 x 100 untaxed
                    "amount_refunded": 200.0,  # the credit note line, untaxed
                    "amount_cost": 80.0,  # 2 x 40, the valuation of the return
                    "days_to_approve": 1.0,
                    "days_to_receive": 3.25,
                    "days_to_refund": 3.0,
                    "date_refunded": refunded_on,
                }
            ],
        )
        self.assertRecordValues(
            jacket,
            [
                {
                    "resolution": "replacement",
                    "categ_id": self.jackets.id,
                    "qty_requested": 1.0,
                    "amount_returned": 60.0,
                    "amount_refunded": 0.0,
                    "amount_cost": 25.0,
                    "date_refunded": False,
                }
            ],
        )
        # the return's fee, shared by value with taxes: 10 x 230 / 299 and 10 x 69 / 299
        total = line_a.price_total + line_b.price_total
        self.assertAlmostEqual(boots.amount_fees, 10.0 * line_a.price_total / total, places=2)
        self.assertAlmostEqual(boots.amount_fees + jacket.amount_fees, 10.0, places=2)

        # grouped as the pivot does, by category and month
        groups = (
            self.env["rma.report"]
            .with_user(self.manager)
            ._read_group(
                [("rma_id", "=", rma.id)],
                ["categ_id", "date_requested:month"],
                ["qty_requested:sum", "amount_refunded:sum"],
            )
        )
        self.assertEqual(
            {(categ, qty, refunded) for categ, _month, qty, refunded in groups},
            {(self.shoes, 2.0, 200.0), (self.jackets, 1.0, 0.0)},
        )

    def test_report_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Analytics Company B"})
        lamp = self._create_product("B-only Lamp", 30.0, company=company_b)
        self.env.user.company_ids |= company_b
        order_b = self._create_order([(lamp, 1.0)], company=company_b, invoice=False)
        agent_b = new_test_user(
            self.env,
            login="rma_analytics_agent_b",
            groups="base.group_user,rma_returns.group_rma_user",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        rma_b = self._create_rma(order_b, {lamp: 1.0}, user=agent_b)
        rma_a = self._create_rma(self._create_order([(self.product_a, 1.0)]), {self.product_a: 1})
        seen_by_b = self._report(agent_b).rma_id
        self.assertIn(rma_b, seen_by_b)
        self.assertNotIn(rma_a, seen_by_b)
        seen_by_a = self._report(self.agent).rma_id
        self.assertIn(rma_a, seen_by_a)
        self.assertNotIn(rma_b, seen_by_a)

    # --- rates ---
    def _rated_orders(self):
        """Ruth: 10 boots and 5 jackets, 3 boots returned; and an older return
        outside the period. Dora: 10 boots and 5 sandals, nothing returned."""
        salesman = new_test_user(self.env, login="rma_analytics_sales", name="Sally Sales")
        team = self.env["crm.team"].create({"name": "Web Shop"})
        ruth = self._create_order([(self.product_a, 10.0), (self.product_b, 5.0)])
        ruth.write({"user_id": salesman.id, "team_id": team.id})
        self._returned(ruth, {self.product_a: 3.0})
        old = self._create_order([(self.product_a, 4.0)])
        old.date_order -= timedelta(days=400)
        self._returned(old, {self.product_a: 4.0}, days_ago=400)
        dora = self._create_order(
            [(self.product_a, 10.0), (self.product_c, 5.0)], partner=self.dora
        )
        return ruth, salesman, team, dora

    def test_rates_per_dimension_for_a_period(self):
        ruth, salesman, team, _dora = self._rated_orders()
        since = fields.Datetime.now() - timedelta(days=365)
        boots_value = ruth.order_line[0].price_reduce_taxinc
        jacket_value = ruth.order_line[1].price_reduce_taxinc

        products = self.Rates._rma_rates("product", since)
        # 3 of 20 boots shipped in the period: the returned ones still count as shipped
        self.assertAlmostEqual(products[self.product_a.id]["returned_qty"], 3.0)
        self.assertAlmostEqual(products[self.product_a.id]["delivered_qty"], 20.0)
        self.assertAlmostEqual(products[self.product_a.id]["rate_qty"], 15.0)
        self.assertAlmostEqual(products[self.product_b.id]["rate_qty"], 0.0)
        self.assertAlmostEqual(products[self.product_c.id]["rate_qty"], 0.0, msg="never returned")
        templates = self.Rates._rma_rates("template", since)
        self.assertAlmostEqual(templates[self.product_a.product_tmpl_id.id]["rate_qty"], 15.0)
        categories = self.Rates._rma_rates("category", since)
        self.assertAlmostEqual(categories[self.shoes.id]["rate_qty"], 12.0)  # 3 / (20 + 5)

        customers = self.Rates._rma_rates("customer", since)
        ruth_rate = customers[self.customer.id]
        self.assertAlmostEqual(ruth_rate["rate_qty"], 20.0)  # 3 of 15 units
        shipped = 10 * boots_value + 5 * jacket_value
        self.assertAlmostEqual(ruth_rate["delivered_value"], shipped, places=2)
        self.assertAlmostEqual(ruth_rate["rate_value"], 100 * 3 * boots_value / shipped, places=4)
        self.assertAlmostEqual(customers[self.dora.id]["rate_value"], 0.0)
        self.assertNotIn(self.nadia.id, customers, "no deliveries, no returns: no rate at all")
        # the whole history counts the older return too: 7 of 24 boots
        history = self.Rates._rma_rates("product", None)
        self.assertAlmostEqual(history[self.product_a.id]["rate_qty"], 700 / 24)

        salespeople = self.Rates._rma_rates("salesperson", since)
        self.assertAlmostEqual(salespeople[salesman.id]["rate_qty"], 20.0)
        self.assertAlmostEqual(self.Rates._rma_rates("team", since)[team.id]["rate_qty"], 20.0)

    def test_daily_refresh_stores_rates_on_products_and_customers(self):
        ruth_order = self._rated_orders()[0]
        boots_value = ruth_order.order_line[0].price_reduce_taxinc
        shipped_value = 10 * boots_value + 5 * ruth_order.order_line[1].price_reduce_taxinc
        self.Rates._cron_refresh_rates()
        boots = self.product_a.with_user(self.agent)
        self.assertAlmostEqual(boots.rma_return_rate, 15.0)
        self.assertAlmostEqual(boots.product_tmpl_id.rma_return_rate, 15.0)
        self.assertAlmostEqual(boots.rma_delivered_qty, 20.0)
        self.assertAlmostEqual(self.product_c.with_user(self.agent).rma_return_rate, 0.0)
        ruth = self.customer.with_user(self.agent)
        self.assertAlmostEqual(ruth.rma_return_qty, 3.0)
        self.assertAlmostEqual(ruth.rma_delivered_qty, 15.0)
        # a customer's rate is by value, as the policy checks it
        expected = 100 * 3 * boots_value / shipped_value
        self.assertAlmostEqual(ruth.rma_return_rate, expected, places=2)
        nadia = self.nadia.with_user(self.agent)
        self.assertEqual((nadia.rma_return_rate, nadia.rma_delivered_qty), (0.0, 0.0))
        # the policy reads the same rate (without the return being evaluated)
        rma = self._create_rma(ruth_order, {self.product_b: 1.0})
        rates = rma._rma_return_rates({365})
        self.assertAlmostEqual(rates[rma.id, 365], ruth.rma_return_rate, places=4)

    def test_high_return_rate_flag_threshold_sample_and_activity(self):
        template_a = self.product_a.product_tmpl_id
        template_a.responsible_id = self.owner
        self.product_b.product_tmpl_id.responsible_id = self.owner
        # boots: 3 of 10 (30%) over the 10-unit sample; jackets: 1 of 2 (50%), too few
        self._returned(self._create_order([(self.product_a, 10.0)]), {self.product_a: 3.0})
        self._returned(self._create_order([(self.product_b, 2.0)]), {self.product_b: 1.0})
        self.Rates._cron_refresh_rates()
        flagged = (
            self.env["product.template"]
            .with_user(self.agent)
            .search([("rma_high_return_rate", "=", True)])
        )
        self.assertIn(template_a, flagged)
        self.assertNotIn(self.product_b.product_tmpl_id, flagged, "1 of 2 is no pattern")
        activities = template_a.activity_ids.filtered(lambda a: a.user_id == self.owner)
        self.assertEqual(len(activities), 1)
        self.assertIn("3.0 of 10.0 shipped units came back (30.0%)", str(activities.note))
        self.assertFalse(self.product_b.product_tmpl_id.activity_ids)

        self.Rates._cron_refresh_rates()
        self.assertEqual(len(template_a.activity_ids), 1, "one activity when it becomes flagged")

        self.company.rma_high_rate_threshold = 40.0
        self.Rates._cron_refresh_rates()
        self.assertFalse(template_a.with_user(self.agent).rma_high_return_rate)

        self.company.write({"rma_high_rate_threshold": 20.0, "rma_high_rate_min_qty": 2.0})
        self.Rates._cron_refresh_rates()
        self.assertTrue(self.product_b.product_tmpl_id.with_user(self.agent).rma_high_return_rate)

    # --- why, and what to change ---
    def _return_for(self, order, product, qty, reason_xmlid):
        rma = self._create_rma(order, {product: qty})
        rma.line_ids.reason_id = self.env.ref(f"rma_returns.{reason_xmlid}")
        self._approve(rma)
        self._validate(self._receipt(rma))
        return rma

    def test_reason_mix_against_the_category_and_suggestion(self):
        # boots: 3 of 4 returned units for the size; the other shoes (sandals): 1 of 4
        boots = self._create_order([(self.product_a, 10.0)])
        self._return_for(boots, self.product_a, 3.0, "rma_reason_wrong_size")
        self._return_for(boots, self.product_a, 1.0, "rma_reason_changed_mind")
        sandals = self._create_order([(self.product_c, 10.0)])
        self._return_for(sandals, self.product_c, 1.0, "rma_reason_wrong_size")
        self._return_for(sandals, self.product_c, 3.0, "rma_reason_changed_mind")
        self.product_a.product_tmpl_id.responsible_id = self.owner
        self.Rates._cron_refresh_rates()

        boots_tmpl = self.product_a.product_tmpl_id.with_user(self.agent)
        self.assertTrue(boots_tmpl.rma_high_return_rate)  # 4 of 10
        self.assertEqual(
            boots_tmpl.rma_return_insight,
            'Returned for "Wrong size or fit" 3.0× as often as the other products of Shoes: '
            "3.0 of 4.0 returned units (75%) against 25%.\n"
            "Sizing seems off: add a size note or a size chart on the product page.",
        )
        sandals_insight = self.product_c.product_tmpl_id.with_user(self.agent).rma_return_insight
        self.assertIn('Returned for "Changed my mind" 3.0× as often', sandals_insight)
        self.assertIn("review the description and photos", sandals_insight)
        self.assertFalse(self.product_b.product_tmpl_id.rma_return_insight, "not flagged")
        activity = boots_tmpl.sudo().activity_ids
        self.assertIn("Sizing seems off", str(activity.note), "the to-do says what to change")

    def test_one_suggestion_rule_per_reason_kind(self):
        template = self.product_a.product_tmpl_id
        expected = {
            "rma_reason_wrong_size": "size chart",
            "rma_reason_changed_mind": "review the description and photos",
            "rma_reason_defective": "check the batch with the supplier",
            "rma_reason_wrong_item": "storage location and the labels",
            "rma_reason_damaged_transit": "packaging or the carrier",
        }
        for xmlid, words in expected.items():
            with self.subTest(reason=xmlid):
                mix = {
                    "reason": self.env.ref(f"rma_returns.{xmlid}"),
                    "qty": 2.0,
                    "total": 2.0,
                    "share": 1.0,
                    "other_share": 0.0,
                    "ratio": None,
                    "category": self.shoes,
                }
                text = template._rma_insight_text(mix)
                self.assertIn("2.0 of 2.0 returned units (100%)", text)
                self.assertIn("no other product of Shoes came back", text)
                self.assertIn(words, text)
