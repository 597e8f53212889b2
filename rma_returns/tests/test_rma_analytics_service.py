from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestRmaServiceLevels(RmaFlowCommon):
    """Service levels (medians and 90th percentiles of days per step), the
    overdue filter, and days of steps not reached left empty: on known dates,
    read by the returns team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="rma_sla_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Returns Manager",
        )
        cls.company.write(
            {
                "rma_overdue_days_submitted": 2,
                "rma_overdue_days_approved": 14,
                "rma_overdue_days_received": 3,
            }
        )

    def _dated(self, rma, base, approve=None, receive=None, warehouse=None):
        """Date ``rma``'s milestones ``approve``/``receive`` days after ``base``
        (milestone dates are the flow's: written as the system)."""
        vals = {
            "date_submitted": base,
            "date_approved": base + timedelta(days=approve) if approve is not None else False,
            "date_received": base + timedelta(days=receive) if receive is not None else False,
        }
        if warehouse:
            vals["warehouse_id"] = warehouse.id
        rma.sudo().write(vals)
        return rma

    def test_sla_medians_and_90th_percentile_by_warehouse_and_month(self):
        order = self._create_order([(self.product_a, 6.0)])
        refunded = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self._validate(self._receipt(refunded))
        credit_date = refunded.sudo().credit_note_ids.invoice_date
        self.assertTrue(credit_date)
        # noon 10 days before the credit note, whatever the time zone
        base = datetime.combine(credit_date, time(12)) - timedelta(days=10)
        main_wh = refunded.warehouse_id
        other_wh = self.warehouse if main_wh == self.lyon else self.lyon
        self._dated(refunded, base, approve=1, receive=2)
        second = self._dated(self._create_rma(order, {self.product_a: 1.0}), base, 2, 3, main_wh)
        third = self._dated(self._create_rma(order, {self.product_a: 1.0}), base, 4, None, main_wh)
        lyon = self._dated(self._create_rma(order, {self.product_a: 1.0}), base, 10, None, other_wh)
        draft = self._create_rma(order, {self.product_a: 1.0})
        draft.sudo().date_submitted = False
        self.env.flush_all()

        rmas = refunded | second | third | lyon | draft
        groups = (
            self.env["rma.report.sla"]
            .with_user(self.manager)
            ._read_group(
                [("rma_id", "in", rmas.ids)],
                ["warehouse_id", "date_requested:month"],
                [
                    "return_count:sum",
                    "approve_median:max",
                    "approve_p90:max",
                    "receive_median:max",
                    "receive_p90:max",
                    "refund_median:max",
                    "refund_p90:max",
                    "days_to_refund:avg",
                ],
            )
        )
        cells = {warehouse: values for warehouse, _month, *values in groups}
        self.assertEqual(len(groups), 2, "the draft (never submitted) has no service level")
        main = [round(value, 2) for value in cells[main_wh]]
        # approval 1, 2, 4 days: median 2, p90 2 + 0.8 x (4 - 2); receipt 2, 3 (third
        # not received): median 2.5, p90 2.9; refund: only the refunded one, 10 days
        self.assertEqual(main, [3, 2.0, 3.6, 2.5, 2.9, 10.0, 10.0, 10.0])
        self.assertEqual(cells[other_wh][:3], [1, 10.0, 10.0])
        self.assertIs(cells[other_wh][3], False, "nothing received there: no receipt level")
        self.assertIs(cells[other_wh][5], False, "nothing refunded there: no refund level")

        # days to refund are empty, not 0, for returns not refunded: averages keep 10
        own = [("id", "in", (refunded | second | third).ids)]
        [(average,)] = (
            self.env["rma.order"]
            .with_user(self.manager)
            ._read_group(own, [], ["days_to_refund:avg"])
        )
        self.assertEqual(average, 10.0)
        report = self.env["rma.report"].with_user(self.manager)
        [(average, approve)] = report._read_group(
            [("rma_id", "in", (refunded | second | third).ids)],
            [],
            ["days_to_refund:avg", "days_to_approve:avg"],
        )
        self.assertEqual((average, round(approve, 2)), (10.0, 2.33))
        self.assertEqual(
            report.search_count([("rma_id", "=", second.id), ("date_refunded", "=", False)]), 1
        )

    def test_sla_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "SLA Company B"})
        lamp = self._create_product("B-only Lamp", 30.0, company=company_b)
        self.env.user.company_ids |= company_b
        order_b = self._create_order([(lamp, 1.0)], company=company_b, invoice=False)
        agent_b = new_test_user(
            self.env,
            login="rma_sla_agent_b",
            groups="base.group_user,rma_returns.group_rma_user",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        rma_b = self._create_rma(order_b, {lamp: 1.0}, user=agent_b)
        rma_b.with_user(agent_b).action_submit()
        rma_a = self._approve(
            self._create_rma(self._create_order([(self.product_a, 1.0)]), {self.product_a: 1})
        )
        self.env.flush_all()
        seen_by_b = self.env["rma.report.sla"].with_user(agent_b).search([]).rma_id
        self.assertEqual(seen_by_b, rma_b)
        seen_by_a = self.env["rma.report.sla"].with_user(self.agent).search([]).rma_id
        self.assertIn(rma_a, seen_by_a)
        self.assertNotIn(rma_b, seen_by_a)

        # the overview: one card, its company's figures
        manager_b = new_test_user(
            self.env,
            login="rma_sla_manager_b",
            groups="base.group_user,rma_returns.group_rma_manager",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        card_b = self.env["rma.dashboard"].with_user(manager_b).search([])
        self.assertEqual(card_b.company_id, company_b)
        self.assertEqual(rma_b.state, "approved", "auto-approved by B's default policy")
        self.assertEqual((card_b.count_to_review, card_b.count_awaiting_goods), (0, 1))
        self.assertEqual(card_b.rate_this_month, 100.0, "its 1 lamp shipped came back")
        cards = self.env["rma.dashboard"].with_user(self.manager).search([])
        self.assertNotIn(company_b, cards.company_id)

    def test_overdue_filter_counts_days_in_the_current_state(self):
        self.policy.auto_approve = False  # submitted returns wait for a review
        order = self._create_order([(self.product_a, 5.0)])
        now = fields.Datetime.now()
        day = timedelta(days=1)

        def submitted(days_ago):
            rma = self._create_rma(order, {self.product_a: 1.0})
            rma.with_user(self.agent).action_submit()
            return self._dated(rma, now - days_ago * day)

        late_review = submitted(3)  # 3 days to review, 2 allowed
        fresh_review = submitted(1)
        # approved 20 days ago, nothing came back (14 allowed)
        late_goods = self._dated(
            self._approve(self._create_rma(order, {self.product_a: 1.0})), now - 25 * day, 5
        )
        # submitted 30 days ago but approved 5 days ago: in time for its current state
        waiting_goods = self._dated(
            self._approve(self._create_rma(order, {self.product_a: 1.0})), now - 30 * day, 25
        )
        mine = late_review | fresh_review | late_goods | waiting_goods
        returns = self.env["rma.order"].with_user(self.agent)
        overdue = returns.search([("id", "in", mine.ids), ("is_overdue", "=", True)])
        self.assertEqual(overdue, late_review | late_goods)
        self.assertEqual(
            returns.search([("id", "in", mine.ids), ("is_overdue", "!=", True)]),
            fresh_review | waiting_goods,
        )
        self.assertEqual(
            mine.with_user(self.agent).filtered("is_overdue"), late_review | late_goods
        )

        # 0 days: a state is never overdue
        self.company.rma_overdue_days_approved = 0
        mine.invalidate_recordset(["is_overdue"])
        self.assertEqual(
            returns.search([("id", "in", mine.ids), ("is_overdue", "=", True)]), late_review
        )
        self.assertEqual(mine.with_user(self.agent).filtered("is_overdue"), late_review)

    def test_overview_counts_and_lists_as_a_manager(self):
        Overview = self.env["rma.dashboard"].with_user(self.manager)

        def card():
            self.env.flush_all()
            self.env.invalidate_all()
            return Overview.search([("company_id", "=", self.company.id)])

        fields_read = [
            "count_to_review",
            "count_awaiting_goods",
            "count_to_inspect",
            "count_to_refund",
            "count_overdue",
            "refunded_this_month",
        ]
        before = card().read(fields_read)[0]
        self.policy.auto_approve = False
        order = self._create_order([(self.product_a, 4.0)])
        to_review = self._create_rma(order, {self.product_a: 1.0})
        to_review.with_user(self.agent).action_submit()
        late_goods = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        late_goods.sudo().date_approved -= timedelta(days=20)
        self.policy.refund_timing = "inspection"
        to_inspect = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self._validate(self._receipt(to_inspect))
        self.policy.refund_timing = "receipt"
        refunded = self._approve(self._create_rma(order, {self.product_a: 1.0}))
        self._validate(self._receipt(refunded))
        credit = refunded.sudo().credit_note_ids
        self.assertEqual(refunded.state, "done")

        overview = card()
        after = overview.read(fields_read)[0]
        delta = {name: after[name] - before[name] for name in fields_read}
        self.assertEqual(
            delta,
            {
                "count_to_review": 1,
                "count_awaiting_goods": 1,
                "count_to_inspect": 1,
                "count_to_refund": 0,
                "count_overdue": 1,  # approved 20 days ago, 14 allowed
                "refunded_this_month": credit.amount_untaxed,
            },
        )
        # each figure opens the returns behind it
        for method, rma in (
            ("action_open_to_review", to_review),
            ("action_open_awaiting_goods", late_goods),
            ("action_open_to_inspect", to_inspect),
            ("action_open_overdue", late_goods),
        ):
            action = getattr(overview, method)()
            listed = self.env["rma.order"].with_user(self.manager).search(action["domain"])
            self.assertIn(rma, listed, method)
            self.assertNotIn(refunded, listed, method)
        self.assertIn(self.product_a.product_tmpl_id.display_name, overview.top_html)

        template = self.product_b.product_tmpl_id.sudo()
        template.write(
            {
                "rma_high_return_rate": True,
                "rma_return_rate": 100.0,
                "rma_return_insight": "Sizing seems off: add a size note.",
            }
        )
        self.assertIn("Sizing seems off", card().flagged_html)
        # agents do not open the overview
        self.assertFalse(self.env["rma.dashboard"].with_user(self.agent).has_access("read"))
