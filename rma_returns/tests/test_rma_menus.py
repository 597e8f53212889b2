from lxml import etree

from odoo.tests import new_test_user, tagged

from .common import RmaCommon

ROOT = "rma_returns.rma_menu_root"
CONFIG = "rma_returns.rma_menu_config"
RETURNS = "rma_returns.rma_order_menu"
PRODUCTS = "rma_returns.rma_order_line_menu"
SCAN = "rma_returns.rma_scan_menu"
SETTINGS = "rma_returns.rma_config_settings_menu"
POLICIES = "rma_returns.rma_policy_menu"
REASONS = "rma_returns.rma_reason_menu"
REPORTING = "rma_returns.rma_menu_reporting"
REPORT = "rma_returns.rma_report_menu"
REPORT_TIME = "rma_returns.rma_report_menu_time"
REPORT_SLA = "rma_returns.rma_report_sla_menu"
REPORT_COST = "rma_returns.rma_report_cost_menu"
OVERVIEW = "rma_returns.rma_dashboard_menu"


@tagged("post_install", "-at_install")
class TestRmaMenus(RmaCommon):
    """The Returns app, in an install without sale_management: each role finds
    there what its rights let it open, and nothing it cannot open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 2.0)])
        manager = "rma_returns.group_rma_manager"
        cls.manager = new_test_user(
            cls.env, login="rma_menu_manager", groups=f"base.group_user,{manager}"
        )
        cls.admin = new_test_user(
            cls.env, login="rma_menu_admin", groups=f"base.group_system,{manager}"
        )
        cls.clerk = new_test_user(cls.env, login="rma_menu_clerk", groups="stock.group_stock_user")
        cls.billing = new_test_user(
            cls.env, login="rma_menu_billing", groups="account.group_account_invoice"
        )

    # --- helpers ---
    def _menus(self, user):
        """The menu tree the web client loads for ``user``: {xmlid: node}."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        return {node["xmlid"]: node for key, node in menus.items() if key != "root"}

    def _children(self, menus, xmlid):
        by_id = {node["id"]: xmlid for xmlid, node in menus.items()}
        return [by_id[child] for child in menus[xmlid]["children"]]

    def _spec(self, model, arch):
        """What the web client reads for a view: its fields, with the display
        name of related records."""
        spec = {}
        for name in etree.fromstring(arch).xpath("//field[not(ancestor::field)]/@name"):
            relational = model._fields[name].relational
            spec[name] = {"fields": {"display_name": {}}} if relational else {}
        return spec

    def _open(self, user, menu):
        """Open ``menu``'s action as ``user`` the way the web client does: its
        views, then the records they show. Returns the ids of the records listed."""
        action = menu.action
        if action._name == "ir.actions.act_url":
            # the scan station page creates the scan wizard of the user
            self.assertEqual(action.url, "/rma/scan")
            self.assertTrue(self.env["rma.scan.wizard"].with_user(user).has_access("create"))
            return None
        model = self.env[action.res_model].with_user(user)
        modes = action.view_mode.split(",")
        views = model.get_views([(False, mode) for mode in modes] + [(False, "search")])["views"]
        if action.res_model == "res.config.settings":
            settings = model.create({})
            settings.web_read(self._spec(model, views["form"]["arch"]))
            return None
        shown = set()
        for mode in {"list", "kanban"} & set(modes):
            spec = self._spec(model, views[mode]["arch"])
            records = model.web_search_read([], spec, limit=None)["records"]
            shown.update(record["id"] for record in records)
        if "form" in modes:
            model.search([], limit=1).web_read(self._spec(model, views["form"]["arch"]))
        return shown

    def _assert_app(self, user, children, config_children=()):
        menus = self._menus(user)
        self.assertTrue(ROOT in menus, "the Returns app is on the home screen")
        self.assertEqual(
            menus[ROOT]["web_icon"], "rma_returns,static/description/icon.png", "its icon"
        )
        self.assertEqual(self._children(menus, ROOT), children)
        if config_children:
            self.assertEqual(self._children(menus, CONFIG), list(config_children))
        for xmlid in children + list(config_children):
            if xmlid not in (CONFIG, REPORTING):
                with self.subTest(menu=xmlid):
                    self._open(user, self.env.ref(xmlid))
        return menus

    # --- each role ---
    def test_agent_finds_returns_products_and_scan(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        self._assert_app(self.agent, [RETURNS, PRODUCTS, SCAN, REPORTING])
        menus = self._menus(self.agent)
        self.assertEqual(
            self._children(menus, REPORTING), [REPORT, REPORT_TIME, REPORT_SLA, REPORT_COST]
        )
        self.assertIn(rma.line_ids.id, self._open(self.agent, self.env.ref(REPORT)))
        self.assertIn(rma.line_ids.id, self._open(self.agent, self.env.ref(REPORT_COST)))
        rma.with_user(self.agent).action_submit()
        self.assertIn(rma.id, self._open(self.agent, self.env.ref(REPORT_SLA)))
        self.assertIn(rma.id, self._open(self.agent, self.env.ref(RETURNS)))
        self.assertLessEqual(set(rma.line_ids.ids), self._open(self.agent, self.env.ref(PRODUCTS)))
        # agents have no Inventory rights: no Inventory > Operations > Customer Returns
        self.assertNotIn("rma_returns.rma_order_menu_stock", self._menus(self.agent))

    def test_manager_configures_policies_and_reasons(self):
        self._create_rma(self.order, {self.product_a: 1.0})
        menus = self._assert_app(
            self.manager,
            [OVERVIEW, RETURNS, PRODUCTS, SCAN, REPORTING, CONFIG],
            [POLICIES, REASONS],
        )
        self.assertNotIn(SETTINGS, menus, "the settings are for administrators only")
        overview = self._open(self.manager, self.env.ref(OVERVIEW))
        self.assertEqual(overview, {self.env.company.id}, "one card, the manager's company")

    def test_admin_manager_opens_the_settings(self):
        self._assert_app(
            self.admin,
            [OVERVIEW, RETURNS, PRODUCTS, SCAN, REPORTING, CONFIG],
            [SETTINGS, POLICIES, REASONS],
        )

    def test_warehouse_clerk_sees_returns_and_scans(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        menus = self._assert_app(self.clerk, [RETURNS, PRODUCTS, SCAN])
        self.assertIn(rma.id, self._open(self.clerk, self.env.ref(RETURNS)))
        self.assertNotIn(CONFIG, menus)

    def test_billing_user_reads_returns(self):
        rma = self._create_rma(self.order, {self.product_a: 1.0})
        menus = self._assert_app(self.billing, [RETURNS, PRODUCTS])
        self.assertIn(rma.id, self._open(self.billing, self.env.ref(RETURNS)))
        self.assertNotIn(SCAN, menus, "the scan station is the warehouse's")
        self.assertNotIn(CONFIG, menus)

    def test_plain_user_has_no_returns_app(self):
        user = new_test_user(self.env, login="rma_menu_plain", groups="base.group_user")
        self.assertNotIn(ROOT, self._menus(user))

    # --- settings ---
    def test_settings_are_an_app_of_their_own(self):
        action = self.env.ref("rma_returns.rma_config_settings_action")
        self.assertEqual(action.res_model, "res.config.settings")
        self.assertEqual(action.context, "{'module': 'rma_returns', 'bin_size': False}")
        self.assertEqual(self.env.ref(SETTINGS).action, action)
        settings = self.env["res.config.settings"].with_user(self.admin)
        arch = etree.fromstring(settings.get_views([(False, "form")])["views"]["form"]["arch"])
        apps = arch.xpath("//app[@name='rma_returns']")
        self.assertEqual(len(apps), 1, "the Returns block shows whatever else is installed")
        self.assertEqual(apps[0].get("string"), "Returns")
        self.assertTrue(apps[0].xpath(".//field[@name='rma_notify_approved']"))

    # --- kanban ---
    def test_kanban_folds_closed_states(self):
        self._create_rma(self.order, {self.product_a: 1.0})
        groups = (
            self.env["rma.order"]
            .with_user(self.agent)
            .web_read_group([], ["state"], ["state"], lazy=True)["groups"]
        )
        folded = {group["state"]: group.get("__fold") for group in groups}
        self.assertEqual(
            folded,
            {
                "draft": False,
                "submitted": False,
                "approved": False,
                "received": False,
                "done": True,
                "rejected": True,
                "cancelled": True,
            },
        )
