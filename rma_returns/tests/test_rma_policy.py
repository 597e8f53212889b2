import base64
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RmaCommon

# 1x1 transparent PNG: a photo of the damage, as the portal would upload it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class RmaPolicyCommon(RmaCommon):
    """A catch-all test policy in front of the default one, products in a
    category tree, and an order of 10 boots and 10 jackets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.default_policy = cls.env.ref("rma_returns.rma_policy_default")
        category = cls.env["product.category"]
        cls.categ_outdoor = category.create({"name": "Outdoor"})
        cls.categ_footwear = category.create(
            {"name": "Footwear", "parent_id": cls.categ_outdoor.id}
        )
        cls.categ_other = category.create({"name": "Other"})
        cls.product_a.categ_id = cls.categ_footwear
        cls.product_b.categ_id = cls.categ_other
        cls.reasons = {
            code: cls.env.ref(f"rma_returns.rma_reason_{code}")
            for code in ("changed_mind", "wrong_size", "defective", "wrong_item", "damaged_transit")
        }
        cls.policy = cls.env["rma.policy"].create(
            {"name": "Test Policy", "sequence": 100, "return_days": 30}
        )
        cls.manager = new_test_user(
            cls.env,
            login="rma_policy_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Returns Manager",
        )
        cls.order = cls._create_order([(cls.product_a, 10.0), (cls.product_b, 10.0)])

    def _evaluate(self, rma):
        return rma._rma_evaluate()[rma.id]

    def _set_delivered(self, order, when):
        """Pretend the order's deliveries were done at ``when`` (UTC)."""
        pickings = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        pickings.write({"date_done": when})
        pickings.move_ids.write({"date": when})

    def _rma(self, quantities, order=None, reason=None, **line_vals):
        rma = self._create_rma(order or self.order, quantities)
        if reason or line_vals:
            rma.line_ids.write(dict(line_vals, reason_id=(reason or self.reason).id))
        return rma

    def _customer(self, name, **vals):
        return self.env["res.partner"].create(dict(vals, name=name))


