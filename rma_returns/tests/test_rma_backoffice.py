from datetime import timedelta

from lxml import html

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaReviewAssignment(RmaCommon):
    """Returns a customer submits on the portal go to a person of the shop:
    the policy's reviewer, else the order's salesperson, else the sales team's
    leader; the policy's decision is posted by the system, not the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="rma_bo_portal", groups="base.group_portal", name="Paula Portal"
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="rma_bo_sales",
            groups="base.group_user,sales_team.group_sale_salesman",
            name="Sam Sales",
        )
        cls.leader = new_test_user(
            cls.env,
            login="rma_bo_leader",
            groups="base.group_user,sales_team.group_sale_salesman",
            name="Lea Leader",
        )
        cls.reviewer = new_test_user(
            cls.env,
            login="rma_bo_reviewer",
            groups="base.group_user,rma_returns.group_rma_user",
            name="Rita Reviewer",
        )
        cls.team = cls.env["crm.team"].create({"name": "Web Shop", "user_id": cls.leader.id})
        # every return goes to a review
        cls.policy = cls.env["rma.policy"].create(
            {"name": "Review All", "sequence": 1, "return_days": 30, "auto_approve": False}
        )
        cls.order = cls._create_order([(cls.product_a, 5.0)], partner=cls.portal_user.partner_id)
        cls.order.team_id = cls.team

    def _portal_return(self):
        """Create and submit a return as the portal controller does: as the
        customer, through sudo, with the order's salesperson as responsible."""
        order = self.order.with_user(self.portal_user).sudo()
        rma = (
            self.env["rma.order"]
            .with_user(self.portal_user)
            .sudo()
            .create(
                {
                    "sale_order_id": order.id,
                    "partner_id": order.partner_id.id,
                    "company_id": order.company_id.id,
                    "user_id": order.user_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "sale_line_id": order.order_line.id,
                                "product_uom_qty": 1.0,
                                "reason_id": self.reason.id,
                            }
                        )
                    ],
                }
            )
        )
        rma.action_submit()
        return rma.sudo(False).with_user(self.reviewer)

    def _review_activity(self, rma):
        review = self.env.ref("rma_returns.mail_activity_type_rma_review")
        return rma.sudo().activity_ids.filtered(lambda a: a.activity_type_id == review)

    def test_policy_reviewer_gets_the_return(self):
        self.policy.review_user_id = self.reviewer
        self.order.user_id = self.salesperson
        rma = self._portal_return()
        self.assertEqual(rma.state, "submitted")
        self.assertEqual(self._review_activity(rma).user_id, self.reviewer)
        self.assertEqual(rma.user_id, self.reviewer)
        # the reviewer sees it among their activities
        mine = (
            self.env["rma.order"]
            .with_user(self.reviewer)
            .search([("activity_user_id", "=", self.reviewer.id)])
        )
        self.assertIn(rma, mine)

    def test_salesperson_then_team_leader(self):
        for salesperson, expected in (
            (self.salesperson, self.salesperson),
            (self.env.ref("base.user_root"), self.leader),  # OdooBot is nobody
            (self.env["res.users"], self.leader),  # website order: no salesperson
        ):
            with self.subTest(salesperson=salesperson.name):
                self.order.user_id = salesperson
                rma = self._portal_return()
                self.assertEqual(self._review_activity(rma).user_id, expected)
                self.assertEqual(rma.user_id, expected)
                self.assertNotEqual(rma.user_id, self.portal_user)

    def test_decision_posted_by_the_system(self):
        self.order.user_id = self.salesperson
        rma = self._portal_return()
        decision_notes = rma.sudo().message_ids.filtered(
            lambda m: "Return policy decision" in (m.body or "")
        )
        self.assertTrue(decision_notes)
        self.assertEqual(decision_notes.author_id, self.env.ref("base.partner_root"))

    def test_agent_created_return_keeps_its_responsible(self):
        self.policy.review_user_id = self.reviewer
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        self.assertEqual(rma.user_id, self.agent)
        self.assertEqual(self._review_activity(rma).user_id, self.reviewer)


