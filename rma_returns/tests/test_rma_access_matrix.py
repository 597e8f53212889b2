"""Who may call what: every role against every public method of the addon,
and, over HTTP, every portal route.

Each cell of the tables below is the outcome a role gets: ``OK`` (the call
goes through), ``NO`` (AccessError: not this role's job, or not its
document), ``STATE`` (UserError: the role may, but not in this state). The
calls run in a savepoint that is always rolled back, so that every cell
starts from the same returns.
"""

from contextlib import closing
from urllib.parse import urlsplit

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_flow import RmaFlowCommon
from .portal_common import RmaPortalCommon

OK, NO, STATE = "ok", "access", "state"
ROLES = ("anonymous", "portal_a", "portal_b", "clerk", "billing", "agent", "agent_b", "manager")

# call, return it is made on, then the outcome for each role of ROLES
# (anonymous, portal customer A who owns the returns, portal customer B,
#  warehouse clerk, billing user, returns agent, agent of another company,
#  returns manager)
MATRIX = [
    # --- transitions and their wizards
    ("action_submit", "draft", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_approve", "submitted", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_approve", "draft", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("action_reject", "submitted", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_open_reject_wizard", "submitted", NO, NO, NO, NO, NO, OK, NO, OK),
    ("reject_wizard", "submitted", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_rma_reevaluate", "submitted", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_open_override_wizard", "submitted", NO, NO, NO, NO, NO, NO, NO, OK),
    ("override_wizard", "submitted", NO, NO, NO, NO, NO, NO, NO, OK),
    ("action_receive", "approved", NO, NO, NO, OK, NO, OK, NO, OK),
    ("action_receive", "draft", NO, NO, NO, STATE, NO, STATE, NO, STATE),
    ("action_cancel", "approved", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_apply_disposition", "received", NO, NO, NO, OK, NO, OK, NO, OK),
    ("action_refund", "received", NO, NO, NO, NO, OK, OK, NO, OK),
    ("action_refund", "draft", NO, NO, NO, NO, STATE, STATE, NO, STATE),
    ("action_done", "received", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_draft", "cancelled", NO, NO, NO, NO, NO, OK, NO, OK),
    # the form's header buttons (the transitions above, then a notification)
    ("action_rma_approve", "submitted", NO, NO, NO, NO, NO, OK, NO, OK),
    ("action_rma_receive", "approved", NO, NO, NO, OK, NO, OK, NO, OK),
    ("action_rma_close", "received", NO, NO, NO, NO, NO, OK, NO, OK),
    # --- the slip
    ("action_regenerate_slip_token", "approved", NO, NO, NO, NO, NO, OK, NO, OK),
    # (customers download their slip on the portal, not through the back-office)
    ("action_print_slip", "approved", NO, NO, NO, OK, OK, OK, NO, OK),
    ("action_print_slip_label", "approved", NO, NO, NO, OK, OK, OK, NO, OK),
    # --- navigation: the documents of a return its reader may open
    ("action_view_sale_order", "approved", NO, OK, NO, OK, OK, OK, NO, OK),
    ("action_view_deliveries", "approved", NO, OK, NO, OK, OK, OK, NO, OK),
    ("action_view_pickings", "approved", NO, OK, NO, OK, OK, OK, NO, OK),
    ("action_view_replacements", "approved", NO, OK, NO, OK, OK, OK, NO, OK),
    ("action_view_invoices", "received", NO, OK, NO, NO, OK, OK, NO, OK),
    ("action_view_credit_notes", "received", NO, OK, NO, NO, OK, OK, NO, OK),
    # --- editing and deleting
    ("write_tracking", "approved", NO, NO, NO, NO, NO, OK, NO, OK),
    ("write_customer", "approved", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("write_state", "approved", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("write_decision", "submitted", NO, NO, NO, NO, NO, NO, NO, NO),
    ("unlink", "draft", NO, NO, NO, NO, NO, OK, NO, OK),
    ("unlink", "approved", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("line_unlink", "approved", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("line_add", "approved", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("line_quantity", "approved", NO, NO, NO, NO, NO, STATE, NO, STATE),
    ("line_disposition", "approved", NO, NO, NO, OK, NO, OK, NO, OK),
    # --- starting a return, and the other models' buttons
    ("create_wizard", "draft", NO, NO, NO, NO, NO, OK, NO, OK),
    ("sale_order_create_rma", "draft", NO, NO, NO, NO, NO, OK, NO, OK),
    ("picking_create_rma", "draft", NO, NO, NO, NO, NO, OK, NO, OK),
    ("sale_order_view_rmas", "draft", NO, NO, NO, OK, OK, OK, NO, OK),
    ("picking_view_rmas", "draft", NO, NO, NO, OK, OK, OK, NO, OK),
    ("invoice_view_rmas", "draft", NO, NO, NO, NO, OK, OK, NO, OK),
    # agent B may read the customer, and finds none of its returns
    ("partner_view_rmas", "draft", NO, OK, NO, OK, OK, OK, OK, OK),
    ("partner_view_rma_report", "draft", NO, OK, NO, OK, OK, OK, OK, OK),
    # agent B does not find A's return: "no return matches" (a UserError)
    ("scan_wizard", "approved", NO, NO, NO, OK, NO, OK, STATE, OK),
    # the warehouse's return setup is the Inventory administrator's
    ("warehouse_setup_returns", "draft", NO, NO, NO, NO, NO, NO, NO, NO),
    # the policies are the manager's
    ("policy_write", "draft", NO, NO, NO, NO, NO, NO, NO, OK),
    # --- the web shop's API (the Returns API group, implied by agents): agent
    # B finds no order of the customer in its company (a UserError) and
    # cannot read A's return
    ("rma_api_returnable_lines", "draft", NO, NO, NO, NO, NO, OK, OK, OK),
    ("rma_api_preview", "draft", NO, NO, NO, NO, NO, OK, STATE, OK),
    ("rma_api_submit", "draft", NO, NO, NO, NO, NO, OK, STATE, OK),
    ("rma_api_slip", "approved", NO, NO, NO, NO, NO, OK, NO, OK),
    ("rma_api_status", "approved", NO, NO, NO, NO, NO, OK, NO, OK),
]


def _call_method(name):
    return lambda test, rma: getattr(rma, name)()


CALLS = {
    name: _call_method(name) for name in {row[0] for row in MATRIX} if name.startswith("action_")
}
CALLS.update(
    {
        "reject_wizard": lambda test, rma: (
            rma.env["rma.reject.wizard"]
            .create({"rma_ids": [Command.set(rma.ids)], "reason": "Worn"})
            .action_reject()
        ),
        "override_wizard": lambda test, rma: (
            rma.env["rma.policy.override.wizard"]
            .create({"rma_ids": [Command.set(rma.ids)], "decision": "approve", "reason": "Loyal"})
            .action_override()
        ),
        "write_tracking": lambda test, rma: rma.write({"tracking_ref": "1Z999"}),
        "write_customer": lambda test, rma: rma.write({"partner_id": test.customer.id}),
        "write_state": lambda test, rma: rma.write({"state": "done"}),
        "write_decision": lambda test, rma: rma.write({"decision": "approve"}),
        "unlink": lambda test, rma: rma.unlink(),
        "line_unlink": lambda test, rma: rma.line_ids.unlink(),
        "line_add": lambda test, rma: rma.write(
            {
                "line_ids": [
                    Command.create({"sale_line_id": test.fleece_line.id, "product_uom_qty": 1})
                ]
            }
        ),
        "line_quantity": lambda test, rma: rma.line_ids.write({"product_uom_qty": 2.0}),
        "line_disposition": lambda test, rma: rma.line_ids.write({"disposition": "scrap"}),
        "create_wizard": lambda test, rma: (
            rma.env["rma.create.wizard"]
            .create({"sale_order_id": test.order_a.id})
            .action_create_rma()
        ),
        "sale_order_create_rma": lambda test, rma: test.order_a.with_env(
            rma.env
        ).action_create_rma(),
        "picking_create_rma": lambda test, rma: test.delivery_a.with_env(
            rma.env
        ).action_create_rma(),
        "sale_order_view_rmas": lambda test, rma: test.order_a.with_env(rma.env).action_view_rmas(),
        "picking_view_rmas": lambda test, rma: test.delivery_a.with_env(rma.env).action_view_rmas(),
        "invoice_view_rmas": lambda test, rma: test.invoice_a.with_env(rma.env).action_view_rmas(),
        "partner_view_rmas": lambda test, rma: test.partner_a.with_env(rma.env).action_view_rmas(),
        "partner_view_rma_report": lambda test, rma: test.partner_a.with_env(
            rma.env
        ).action_view_rma_report(),
        "scan_wizard": lambda test, rma: (
            rma.env["rma.scan.wizard"].create({"code": test.returns["approved"].name}).action_scan()
        ),
        "warehouse_setup_returns": lambda test, rma: test.warehouse.with_env(
            rma.env
        ).action_rma_setup_returns(),
        "policy_write": lambda test, rma: test.policy.with_env(rma.env).write({"return_days": 60}),
        "rma_api_returnable_lines": lambda test, rma: rma.rma_api_returnable_lines(
            test.partner_a.email
        ),
        "rma_api_preview": lambda test, rma: rma.rma_api_preview(
            test.partner_a.email, test.order_a.name, test._api_lines()
        ),
        "rma_api_submit": lambda test, rma: rma.rma_api_submit(
            test.partner_a.email, test.order_a.name, test._api_lines()
        ),
        "rma_api_slip": lambda test, rma: rma.rma_api_slip(rma.id),
        "rma_api_status": lambda test, rma: rma.rma_api_status(rma.ids),
    }
)


# (model, public method of the addon) -> its row in MATRIX
COVERED = {
    **{("rma.order", name): name for name in CALLS if name.startswith("action_")},
    ("rma.reject.wizard", "action_reject"): "reject_wizard",
    ("rma.policy.override.wizard", "action_override"): "override_wizard",
    ("rma.create.wizard", "action_create_rma"): "create_wizard",
    ("rma.scan.wizard", "action_scan"): "scan_wizard",
    ("sale.order", "action_create_rma"): "sale_order_create_rma",
    ("sale.order", "action_view_rmas"): "sale_order_view_rmas",
    ("stock.picking", "action_create_rma"): "picking_create_rma",
    ("stock.picking", "action_view_rmas"): "picking_view_rmas",
    ("account.move", "action_view_rmas"): "invoice_view_rmas",
    ("res.partner", "action_view_rmas"): "partner_view_rmas",
    ("res.partner", "action_view_rma_report"): "partner_view_rma_report",
    ("stock.warehouse", "action_rma_setup_returns"): "warehouse_setup_returns",
    **{("rma.order", name): name for name in CALLS if name.startswith("rma_api_")},
}
# create, write and unlink: the write_*, line_* and unlink rows
CRUD = {"create", "write", "unlink"}


@tagged("post_install", "-at_install")
class TestRmaAccessMatrix(RmaFlowCommon):
    """Every role × every public method of the addon (see MATRIX)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"auto_approve": False, "refund_timing": "inspection"})
        company_b = cls.env["res.company"].create({"name": "Returns Company Beta"})
        cls.partner_a = cls.env["res.partner"].create(
            {"name": "Alpha Outdoor Ltd", "is_company": True, "email": "alpha@example.com"}
        )
        partner_b = cls.env["res.partner"].create(
            {"name": "Beta Sports GmbH", "is_company": True, "email": "beta@example.com"}
        )

        def user(login, groups, **kw):
            return new_test_user(cls.env, login=login, groups=groups, name=login, **kw)

        cls.users = {
            "anonymous": cls.env.ref("base.public_user"),
            "portal_a": user("matrix_portal_a", "base.group_portal", partner_id=cls.partner_a.id),
            "portal_b": user("matrix_portal_b", "base.group_portal", partner_id=partner_b.id),
            "clerk": cls.clerk,
            "billing": user("matrix_billing", "base.group_user,account.group_account_invoice"),
            "agent": cls.agent,
            "agent_b": user(
                "matrix_agent_b",
                "base.group_user,rma_returns.group_rma_user",
                company_id=company_b.id,
                company_ids=[Command.set(company_b.ids)],
            ),
            "manager": user("matrix_manager", "base.group_user,rma_returns.group_rma_manager"),
        }
        cls.order_a = cls._create_order(
            [(cls.product_a, 5.0), (cls.product_b, 1.0)], partner=cls.partner_a
        )
        cls.fleece_line = cls.order_a.order_line.filtered(lambda sl: sl.product_id == cls.product_b)
        cls.delivery_a = cls.order_a.picking_ids
        cls.invoice_a = cls.order_a.invoice_ids

    def setUp(self):
        super().setUp()
        agent_rma = self.env["rma.order"].with_user(self.agent)
        returns = {}
        for state in ("draft", "submitted", "approved", "received", "cancelled"):
            rma = self._create_rma(self.order_a, {self.product_a: 1.0})
            returns[state] = rma
            rma = agent_rma.browse(rma.id)
            if state != "draft":
                rma.action_submit()
            if state in ("approved", "received", "cancelled"):
                rma.action_approve()
            if state == "received":
                rma.action_receive()
            if state == "cancelled":
                rma.action_cancel()
        self.assertEqual([rma.state for rma in returns.values()], list(returns))
        self.returns = returns
        self._flush_tracking()

    def _api_lines(self):
        return [{"sale_line_id": self.fleece_line.id, "qty": 1.0, "reason": self.reason.code}]

    def _cell(self, user, call, rma):
        """OK, NO or STATE: what ``call`` does for ``user`` on ``rma``; always
        rolled back."""
        with closing(self.env.cr.savepoint()):
            try:
                call(self, rma.with_user(user))
                self.env.flush_all()
            except AccessError:
                return NO
            except UserError:
                return STATE
            return OK

    def test_access_matrix(self):
        wrong = []
        for name, state, *expected in MATRIX:
            for role, outcome in zip(ROLES, expected, strict=True):
                got = self._cell(self.users[role], CALLS[name], self.returns[state])
                if got != outcome:
                    wrong.append(f"{name} on a {state} return as {role}: {got}, expected {outcome}")
        self.assertFalse(wrong, "\n" + "\n".join(wrong))

    def test_matrix_covers_every_public_method(self):
        """A new public method of the addon shows up here until it is in MATRIX."""
        missing = set()
        for model in {model for model, _name in COVERED}:
            for klass in type(self.env[model]).__mro__:
                if not klass.__module__.startswith("odoo.addons.rma_returns."):
                    continue
                for name, value in vars(klass).items():
                    public = callable(value) and not name.startswith("_") and name not in CRUD
                    if public and (model, name) not in COVERED:
                        missing.add(f"{model}.{name}")
        self.assertFalse(missing, f"public methods missing from the matrix: {missing}")


@tagged("post_install", "-at_install")
class TestRmaRouteAccess(RmaPortalCommon):
    """Every portal route: the owner gets the page; another customer, a guest
    holding another document's token and an anonymous visitor do not (403,
    404 or a redirect to the login)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rma_a = cls._approved_rma_cls(cls.order_a, {cls.product_a: 1.0})
        cls.rma_b = cls._approved_rma_cls(cls.order_b, {cls.product_a: 1.0})

    @classmethod
    def _approved_rma_cls(cls, order, quantities):
        wizard = cls.env["rma.create.wizard"].create({"sale_order_id": order.id})
        for line in wizard.line_ids:
            line.quantity = quantities.get(line.product_id, 0.0)
        rma = cls.env["rma.order"].browse(wizard.action_create_rma()["res_id"])
        rma.action_submit()
        if rma.state == "submitted":
            rma.action_approve()
        rma._portal_ensure_token()
        return rma

    def _visit(self, role, path):
        """GET ``path`` as ``role``: "portal_a" (the owner), "portal_b",
        "anonymous", or "guest" (anonymous with the token of B's return)."""
        if role in ("portal_a", "portal_b"):
            self._login(getattr(self, role))
        else:
            self._anonymous()
        if role == "guest":
            token = self.rma_b.access_token
            path = f"{path}{'&' if '?' in path else '?'}access_token={token}"
        return self.url_open(path, allow_redirects=False)

    def _denied(self, response):
        if response.status_code in (403, 404):
            return True
        if response.status_code in (301, 302, 303):
            location = urlsplit(response.headers.get("Location", "")).path
            return location in ("/web/login", "/my", "/my/home", "/odoo")
        return False

    def test_route_matrix(self):
        credit_note = self._attach_credit_note(self.rma_a)
        picking = self._attach_replacement(self.rma_a)
        rma = self.rma_a
        routes = [
            f"/my/returns/{rma.id}",
            f"/my/returns/{rma.id}/slip",
            f"/my/returns/{rma.id}/credit_note/{credit_note.id}",
            f"/my/returns/{rma.id}/picking/{picking.id}",
            f"/my/orders/{self.order_a.id}/return",
        ]
        wrong = []
        for path in routes:
            for role in ("portal_a", "portal_b", "guest", "anonymous"):
                response = self._visit(role, path)
                if role == "portal_a":
                    good = response.status_code == 200
                else:
                    good = self._denied(response)
                if not good:
                    wrong.append(f"{path} as {role}: {response.status_code}")
        self.assertFalse(wrong, "\n" + "\n".join(wrong))

    def test_returns_list(self):
        self.assertTrue(self._denied(self._visit("anonymous", "/my/returns")))
        own = self._visit("portal_a", "/my/returns")
        self.assertEqual(own.status_code, 200)
        self.assertIn(self.rma_a.name, own.text)
        other = self._visit("portal_b", "/my/returns")
        self.assertEqual(other.status_code, 200)
        self.assertNotIn(self.rma_a.name, other.text)

    def test_tracking_only_by_the_owner(self):
        path = f"/my/returns/{self.rma_a.id}/tracking"
        for role in ("portal_b", "anonymous"):
            self._login(self.portal_b) if role == "portal_b" else self._anonymous()
            data = {"csrf_token": self._csrf(), "carrier": "X", "tracking_ref": "FORGED"}
            response = self.url_open(path, data=data, allow_redirects=False)
            self.assertTrue(self._denied(response), f"{role}: {response.status_code}")
        self.assertNotEqual(self.rma_a.tracking_ref, "FORGED")
        self._login(self.portal_a)
        data = {"csrf_token": self._csrf(), "carrier": "UPS", "tracking_ref": "1Z42"}
        self.url_open(path, data=data, allow_redirects=False)
        self.assertEqual(self.rma_a.tracking_ref, "1Z42")


@tagged("post_install", "-at_install")
class TestRmaRoleJobs(RmaFlowCommon):
    """Each role does its whole job with its own rights, and reads what it needs
    on the return's form (as the web client reads it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            login="jobs_billing",
            groups="base.group_user,account.group_account_invoice",
            name="Billing User",
        )
        cls.portal = new_test_user(cls.env, login="jobs_portal", groups="base.group_portal")
        cls.order = cls._create_order(
            [(cls.product_a, 2.0), (cls.product_b, 1.0)], partner=cls.portal.partner_id
        )

    def _form_values(self, rma, user):
        """The return's form as ``user`` opens it (the fields of the form view
        the user may see, read as the web client reads them)."""
        return Form(rma.with_user(user))

    def test_agent_without_sales_or_inventory_rights_processes_a_return(self):
        self.assertFalse(self.agent.has_group("stock.group_stock_user"))
        self.assertFalse(self.agent.has_group("sales_team.group_sale_salesman"))
        self.policy.auto_approve = False
        rma = self._create_rma(self.order, {self.product_a: 2.0}).with_user(self.agent)
        rma.action_submit()
        rma.action_approve()
        values = self._form_values(rma, self.agent)
        self.assertEqual(values.picking_count, 1)
        self.assertEqual(values.delivery_count, 1)
        self.assertEqual(values.invoice_count, 1)
        self.assertEqual(values.sale_order_id.display_name, self.order.name)
        rma.action_receive()
        self.assertEqual(rma.state, "done", "received, restocked and refunded")
        self.assertEqual(self._form_values(rma, self.agent).credit_note_count, 1)

    def test_clerk_scans_receives_disposes_and_ships_exchanges(self):
        """The warehouse clerk (Inventory / User only) lands on the receipt from
        the slip, opens the return (without reading journal items), validates
        the receipt, chooses the disposition and ships the exchange."""
        self.policy.refund_timing = "inspection"
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        rma.line_ids.write({"resolution": "exchange", "exchange_product_id": self.product_b.id})
        self._approve(rma)
        action = (
            self.env["rma.scan.wizard"].with_user(self.clerk)._rma_scan_action(rma.slip_scan_url)
        )
        self.assertEqual(action["res_id"], self._receipt(rma).id)
        values = self._form_values(rma, self.clerk)
        self.assertEqual(values.picking_count, 2, "the receipt and the exchange's shipment")
        self.assertEqual(values.state, "approved")
        self._validate(self._receipt(rma))
        self.assertEqual(rma.state, "received")
        rma.line_ids.with_user(self.clerk).disposition = "scrap"
        rma.with_user(self.clerk).action_apply_disposition()
        self.assertEqual(rma.line_ids.qty_disposed, 1.0)
        shipment = rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self._validate(shipment)
        self.assertEqual(shipment.state, "done")
        self.assertEqual(rma.line_ids.qty_replaced, 1.0)

    def test_billing_user_refunds_and_posts(self):
        self.policy.write({"auto_post_refund": False})
        rma = self._approve(self._create_rma(self.order, {self.product_a: 1.0}))
        self._validate(self._receipt(rma))
        credit_note = rma.credit_note_ids
        self.assertEqual(credit_note.state, "draft")
        values = self._form_values(rma, self.billing)
        self.assertEqual(values.credit_note_count, 1)
        credit_note.with_user(self.billing).action_post()
        self.assertEqual(rma.state, "done")
        self.assertTrue(rma.with_user(self.billing).action_refund(), "nothing twice")

    def test_portal_reads_no_internal_field(self):
        """Customers read their returns through the portal's rules: the shop's
        reasoning and bookkeeping stays internal."""
        rma = self._approve(self._create_rma(self.order, {self.product_a: 1.0}))
        mine = rma.with_user(self.portal)
        self.assertEqual(mine.read(["name", "state", "decision"])[0]["state"], "approved")
        internal = [
            "decision_explanation",
            "return_rate",
            "override_reason",
            "override_user_id",
            "policy_id",
            "refund_blocked",
            "refund_block_reason",
            "warehouse_rule",
            "warehouse_distance",
            "inspection_required",
            "rma_notified_events",
            "slip_token",
            "slip_scan_url",
            "can_refund",
            "auto_post_refund",
        ]
        for fname in internal:
            with self.assertRaises(AccessError, msg=fname):
                mine.read([fname])
        for fname in ("move_id", "invoice_line_id", "policy_id", "disposition", "qty_disposed"):
            with self.assertRaises(AccessError, msg=fname):
                mine.line_ids.read([fname])