@tagged("post_install", "-at_install")
class TestRmaPolicyRules(RmaPolicyCommon):
    """Each rule of a policy, row by row, through the pure evaluation."""

    def test_window_edges_from_the_delivery_date(self):
        delivered = datetime(2024, 3, 1, 12, 0)
        rows = [
            (0, "approve", "returned 0 days after delivery, within the 30-day window"),
            (30, "approve", "returned 30 days after delivery, within the 30-day window"),
            (31, "reject", "returned 31 days after delivery, outside the 30-day window"),
        ]
        self._set_delivered(self.order, delivered)
        # the order was placed long before: only the delivery date counts
        self.order.date_order = delivered - timedelta(days=45)
        for days, decision, text in rows:
            with self.subTest(days=days):
                rma = self._rma({self.product_a: 1.0})
                rma.date_submitted = delivered + timedelta(days=days, hours=3)
                result = self._evaluate(rma)
                self.assertEqual(result["decision"], decision)
                self.assertEqual(result["lines"], {rma.line_ids.id: decision})
                self.assertIn(f"Hiking Boots: {text}", result["explanation"])

    def test_window_counts_calendar_days_in_the_company_time_zone(self):
        # (time zone, delivered at UTC, submitted at UTC, decision)
        rows = [
            # Auckland (UTC+13): delivered Mar 2 00:30, asked Apr 1 23:30 → day 30
            (
                "Pacific/Auckland",
                datetime(2024, 3, 1, 11, 30),
                datetime(2024, 4, 1, 10, 30),
                "approve",
            ),
            # the same instants in UTC: Mar 1 → Apr 1 is day 31
            ("UTC", datetime(2024, 3, 1, 11, 30), datetime(2024, 4, 1, 10, 30), "reject"),
            # Los Angeles (UTC-8/-7): delivered Mar 1 22:00, asked Apr 1 01:00 → day 31
            (
                "America/Los_Angeles",
                datetime(2024, 3, 2, 6, 0),
                datetime(2024, 4, 1, 8, 0),
                "reject",
            ),
            ("UTC", datetime(2024, 3, 2, 6, 0), datetime(2024, 4, 1, 8, 0), "approve"),
        ]
        for tz, delivered, submitted, decision in rows:
            with self.subTest(tz=tz, delivered=delivered):
                self.company.partner_id.tz = tz
                self._set_delivered(self.order, delivered)
                rma = self._rma({self.product_a: 1.0})
                rma.date_submitted = submitted
                self.assertEqual(self._evaluate(rma)["decision"], decision)

    def test_product_and_category_precedence(self):
        boots_tmpl = self.product_a.product_tmpl_id
        by_categ = self.env["rma.policy"].create(
            {"name": "Outdoor: 14 days", "categ_ids": [Command.set(self.categ_outdoor.ids)]}
        )
        by_categ.return_days = 14
        by_product = self.env["rma.policy"].create(
            {"name": "Boots: 60 days", "product_tmpl_ids": [Command.set(boots_tmpl.ids)]}
        )
        by_product.return_days = 60
        now = fields.Datetime.now()
        self._set_delivered(self.order, now - timedelta(days=20))
        # (category policy sequence, product policy sequence, policy for boots, decision)
        rows = [
            (10, 10, by_product, "approve"),  # same sequence: the product is more specific
            (5, 10, by_categ, "reject"),  # otherwise the sequence decides
            (10, 20, by_categ, "reject"),
            (200, 300, self.policy, "approve"),  # the catch-all test policy comes first
        ]
        for categ_seq, product_seq, policy, decision in rows:
            with self.subTest(categ_seq=categ_seq, product_seq=product_seq):
                by_categ.sequence, by_product.sequence = categ_seq, product_seq
                rma = self._rma({self.product_a: 1.0, self.product_b: 1.0})
                result = self._evaluate(rma)
                boots = rma.line_ids.filtered(lambda ln: ln.product_id == self.product_a)
                jacket = rma.line_ids - boots
                self.assertEqual(result["line_policies"][boots.id], policy.id)
                self.assertEqual(result["lines"][boots.id], decision)
                # the jacket is not in Outdoor (nor a boot): the catch-all applies
                self.assertEqual(result["line_policies"][jacket.id], self.policy.id)
                self.assertEqual(result["lines"][jacket.id], "approve")

    def test_not_returnable_products_and_categories(self):
        boots_tmpl = self.product_a.product_tmpl_id
        rows = [
            ("non_returnable_product_tmpl_ids", boots_tmpl, "reject"),
            ("non_returnable_categ_ids", self.categ_outdoor, "reject"),  # parent category
            ("non_returnable_categ_ids", self.categ_footwear, "reject"),
            ("non_returnable_categ_ids", self.categ_other, "approve"),
        ]
        for fname, records, decision in rows:
            with self.subTest(field=fname, records=records.display_name):
                self.policy.write(
                    {
                        "non_returnable_product_tmpl_ids": [Command.clear()],
                        "non_returnable_categ_ids": [Command.clear()],
                        fname: [Command.set(records.ids)],
                    }
                )
                rma = self._rma({self.product_a: 1.0})
                result = self._evaluate(rma)
                self.assertEqual(result["decision"], decision)
                if decision == "reject":
                    self.assertIn(
                        "Hiking Boots is not returnable under Test Policy. Rejected.",
                        result["explanation"],
                    )
                    self.assertIn("not returnable", result["reject_reason"])

    def test_partly_rejected_return_goes_on_for_the_rest(self):
        self.policy.non_returnable_categ_ids = self.categ_footwear
        rma = self._rma({self.product_a: 1.0, self.product_b: 2.0})
        result = self._evaluate(rma)
        boots = rma.line_ids.filtered(lambda ln: ln.product_id == self.product_a)
        self.assertEqual(result["decision"], "approve")
        self.assertEqual(
            result["lines"], {boots.id: "reject", (rma.line_ids - boots).id: "approve"}
        )
        self.assertIn("1 of 2 products rejected", result["explanation"])
        self.assertAlmostEqual(result["refund_amount"], (rma.line_ids - boots).price_total)

    def test_quantity_no_longer_returnable_is_rejected(self):
        rma = self._rma({self.product_a: 2.0})
        # 9 of the 10 boots come back through a plain stock return meanwhile
        picking = self.order.picking_ids
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.filtered(
            lambda ln: ln.product_id == self.product_a
        ).quantity = 9.0
        wizard.product_return_moves.filtered(lambda ln: ln.product_id != self.product_a).unlink()
        back = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        back.move_ids.write({"quantity": 9.0, "picked": True})
        back.button_validate()
        result = self._evaluate(rma)
        self.assertEqual(result["decision"], "reject")
        self.assertIn(
            "Hiking Boots: 2 requested, but only 1 can still be returned.", result["reject_reason"]
        )

    def test_resolution_condition_reason_and_amount_rules(self):
        money = self._rma({self.product_a: 1.0})._rma_money
        total = self.product_a.taxes_id.compute_all(100.0)["total_included"]
        # (policy values, line values, decision, explanation)
        rows = [
            ({}, {}, "approve", "Decision: approved automatically."),
            (
                {"allow_exchange": False},
                {"resolution": "exchange"},
                "review",
                "exchange is not offered",
            ),
            (
                {"allow_damaged": False},
                {"condition": "damaged"},
                "review",
                "damaged goods are not accepted",
            ),
            (
                {"auto_approve_reason_ids": [Command.set(self.reasons["changed_mind"].ids)]},
                {},
                "review",
                "“Wrong size or fit” is not approved automatically under Test Policy",
            ),
            ({"auto_approve": False}, {}, "review", "Auto-approval is off in Test Policy"),
            (
                {"auto_approve_max_amount": 100.0},
                {},
                "review",
                f"Refund {money(total)} exceeds the {money(100.0)} auto-approval limit: "
                "needs review.",
            ),
            (
                {"auto_approve_max_amount": 200.0},
                {},
                "approve",
                f"Refund {money(total)} is within the {money(200.0)} auto-approval limit.",
            ),
            ({}, {"reason_id": False}, "review", "no return reason given"),
        ]
        for policy_vals, line_vals, decision, text in rows:
            with (
                self.subTest(policy=policy_vals, line=line_vals),
                self.env.cr.savepoint() as savepoint,
            ):
                self.policy.write(policy_vals)
                rma = self._rma({self.product_a: 1.0})
                rma.line_ids.write(line_vals)
                result = self._evaluate(rma)
                self.assertEqual(result["decision"], decision)
                self.assertIn(text, result["explanation"])
                savepoint.rollback()
                self.env.invalidate_all()

    def test_fees_and_their_waivers(self):
        self.policy.write(
            {
                "restocking_fee_percent": 10.0,
                "restocking_fee_fixed": 5.0,
                "shipping_fee": 7.5,
                "shipping_payer": "customer",
            }
        )
        insurance = self.env["product.product"].create(
            {"name": "Free Returns", "type": "service", "list_price": 3.0}
        )
        insurance.rma_return_insurance = True
        insured = self._create_order([(self.product_a, 2.0), (insurance, 1.0)])
        # (reason, insured order, shipping payer, resolution, restocking?, shipping?, text)
        rows = [
            ("wrong_size", False, "customer", "refund", True, True, "paid by the customer"),
            ("wrong_item", False, "customer", "refund", False, False, "merchant fault"),
            ("damaged_transit", False, "customer", "refund", False, False, "carrier fault"),
            ("wrong_size", True, "customer", "refund", True, False, "return-shipping insurance"),
            ("wrong_size", False, "merchant", "refund", True, False, "paid by the shop"),
            ("wrong_size", False, "customer", "replacement", False, False, "capped at the refund"),
        ]
        for code, is_insured, payer, resolution, restocking, shipping, text in rows:
            with self.subTest(reason=code, insured=is_insured, payer=payer, resolution=resolution):
                self.policy.shipping_payer = payer
                rma = self._rma(
                    {self.product_a: 1.0},
                    order=insured if is_insured else self.order,
                    reason=self.reasons[code],
                    resolution=resolution,
                )
                result = self._evaluate(rma)
                fee = rma.currency_id.round(rma.amount_total * 0.10 + 5.0)
                self.assertAlmostEqual(result["restocking_fee"], fee if restocking else 0.0)
                self.assertAlmostEqual(result["shipping_fee"], 7.5 if shipping else 0.0)
                self.assertAlmostEqual(
                    result["fees"], result["restocking_fee"] + result["shipping_fee"]
                )
                self.assertIn(text, result["explanation"])

    def test_fees_never_exceed_the_refund(self):
        self.policy.write(
            {"restocking_fee_percent": 90.0, "restocking_fee_fixed": 50.0, "shipping_fee": 20.0}
        )
        rma = self._rma({self.product_a: 1.0})
        result = self._evaluate(rma)
        self.assertAlmostEqual(result["refund_amount"], rma.amount_total)
        self.assertAlmostEqual(result["restocking_fee"], rma.amount_total)
        self.assertAlmostEqual(result["shipping_fee"], 0.0)
        self.assertIn(
            f"Fees capped at the refund of {rma._rma_money(rma.amount_total)}.",
            result["explanation"],
        )

    def test_customer_return_rate_threshold(self):
        self.policy.write({"max_return_rate": 30.0, "return_rate_days": 90})
        # (earlier return of n boots out of 10, its state, submitted days ago, decision, rate)
        rows = [
            (2, "submitted", 0, "approve", 20.0),
            (4, "submitted", 0, "review", 40.0),
            (4, "rejected", 0, "approve", 0.0),  # refused returns do not count
            (4, "submitted", 100, "approve", 0.0),  # outside the 90-day period
        ]
        for index, (qty, state, days_ago, decision, rate) in enumerate(rows):
            with self.subTest(qty=qty, state=state, days_ago=days_ago):
                customer = self._customer(f"Frequent Returner {index}")
                order = self._create_order([(self.product_a, 10.0)], partner=customer)
                earlier = self._rma({self.product_a: qty}, order=order)
                self.policy.auto_approve = False
                earlier.action_submit()
                if state == "rejected":
                    earlier.action_reject()
                earlier.date_submitted -= timedelta(days=days_ago)
                self.policy.auto_approve = True
                rma = self._rma({self.product_a: 1.0}, order=order)
                result = self._evaluate(rma)
                self.assertEqual(result["decision"], decision)
                self.assertAlmostEqual(result["return_rate"], rate)
                word = "above" if decision == "review" else "within"
                self.assertIn(
                    f"The customer returned {rate}% of the value delivered to them in the last "
                    f"90 days, {word} the 30.0% limit",
                    result["explanation"],
                )

    def test_fast_refund_gate(self):
        self.policy.write(
            {
                "refund_timing": "approval",
                "fast_refund_max_rate": 20.0,
                "fast_refund_max_amount": 200.0,
            }
        )
        # (earlier returned boots out of 10, boots returned now, refund timing)
        rows = [
            (0, 1.0, "approval"),  # €115 refund, no history: fast refund
            (0, 2.0, "receipt"),  # €230 is above the €200 fast-refund amount
            (3, 1.0, "receipt"),  # 30% return rate is not under 20%
        ]
        for index, (earlier_qty, qty, timing) in enumerate(rows):
            with self.subTest(earlier=earlier_qty, qty=qty):
                customer = self._customer(f"Fast Refund Customer {index}")
                order = self._create_order([(self.product_a, 10.0)], partner=customer)
                if earlier_qty:
                    self._rma({self.product_a: earlier_qty}, order=order).action_submit()
                rma = self._rma({self.product_a: qty}, order=order)
                result = self._evaluate(rma)
                self.assertEqual(result["refund_timing"], timing)
                expected = "Fast refund" if timing == "approval" else "No fast refund"
                self.assertIn(expected, result["explanation"])

    def test_strictest_refund_timing_wins(self):
        self.policy.refund_timing = "approval"
        self.env["rma.policy"].create(
            {
                "name": "Jackets: inspect first",
                "sequence": 5,
                "categ_ids": [Command.set(self.categ_other.ids)],
                "refund_timing": "inspection",
                "auto_post_refund": False,
            }
        )
        rma = self._rma({self.product_a: 1.0, self.product_b: 1.0})
        result = self._evaluate(rma)
        self.assertEqual(result["refund_timing"], "inspection")
        self.assertFalse(result["auto_post_refund"])
        self.assertEqual(
            self._evaluate(self._rma({self.product_a: 1.0}))["refund_timing"], "approval"
        )

    def test_cross_border_and_customs_data(self):
        be, fr = self.env.ref("base.be"), self.env.ref("base.fr")
        self.warehouse.partner_id = self._customer("Brussels Warehouse", country_id=be.id)
        # (pickup country, customs data on the product, cross-border?, decision)
        rows = [
            (fr, False, True, "review"),
            (fr, True, True, "approve"),
            (be, False, False, "approve"),
            (None, False, False, "approve"),
        ]
        for country, customs, cross_border, decision in rows:
            with self.subTest(country=country and country.code, customs=customs):
                self.product_a.write(
                    {
                        "rma_hs_code": "6403.91" if customs else False,
                        "rma_origin_country_id": fr.id if customs else False,
                    }
                )
                rma = self._rma({self.product_a: 1.0})
                rma.partner_shipping_id = self._customer(
                    "Pickup", country_id=country.id if country else False
                )
                result = self._evaluate(rma)
                self.assertEqual(result["is_cross_border"], cross_border)
                self.assertEqual(result["decision"], decision)
                if cross_border:
                    self.assertIn(
                        "Picked up in France, returned to a warehouse in Belgium",
                        result["explanation"],
                    )
                if decision == "review":
                    self.assertIn(
                        "Customs data (HS code, country of origin) missing for Hiking Boots",
                        result["explanation"],
                    )

    def test_policy_for_cross_border_returns_only(self):
        self.warehouse.partner_id = self._customer(
            "Brussels Warehouse", country_id=self.env.ref("base.be").id
        )
        abroad = self.env["rma.policy"].create(
            {
                "name": "Abroad: 60 days",
                "sequence": 5,
                "cross_border": "cross_border",
                "return_days": 60,
                "customs_required": False,
            }
        )
        domestic = self.env["rma.policy"].create(
            {
                "name": "Belgium",
                "sequence": 6,
                "country_ids": [Command.set(self.env.ref("base.be").ids)],
            }
        )
        for code, policy in (("fr", abroad), ("be", domestic), ("us", abroad)):
            with self.subTest(country=code):
                rma = self._rma({self.product_a: 1.0})
                rma.partner_shipping_id = self._customer(
                    "Pickup", country_id=self.env.ref(f"base.{code}").id
                )
                self.assertEqual(self._evaluate(rma)["policy_id"], policy.id)

    def test_photo_required_and_attached(self):
        rma = self._rma({self.product_a: 1.0}, reason=self.reasons["defective"])
        self.assertTrue(rma.line_ids.photo_required)
        self.assertEqual(
            rma._rma_photo_status()[rma.id],
            {"required": True, "attached": False, "products": ["Hiking Boots"]},
        )
        result = self._evaluate(rma)
        self.assertEqual(result["decision"], "review")
        self.assertIn(
            "“Defective or does not work” needs a photo and none is attached", result["explanation"]
        )
        # a text file is not a photo
        attachment = self.env["ir.attachment"]
        attachment.create(
            {"name": "note.txt", "raw": b"broken", "res_model": "rma.order", "res_id": rma.id}
        )
        self.assertEqual(self._evaluate(rma)["decision"], "review")
        attachment.create(
            {"name": "broken.png", "raw": PNG, "res_model": "rma.order", "res_id": rma.id}
        )
        rma.invalidate_recordset(["has_photo"])
        self.assertTrue(rma.has_photo)
        result = self._evaluate(rma)
        self.assertEqual(result["decision"], "approve")
        self.assertIn("needs a photo: attached", result["explanation"])
        # the policy can ask for photos on other reasons too
        other = self._rma({self.product_a: 1.0})
        self.assertFalse(other.photo_required)
        self.policy.photo_reason_ids = self.reason
        other.line_ids.invalidate_recordset(["photo_required"])
        other.invalidate_recordset(["photo_required"])
        self.assertTrue(other.photo_required)
        self.assertEqual(self._evaluate(other)["decision"], "review")

    def test_default_policy_is_installed_and_applies(self):
        self.policy.active = False
        rma = self._rma({self.product_a: 1.0})
        result = self._evaluate(rma)
        self.assertEqual(result["policy_id"], self.default_policy.id)
        self.assertEqual(result["decision"], "approve")
        self.assertTrue(result["explanation"].startswith("Policy: Standard Return Policy."))
        self.assertFalse(self.default_policy.company_id, "shared by every company")


