from lxml import html
from werkzeug.urls import url_encode

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaScan(RmaCommon, HttpCase):
    """Scanning a slip's QR code: warehouse staff land on the receipt, everybody
    else sees only the return number and state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tests approve by hand
        cls.env.ref("rma_returns.rma_policy_default").auto_approve = False
        cls.customer.write({"street": "7 Rosemary Lane", "city": "Leeds"})
        cls.order = cls._create_order([(cls.product_a, 2.0)])
        cls.stock_user = new_test_user(
            cls.env, login="rma_scan_stock", groups="base.group_user,stock.group_stock_user"
        )
        cls.accountant = new_test_user(
            cls.env,
            login="rma_scan_account",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.portal_user = new_test_user(
            cls.env, login="rma_scan_portal", groups="base.group_portal", partner_id=cls.customer.id
        )

    def setUp(self):
        super().setUp()
        self.rma = self._create_rma(self.order, {self.product_a: 2.0})
        self.rma.action_submit()
        self.rma.action_approve()
        self.path = f"/rma/scan/{self.rma.slip_token}"

    def _receipt(self):
        """The return receipt the approval created, still waiting."""
        receipt = self.rma._rma_pending_receipts()
        self.assertEqual(len(receipt), 1)
        return receipt

    def _scan(self, path=None):
        return self.url_open(path or self.path, allow_redirects=False)

    def _assert_minimal_page(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.rma.name, response.text)
        self.assertIn("Approved", response.text)
        for private in ("Ruth Returner", "Rosemary Lane", "ruth@example.com", "Hiking Boots"):
            self.assertNotIn(private, response.text)

    # --- the route ---
    def _assert_station(self, response, code):
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith("/rma/scan?" + url_encode({"code": code})),
            response.headers["Location"],
        )

    def test_stock_user_lands_on_the_scan_station(self):
        """A phone's camera app opens the QR's URL: the clerk lands on the
        station showing the parcel."""
        self._receipt()
        self.authenticate("rma_scan_stock", "rma_scan_stock")
        self._assert_station(self._scan(), self.rma.slip_token)

    def test_agent_lands_on_the_scan_station(self):
        self.rma.action_receive()
        self.authenticate("rma_agent", "rma_agent")
        self._assert_station(self._scan(), self.rma.slip_token)

    def test_internal_reader_without_stock_rights_gets_the_return(self):
        self._receipt()
        self.authenticate("rma_scan_account", "rma_scan_account")
        response = self._scan()
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/odoo/returns/{self.rma.id}"))

    def test_portal_customer_sees_minimal_page(self):
        self._receipt()
        self.authenticate("rma_scan_portal", "rma_scan_portal")
        self._assert_minimal_page(self._scan())

    def test_anonymous_sees_minimal_page(self):
        self._receipt()
        self._assert_minimal_page(self._scan())

    def test_unknown_or_partial_token_is_404(self):
        self.authenticate("rma_scan_stock", "rma_scan_stock")
        for path in (
            "/rma/scan/not-a-token",
            self.path[:-1],
            self.path.upper() if self.path.upper() != self.path else self.path + "x",
            f"/rma/scan/{self.rma.id}",
        ):
            self.assertEqual(self._scan(path).status_code, 404, path)

    # --- the back-office wizard ---
    def _wizard_scan(self, code, user=None):
        form = Form(self.env["rma.scan.wizard"].with_user(user or self.stock_user))
        form.code = code
        return form.save().action_scan()

    def test_wizard_opens_receipt_from_url_token_or_number(self):
        receipt = self._receipt()
        for code in (
            self.rma.slip_scan_url,
            f"  {self.rma.slip_scan_url}?utm=x ",
            self.rma.slip_token,
            self.rma.name,
        ):
            action = self._wizard_scan(code)
            self.assertEqual((action["res_model"], action["res_id"]), ("stock.picking", receipt.id))

    def test_wizard_opens_return_without_pending_receipt(self):
        self.rma.action_receive()
        self.assertFalse(self.rma._rma_pending_receipts())
        action = self._wizard_scan(self.rma.name, user=self.agent)
        self.assertEqual((action["res_model"], action["res_id"]), ("rma.order", self.rma.id))

    def test_wizard_unknown_code(self):
        with self.assertRaisesRegex(UserError, "No return matches .RMA/0000/99999"):
            self._wizard_scan("RMA/0000/99999")

    # --- the scan station page (the "Scan a Return" menus) ---
    def _station(self, code=None):
        query = f"?{url_encode({'code': code})}" if code is not None else ""
        return self.url_open(f"/rma/scan{query}", allow_redirects=False)

    def test_menus_open_the_scan_station(self):
        action = self.env.ref("rma_returns.rma_scan_station_action")
        self.assertEqual((action.type, action.url), ("ir.actions.act_url", "/rma/scan"))
        for menu in ("rma_scan_wizard_menu_stock", "rma_scan_menu"):
            self.assertEqual(self.env.ref(f"rma_returns.{menu}").action, action)

    def test_station_is_a_form_that_enter_submits(self):
        """A scanner types the code then Enter: a form with a single text field
        submits itself on Enter (HTML implicit submission), as a GET of /rma/scan."""
        self.authenticate("rma_scan_stock", "rma_scan_stock")
        response = self._station()
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.text)
        forms = page.xpath("//form[hasclass('o_rma_scan_form')]")
        self.assertEqual(len(forms), 1)
        self.assertEqual((forms[0].get("method"), forms[0].get("action")), ("get", "/rma/scan"))
        fields = forms[0].xpath(".//input[not(@type='hidden')]")
        self.assertEqual([(f.get("type"), f.get("name")) for f in fields], [("text", "code")])
        self.assertIsNotNone(fields[0].get("autofocus"), "the scanner types into it at once")
