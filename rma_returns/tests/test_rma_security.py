from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaSecurity(RmaCommon):
    """Who can see and do what: groups, companies, portal customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 2.0)])
        cls.salesman = new_test_user(
            cls.env,
            login="plain_salesman",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
        )
        cls.portal_user = new_test_user(
            cls.env, login="rma_portal", groups="base.group_portal", name="Portal Paula"
        )
        cls.other_portal = new_test_user(
            cls.env, login="rma_portal2", groups="base.group_portal", name="Portal Peter"
        )

    def test_user_without_group_gets_access_error(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        with self.assertRaises(AccessError):
            rma.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.env["rma.order"].with_user(self.salesman).create({"sale_order_id": self.order.id})
        # the sale order form still opens for them: the return fields are hidden
        self.assertNotIn("rma_count", self.order.with_user(self.salesman).fields_get(["rma_count"]))

    def test_agent_deletes_drafts_only(self):
        """Agents delete a draft made by mistake; a submitted return stays (its
        deletion rules: test_rma_integrity.test_who_deletes_what)."""
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        submitted = self._create_rma(self.order, {self.product_a: 1.0})
        submitted.with_user(self.agent).action_submit()
        with self.assertRaises(UserError):
            submitted.with_user(self.agent).unlink()
        rma.with_user(self.agent).unlink()
        self.assertFalse(rma.exists())

    def test_agent_cannot_configure_reasons(self):
        with self.assertRaises(AccessError):
            self.env["rma.reason"].with_user(self.agent).create({"name": "X", "code": "X"})

    def test_accountant_and_warehouse_read_only(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        accountant = new_test_user(
            self.env, login="rma_accountant", groups="base.group_user,account.group_account_invoice"
        )
        self.assertEqual(rma.with_user(accountant).name, rma.name)
        with self.assertRaises(AccessError):
            rma.with_user(accountant).write({"tracking_ref": "X"})
        self.assertEqual(self.order.invoice_ids.with_user(accountant).rma_count, 1)

    def test_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Returns Company B"})
        product = self._create_product("B-only Lamp", 30.0, company=company_b)
        self.env.user.company_ids |= company_b
        order_b = self._create_order([(product, 1.0)], company=company_b, invoice=False)
        agent_b = new_test_user(
            self.env,
            login="agent_b",
            groups="base.group_user,rma_returns.group_rma_user",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        rma_b = self._create_rma(order_b, {product: 1.0}, user=agent_b)
        rma_a = self._create_rma(self.order, {self.product_a: 1.0})
        self.assertEqual(rma_b.company_id, company_b)
        visible_to_a = self.env["rma.order"].with_user(self.agent).search([])
        self.assertIn(rma_a, visible_to_a)
        self.assertNotIn(rma_b, visible_to_a)
        with self.assertRaises(AccessError):
            rma_b.with_user(self.agent).read(["name"])
        visible_to_b = self.env["rma.order"].with_user(agent_b).search([])
        self.assertEqual(visible_to_b & (rma_a | rma_b), rma_b)

    def test_portal_customer_sees_only_own_returns(self):
        paula = self.portal_user.partner_id
        order = self._create_order([(self.product_a, 2.0)], partner=paula)
        own = self._create_rma(order, {self.product_a: 1.0})
        own.with_user(self.agent).action_submit()
        own_draft = self._create_rma(order, {self.product_a: 1.0})
        foreign = self._create_rma(self.order, {self.product_a: 1.0})
        found = self.env["rma.order"].with_user(self.portal_user).search([])
        # an agent's draft is the shop's work in progress, even for its customer
        self.assertEqual(found, own)
        self.assertEqual(own_draft.state, "draft")
        self.assertEqual(own.with_user(self.portal_user).line_ids.product_id, self.product_a)
        with self.assertRaises(AccessError):
            foreign.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).write({"tracking_ref": "1Z999"})
        self.assertFalse(self.env["rma.order"].with_user(self.other_portal).search([]))