@tagged("post_install", "-at_install")
class TestRmaPolicySubmit(RmaPolicyCommon):
    """Submitting applies the decision; agents re-evaluate, managers override."""

    def test_submit_applies_the_decision(self):
        now = fields.Datetime.now()
        # (reason, delivered days ago, state, decision)
        rows = [
            ("wrong_size", 2, "approved", "approve"),
            ("defective", 2, "submitted", "review"),
            ("wrong_size", 40, "rejected", "reject"),
        ]
        review_type = self.env.ref("rma_returns.mail_activity_type_rma_review")
        for code, days, state, decision in rows:
            with self.subTest(reason=code, days=days):
                order = self._create_order([(self.product_a, 1.0)])
                self._set_delivered(order, now - timedelta(days=days))
                rma = self._rma({self.product_a: 1.0}, order=order, reason=self.reasons[code])
                rma.with_user(self.agent).action_submit()
                self.assertEqual(rma.state, state)
                self.assertEqual(rma.decision, decision)
                self.assertEqual(rma.line_ids.decision, decision)
                self.assertEqual(rma.policy_id, self.policy)
                self.assertEqual(rma.line_ids.policy_id, self.policy)
                self.assertIn(f"returned {days} days after delivery", rma.decision_explanation)
                posted = rma.message_ids.filtered(
                    lambda m: "Return policy decision" in (m.body or "")
                )
                self.assertEqual(len(posted), 1, "the explanation is posted in the chatter")
                self.assertIn(f"returned {days} days after delivery", posted.body)
                activities = rma.activity_ids.filtered(lambda a: a.activity_type_id == review_type)
                self.assertEqual(len(activities), 1 if decision == "review" else 0)
                if decision == "review":
                    self.assertEqual(activities.user_id, self.agent, "the responsible reviews")
                    rma.with_user(self.agent).action_approve()
                    self.assertFalse(rma.activity_ids, "approving closes the review")
                if decision == "reject":
                    self.assertIn("outside the 30-day window", rma.reject_reason)

    def test_submit_writes_fees_timing_and_cross_border(self):
        self.warehouse.partner_id = self._customer(
            "Brussels Warehouse", country_id=self.env.ref("base.be").id
        )
        self.product_a.write(
            {"rma_hs_code": "6403.91", "rma_origin_country_id": self.env.ref("base.fr").id}
        )
        self.policy.write(
            {
                "restocking_fee_percent": 10.0,
                "shipping_fee": 6.0,
                "refund_timing": "approval",
                "auto_post_refund": False,
            }
        )
        rma = self._rma({self.product_a: 2.0})
        rma.partner_shipping_id = self._customer(
            "Pickup in Lille", country_id=self.env.ref("base.fr").id
        )
        rma.action_submit()
        self.assertEqual(rma.state, "approved")
        self.assertAlmostEqual(rma.restocking_fee, rma.currency_id.round(rma.amount_total * 0.10))
        self.assertAlmostEqual(rma.shipping_fee, 6.0)
        self.assertEqual(rma.refund_timing, "approval")
        self.assertFalse(rma.auto_post_refund)
        self.assertTrue(rma.is_cross_border)

    def test_submit_a_batch_with_three_outcomes(self):
        self.policy.non_returnable_categ_ids = self.categ_other
        approve = self._rma({self.product_a: 1.0})
        review = self._rma({self.product_a: 1.0}, reason=self.reasons["defective"])
        reject = self._rma({self.product_b: 1.0})
        (approve | review | reject).with_user(self.agent).action_submit()
        self.assertEqual(
            (approve | review | reject).mapped("state"), ["approved", "submitted", "rejected"]
        )

    def test_reevaluate_after_a_photo_is_added(self):
        rma = self._rma({self.product_a: 1.0}, reason=self.reasons["defective"])
        rma.with_user(self.agent).action_rma_reevaluate()
        self.assertEqual(rma.state, "draft", "a draft only gets a preview")
        self.assertEqual(rma.decision, "review")
        rma.with_user(self.agent).action_submit()
        self.assertEqual(rma.state, "submitted")
        self.assertEqual(len(rma.activity_ids), 1)
        self.env["ir.attachment"].create(
            {"name": "crack.png", "raw": PNG, "res_model": "rma.order", "res_id": rma.id}
        )
        rma.with_user(self.agent).action_rma_reevaluate()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.decision, "approve")
        self.assertFalse(rma.activity_ids)
        with self.assertRaisesRegex(UserError, "Only draft or submitted"):
            rma.action_rma_reevaluate()

    def test_manager_overrides_with_a_reason(self):
        order = self._create_order([(self.product_a, 2.0)])
        self._set_delivered(order, fields.Datetime.now() - timedelta(days=45))
        rejected = self._rma({self.product_a: 1.0}, order=order)
        rejected.action_submit()
        self.assertEqual(rejected.state, "rejected")
        self._flush_tracking()
        with self.assertRaises(AccessError):
            rejected.with_user(self.agent).action_open_override_wizard()
        with self.assertRaises(AccessError):
            rejected.with_user(self.agent)._rma_override("approve", "Please")
        action = rejected.with_user(self.manager).action_open_override_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        wizard.decision = "approve"
        wizard.reason = "Loyal customer, hospital stay"
        wizard.save().action_override()
        self.assertEqual(rejected.state, "approved")
        self.assertEqual(rejected.decision, "approve")
        self.assertEqual(rejected.line_ids.decision, "approve")
        self.assertEqual(rejected.override_user_id, self.manager)
        self.assertIn(
            "Overridden by Returns Manager: approve. Loyal customer", rejected.decision_explanation
        )
        self._flush_tracking()
        tracked = rejected.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "override_reason"
        )
        self.assertEqual(tracked.new_value_text, "Loyal customer, hospital stay")

        review = self._rma({self.product_a: 1.0}, order=order, reason=self.reasons["defective"])
        review.action_submit()
        review.with_user(self.manager)._rma_override("reject", "Photo shows misuse")
        self.assertEqual(review.state, "rejected")
        self.assertEqual(review.reject_reason, "Photo shows misuse")
        self.assertEqual(review.line_ids.decision, "reject")
        self.assertFalse(review.activity_ids)
        with self.assertRaisesRegex(UserError, "Only submitted or rejected"):
            rejected.with_user(self.manager)._rma_override("reject", "Too late")
        with self.assertRaisesRegex(UserError, "reason"):
            review.with_user(self.manager)._rma_override("approve", "  ")