@tagged("post_install", "-at_install")
class TestRmaFormHeader(RmaCommon):
    """One primary button per state, Approve against the policy only for a
    manager with a reason, steps that move goods confirm and say what they did."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="rma_bo_manager",
            groups="base.group_user,rma_returns.group_rma_manager",
            name="Mona Manager",
        )
        cls.order = cls._create_order([(cls.product_a, 3.0)])
        # an agent reviews every return
        cls.env["rma.policy"].create(
            {"name": "Review All", "sequence": 1, "return_days": 30, "auto_approve": False}
        )

    def _header_buttons(self, rma, user):
        """The header buttons ``user`` sees on ``rma``: [(name, primary)]."""
        from lxml import etree

        arch = rma.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        header = etree.fromstring(arch).find(".//header")
        tree = etree.fromstring(arch)
        names = {f.get("name") for f in tree.iter("field")} & set(rma._fields)
        # every field the form holds (bridge addons add their own), as the user reads it
        values = rma.with_user(user).read(sorted(names))[0]
        visible = []
        for button in header.iter("button"):
            condition = button.get("invisible") or "False"
            env = dict(values, parent={}, context={})
            if not safe_eval(condition, env):
                visible.append((button.get("name"), "btn-primary" in (button.get("class") or "")))
        return visible

    def test_one_primary_button_per_state(self):
        self.warehouse.rma_inspect_returns = True
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        expected = {
            "draft": "action_submit",
            "submitted": "action_approve",
            "approved": "action_rma_receive",
            "received": "action_apply_disposition",
        }
        for step in ("draft", "submitted", "approved", "received"):
            with self.subTest(state=step):
                self.assertEqual(rma.state, step)
                primary = [n for n, p in self._header_buttons(rma, self.agent) if p]
                self.assertEqual(primary, [expected[step]])
                {
                    "draft": rma.with_user(self.agent).action_submit,
                    "submitted": rma.with_user(self.agent).action_approve,
                    "approved": rma.with_user(self.agent).action_rma_receive,
                    "received": rma.with_user(self.agent).action_apply_disposition,
                }[step]()
        # once inspected, the next step is to close (or it closed by itself)
        if rma.state == "received":
            primary = [n for n, p in self._header_buttons(rma, self.agent) if p]
            self.assertEqual(primary, ["action_rma_close"])

    def test_receive_and_close_confirm_and_report(self):
        rma = self._create_rma(self.order, {self.product_a: 2.0})
        rma.with_user(self.agent).action_submit()
        rma.with_user(self.agent).action_approve()
        arch = rma.with_user(self.agent).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_rma_receive"', arch)
        self.assertRegex(
            arch, r'name="action_rma_receive"[^>]*confirm=|confirm=[^>]*name="action_rma_receive"'
        )
        receipt = rma._rma_pending_receipts()
        result = rma.with_user(self.agent).action_rma_receive()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("2 unit(s) received", result["params"]["message"])
        self.assertIn(receipt.name, result["params"]["message"])
        self.assertIn(rma.state, ("received", "done"))

    def test_approve_against_the_policy_needs_a_manager(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        rma.with_user(self.agent).action_reject()
        self.assertEqual(rma.state, "rejected")
        self.assertNotIn(
            "action_rma_approve", [n for n, _p in self._header_buttons(rma, self.agent)]
        )
        self.assertIn(("action_rma_approve", True), self._header_buttons(rma, self.manager))
        with self.assertRaisesRegex(UserError, "only a returns manager can approve it"):
            rma.with_user(self.agent).action_rma_approve()
        action = rma.with_user(self.manager).action_rma_approve()
        self.assertEqual(action["res_model"], "rma.policy.override.wizard")
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        self.assertEqual(wizard.decision, "approve")
        wizard.reason = "Regular customer, box was damaged by the carrier"
        wizard.save().action_override()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.override_user_id, self.manager)


@tagged("post_install", "-at_install")
class TestRmaBoard(RmaCommon):
    """The Decision checklist, the board's cards and the accountant's list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["rma.policy"].create(
            {"name": "Review All", "sequence": 1, "return_days": 30, "auto_approve": False}
        )
        cls.accountant = new_test_user(
            cls.env,
            login="rma_bo_accountant",
            groups="base.group_user,account.group_account_invoice",
            name="Alex Accountant",
        )
        cls.order = cls._create_order([(cls.product_a, 3.0)])

    def _submitted(self, order=None):
        rma = self._create_rma(order or self.order, {self.product_a: 1.0})
        rma.with_user(self.agent).action_submit()
        return rma

    def _credit_note(self, rma):
        invoice = rma.sale_order_id.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        credit_note = invoice._reverse_moves()
        credit_note.rma_order_id = rma
        credit_note.action_post()
        return credit_note

    def test_decision_checklist_blocking_first(self):
        rma = self._submitted()
        checks = rma.with_user(self.agent).decision_checks
        self.assertTrue(checks)
        order = ["fail", "warning", "pass"]
        ranks = [order.index(check["status"]) for check in checks]
        self.assertEqual(ranks, sorted(ranks), "blocking rules come first")
        self.assertEqual(checks[0]["status"], "warning")
        self.assertIn("Auto-approval is off", checks[0]["text"])
        self.assertIn(
            "within the 30-day window", next(c for c in checks if c["status"] == "pass")["text"]
        )
        html = rma.with_user(self.agent).decision_checklist_html
        self.assertIn("fa-exclamation-triangle", html)
        self.assertIn("fa-check-circle", html)

    def test_card_waiting_time_and_sla(self):
        rma = self._submitted()
        card = rma.with_user(self.agent)
        self.assertEqual(card.first_product_id, self.product_a)
        self.assertEqual(card.first_reason_id, self.reason)
        self.assertEqual((card.days_waiting, card.sla_status), (0, "ok"))
        rma.date_submitted = fields.Datetime.now() - timedelta(days=5)
        rma.invalidate_recordset(["days_waiting", "sla_status"])
        self.assertEqual((card.days_waiting, card.sla_status), (5, "late"))
        self.company.rma_sla_days = 10
        rma.invalidate_recordset(["days_waiting", "sla_status"])
        self.assertEqual(card.sla_status, "ok")

    def test_refund_measures_and_settlement(self):
        rma = self._submitted()
        rma.date_submitted = fields.Datetime.now() - timedelta(days=4)
        credit_note = self._credit_note(rma)
        self.assertEqual(rma.amount_refunded, credit_note.amount_total)
        self.assertEqual(rma.days_to_refund, 4)
        # the invoice is open: the credit note offsets it
        as_accountant = credit_note.with_user(self.accountant)
        self.assertEqual(as_accountant.rma_refund_kind, "offset")
        self.assertEqual(as_accountant.rma_age_days, 0)

    def test_analysis_in_flow_order(self):
        rma = self._submitted()
        self._credit_note(rma)
        groups = (
            self.env["rma.order"]
            .with_user(self.agent)
            .read_group([], ["amount_refunded:sum", "days_to_refund:avg"], ["state"])
        )
        flow = ["draft", "submitted", "approved", "received", "done", "rejected", "cancelled"]
        states = [group["state"] for group in groups]
        self.assertEqual(states, [state for state in flow if state in states])
        own = (
            self.env["rma.order"]
            .with_user(self.agent)
            .read_group([("id", "=", rma.id)], ["amount_refunded:sum"], ["state"])
        )
        self.assertEqual(sum(group["amount_refunded"] for group in own), rma.amount_refunded)
        self.assertTrue(rma.amount_refunded)

    def test_to_refund_when_the_customer_paid(self):
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        rma = self._submitted(order)
        credit_note = self._credit_note(rma)
        self.assertEqual(credit_note.with_user(self.accountant).rma_refund_kind, "to_refund")
        found = (
            self.env["account.move"]
            .with_user(self.accountant)
            .search([("rma_refund_kind", "=", "to_refund")])
        )
        self.assertIn(credit_note, found)

    def test_credit_note_form_links_invoice_and_return(self):
        rma = self._submitted()
        credit_note = self._credit_note(rma)
        arch = (
            self.env["account.move"]
            .with_user(self.accountant)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('string="Reversal of"', arch)
        self.assertIn('name="rma_order_id"', arch)
        self.assertEqual(
            credit_note.with_user(self.accountant).reversed_entry_id,
            self.order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice"),
        )


@tagged("post_install", "-at_install")
class TestRmaScanBranded(RmaCommon, HttpCase):
    """A slip's QR scanned by someone not logged in: the shop, where the parcel
    goes, a staff login link back to the scan; nothing personal."""

    def test_anonymous_scan_shows_branded_page(self):
        self.env.ref("rma_returns.rma_policy_default").auto_approve = False
        self.customer.write({"street": "7 Rosemary Lane", "city": "Leeds"})
        self.warehouse.partner_id.city = "Lyon"
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.action_submit()
        rma.action_approve()
        response = self.url_open(f"/rma/scan/{rma.slip_token}", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.text)
        self.assertEqual(
            page.xpath("//p[hasclass('o_rma_scan_company')]")[0].text_content().strip(),
            self.company.name,
        )
        destination = page.xpath("//p[hasclass('o_rma_scan_destination')]")[0].text_content()
        self.assertIn(f"This parcel is a return to {rma.warehouse_id.name}", destination)
        self.assertIn("Lyon", destination)
        login = page.xpath("//a[hasclass('o_rma_scan_login')]")[0].get("href")
        self.assertIn("/web/login", login)
        self.assertIn("rma%2Fscan", login)
        for private in ("Ruth Returner", "Rosemary Lane", "ruth@example.com", "Hiking Boots"):
            self.assertNotIn(private, response.text)


@tagged("post_install", "-at_install")
class TestRmaPickingForm(RmaCommon):
    """On a sale's delivery, returns users get the addon's Return, not Odoo's
    plain one; the receipt a scan opens shows what the customer said."""

    def _header(self, user):
        arch = (
            self.env["stock.picking"]
            .with_user(user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        return html.fromstring(arch).find(".//header")

    def test_plain_return_hidden_for_returns_users(self):
        plain = str(self.env.ref("stock.act_stock_return_picking").id)
        clerk_agent = new_test_user(
            self.env,
            login="rma_bo_clerk_agent",
            groups="base.group_user,stock.group_stock_user,rma_returns.group_rma_user",
        )
        clerk = new_test_user(
            self.env, login="rma_bo_clerk", groups="base.group_user,stock.group_stock_user"
        )
        header = self._header(clerk_agent)
        plain_buttons = [b for b in header.iter("button") if b.get("name") == plain]
        self.assertEqual(len(plain_buttons), 1)
        self.assertIn(
            "sale_id and picking_type_code == 'outgoing'", plain_buttons[0].get("invisible")
        )
        ours = [b for b in header.iter("button") if b.get("name") == "action_create_rma"]
        self.assertEqual(
            (ours[0].get("string"), "btn-primary" in ours[0].get("class")), ("Return", True)
        )
        # a clerk without the returns app keeps Odoo's Return on every done transfer
        header = self._header(clerk)
        plain_buttons = [b for b in header.iter("button") if b.get("name") == plain]
        self.assertEqual(len(plain_buttons), 2)
        self.assertFalse([b for b in header.iter("button") if b.get("name") == "action_create_rma"])

    def test_receipt_shows_the_customer_reason(self):
        self.env.ref("rma_returns.rma_policy_default").auto_approve = False
        order = self._create_order([(self.product_a, 1.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.description = "The left boot squeaks"
        rma.action_submit()
        rma.action_approve()
        clerk = new_test_user(
            self.env, login="rma_bo_clerk2", groups="base.group_user,stock.group_stock_user"
        )
        receipt = rma._rma_pending_receipts().with_user(clerk)
        self.assertEqual(receipt.rma_customer_comment, "The left boot squeaks")
        self.assertEqual(receipt.move_ids.rma_reason_id, self.reason)
        self.assertEqual(receipt.move_ids.rma_condition, rma.line_ids.condition)
        header = self._header(clerk)
        self.assertTrue(header.xpath(".//a[hasclass('o_rma_scan_next')]"))
        # the clerk chooses the disposition on the receipt, for the return line
        receipt.move_ids.rma_disposition = "scrap"
        self.assertEqual(rma.line_ids.disposition, "scrap")