@tagged("post_install", "-at_install")
class TestRmaPolicyConfiguration(RmaPolicyCommon):
    """Who configures policies, their constraints, and companies."""

    def test_constraints(self):
        rows = [
            ({"restocking_fee_percent": -1.0}, "cannot be negative"),
            ({"max_return_rate": 120.0}, "cannot exceed 100"),
            ({"return_days": -3}, "cannot be negative"),
            (
                {"allow_refund": False, "allow_replacement": False, "allow_exchange": False},
                "at least one resolution",
            ),
        ]
        for vals, message in rows:
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                self.policy.write(vals)

    def test_agents_read_managers_configure(self):
        self.assertEqual(self.policy.with_user(self.agent).name, "Test Policy")
        with self.assertRaises(AccessError):
            self.policy.with_user(self.agent).write({"return_days": 90})
        with self.assertRaises(AccessError):
            self.env["rma.policy"].with_user(self.agent).create({"name": "Mine"})
        self.env["rma.policy"].with_user(self.manager).create({"name": "Managers may"})

    def test_form_buttons_per_group(self):
        def form_arch(user):
            return (
                self.env["rma.order"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )

        self.assertIn("action_rma_reevaluate", form_arch(self.agent))
        self.assertNotIn("action_rma_approve", form_arch(self.agent))
        self.assertIn("action_rma_approve", form_arch(self.manager))
        self.assertIn('name="decision_explanation"', form_arch(self.agent))

    def test_portal_customer_previews_only_own_returns(self):
        portal = new_test_user(self.env, login="rma_policy_portal", groups="base.group_portal")
        order = self._create_order([(self.product_a, 1.0)], partner=portal.partner_id)
        own = self._rma({self.product_a: 1.0}, order=order, reason=self.reasons["defective"])
        foreign = self._rma({self.product_a: 1.0})
        # an agent's draft is the shop's (the portal's own preview runs as the
        # system on a draft it rolls back)
        with self.assertRaises(AccessError):
            own.with_user(portal)._rma_evaluate()
        self.env["ir.attachment"].create(
            {"name": "photo.png", "raw": b"photo", "res_model": "rma.order", "res_id": own.id}
        )
        own.with_user(self.agent).action_submit()
        preview = own.with_user(portal)._rma_evaluate()[own.id]
        self.assertEqual(preview["decision"], own.decision)
        self.assertIn("needs a photo: attached", preview["explanation"])
        with self.assertRaises(AccessError):
            foreign.with_user(portal)._rma_evaluate()

    def test_company_policies_stay_in_their_company(self):
        company_b = self.env["res.company"].create({"name": "Policy Company B"})
        policy_b = self.env["rma.policy"].create(
            {"name": "B only", "sequence": 1, "company_id": company_b.id, "return_days": 1}
        )
        self.assertNotIn(policy_b, self.env["rma.policy"].with_user(self.agent).search([]))
        rma = self._rma({self.product_a: 1.0})
        self.assertEqual(self._evaluate(rma)["policy_id"], self.policy.id)


@tagged("post_install", "-at_install")
class TestRmaPolicyBatch(RmaPolicyCommon):
    """Evaluation is batch-first: more returns, not more queries."""

    def _count_queries(self, rmas):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        rmas._rma_evaluate()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_batch(self):
        self.policy.write({"max_return_rate": 50.0, "restocking_fee_percent": 5.0})
        customers = [self._customer(f"Batch Customer {i}") for i in range(6)]
        orders = [self._create_order([(self.product_a, 2.0)], partner=c) for c in customers]
        rmas = self.env["rma.order"]
        for order in orders:
            rmas |= self._rma({self.product_a: 1.0}, order=order)
        self._count_queries(rmas[:1])  # warm the registry caches
        one = self._count_queries(rmas[:1])
        six = self._count_queries(rmas)
        self.assertLessEqual(six, one + 3, f"1 return: {one} queries, 6 returns: {six}")
