import base64
import re

from lxml import html
from werkzeug.urls import url_encode

from odoo.tests import HttpCase, new_test_user, tagged

from .common import RmaCommon

# a 1x1 PNG: a customer's photo of the parcel
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestRmaScanStation(RmaCommon, HttpCase):
    """The scan station (/rma/scan) as the warehouse uses it: scan a slip, see
    what the customer said and showed, confirm the quantities, choose the
    dispositions, validate, and scan the next parcel on the same page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("rma_returns.rma_policy_default")
        cls.policy.write({"auto_approve": False, "refund_timing": "receipt"})
        cls.order = cls._create_order([(cls.product_a, 2.0), (cls.product_b, 1.0)])
        cls.clerk = new_test_user(
            cls.env, login="station_clerk", groups="base.group_user,stock.group_stock_user"
        )
        new_test_user(
            cls.env,
            login="station_account",
            groups="base.group_user,account.group_account_invoice",
        )
        new_test_user(
            cls.env, login="station_portal", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.scrap_location = cls.env["stock.location"].search(
            [("scrap_location", "=", True), ("company_id", "in", [cls.company.id, False])],
            limit=1,
        )

    def setUp(self):
        super().setUp()
        self.rma = self._create_rma(self.order, {self.product_a: 2.0, self.product_b: 1.0})
        self.rma.description = "The box arrived crushed."
        fleece = self.rma.line_ids.filtered(lambda line: line.product_id == self.product_b)
        fleece.condition = "damaged"
        self.photo = self.env["ir.attachment"].create(
            {
                "name": "crushed.png",
                "raw": PNG,
                "res_model": "rma.order",
                "res_id": self.rma.id,
            }
        )
        self.rma.action_submit()
        self.rma.action_approve()
        self.stock_before = {p: self._qty(p, self.stock_location) for p in self._products()}

    # --- helpers ---
    def _products(self):
        return (self.product_a, self.product_b)

    def _qty(self, product, location):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "child_of", location.id)]
        )
        return sum(quants.mapped("quantity"))

    def _by_product(self, field):
        return {line.product_id: line[field] for line in self.rma.line_ids}

    def _station(self, code=None, **params):
        if code is not None:
            params["code"] = code
        query = f"?{url_encode(params)}" if params else ""
        return self.url_open(f"/rma/scan{query}", allow_redirects=False)

    def _page(self, response, status=200):
        self.assertEqual(response.status_code, status, response.text[:500])
        return html.fromstring(response.text)

    def _validate(self, page, quantities=None, dispositions=None):
        """Post the parcel's form as shown, with the quantities ({product: qty})
        and dispositions ({product: code}) changed."""
        form = page.xpath("//form[hasclass('o_rma_scan_validate_form')]")[0]
        data = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
        for row in form.xpath(".//tr[hasclass('o_rma_scan_line')]"):
            line = self.env["rma.order.line"].browse(int(row.get("data-line-id")))
            qty_input = row.xpath(".//input[hasclass('o_rma_scan_qty')]")
            if qty_input and quantities and line.product_id in quantities:
                data[qty_input[0].get("name")] = str(quantities[line.product_id])
            select = row.xpath(".//select[hasclass('o_rma_scan_disposition')]")[0]
            selected = select.xpath("./option[@selected]")
            data[select.get("name")] = (dispositions or {}).get(
                line.product_id, selected[0].get("value") if selected else "restock"
            )
        return self.url_open("/rma/scan/validate", data=data, allow_redirects=False)

    def _scan_field(self, page):
        return page.xpath("//form[hasclass('o_rma_scan_form')]//input[@name='code']")[0]

    # --- tests ---
    def test_scan_shows_the_parcel_on_the_same_page(self):
        self.authenticate("station_clerk", "station_clerk")
        for code in (self.rma.slip_scan_url, f" {self.rma.slip_token} ", self.rma.name):
            page = self._page(self._station(code))
            self.assertEqual(
                page.xpath("string(//h2[hasclass('o_rma_scan_parcel_name')])"), self.rma.name
            )
            self.assertIn(
                "The box arrived crushed.",
                page.xpath("string(//div[hasclass('o_rma_scan_comment')])"),
            )
            self.assertEqual(
                page.xpath("//div[hasclass('o_rma_scan_photos')]//img/@src"),
                [f"/web/image/{self.photo.id}/160x160"],
            )
            rows = {
                r.xpath("string(.//span[hasclass('o_rma_scan_product')])"): (
                    r.xpath("string(.//div[hasclass('o_rma_scan_reason')])"),
                    r.xpath("string(.//div[hasclass('o_rma_scan_condition')])"),
                    r.xpath(".//input[hasclass('o_rma_scan_qty')]/@value"),
                )
                for r in page.xpath("//tr[hasclass('o_rma_scan_line')]")
            }
            self.assertEqual(
                rows,
                {
                    "Hiking Boots": (self.reason.name, "Unopened", ["2"]),
                    "Fleece Jacket": (self.reason.name, "Damaged", ["1"]),
                },
            )
            validate = page.xpath("//button[hasclass('o_rma_scan_validate')]")
            self.assertIsNotNone(validate[0].get("autofocus"), "Enter validates the parcel")
            self.assertIsNone(self._scan_field(page).get("autofocus"))

    def test_clerk_receives_part_then_the_rest_on_the_next_scan(self):
        self.authenticate("station_clerk", "station_clerk")
        page = self._page(self._station(self.rma.slip_token))
        response = self._validate(
            page, {self.product_a: 1}, {self.product_b: "scrap", self.product_a: "restock"}
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertTrue(response.headers["Location"].endswith(f"/rma/scan?done={self.rma.id}"))
        # the next parcel: a message and the scan field focused
        page = self._page(self._station(done=self.rma.id))
        self.assertIn(self.rma.name, page.xpath("string(//div[hasclass('o_rma_scan_done')])"))
        self.assertIsNotNone(self._scan_field(page).get("autofocus"))
        # one boot and the fleece arrived: the fleece is scrapped, the boot restocked
        self.assertEqual(
            self._qty(self.product_a, self.stock_location), self.stock_before[self.product_a] + 1
        )
        self.assertEqual(
            self._qty(self.product_b, self.stock_location), self.stock_before[self.product_b]
        )
        self.assertEqual(self._qty(self.product_b, self.scrap_location), 1.0)
        self.assertEqual(self.rma.state, "approved", "one boot is still on its way")
        backorder = self.rma._rma_pending_receipts()
        self.assertEqual(backorder.move_ids.mapped("product_uom_qty"), [1.0])
        # the second boot comes in another parcel
        page = self._page(self._station(self.rma.name))
        self.assertEqual(len(page.xpath("//input[hasclass('o_rma_scan_qty')]")), 1)
        self.assertEqual(self._validate(page).status_code, 303)
        self.assertEqual(
            self._qty(self.product_a, self.stock_location), self.stock_before[self.product_a] + 2
        )
        self.assertEqual(
            self._by_product("qty_received"), {self.product_a: 2.0, self.product_b: 1.0}
        )
        self.assertIn(self.rma.state, ("received", "done"))

    def test_agent_receives_and_inspects_without_stock_rights(self):
        """Refund after inspection: the goods are disposed of at once, as chosen."""
        self.rma.refund_timing = "inspection"
        self.assertFalse(self.agent.has_group("stock.group_stock_user"))
        self.authenticate("rma_agent", "rma_agent")
        page = self._page(self._station(self.rma.name))
        self.assertEqual(
            self._validate(page, dispositions={self.product_a: "scrap"}).status_code, 303
        )
        self.assertEqual(self._qty(self.product_a, self.scrap_location), 2.0)
        self.assertEqual(
            self._qty(self.product_b, self.stock_location), self.stock_before[self.product_b] + 1
        )
        self.assertEqual(
            self._by_product("qty_disposed"), {self.product_a: 2.0, self.product_b: 1.0}
        )

    def test_clerk_inspects_goods_already_received(self):
        self.rma.refund_timing = "inspection"
        self.rma.action_receive()
        self.assertTrue(self.rma.can_apply_disposition)
        self.authenticate("station_clerk", "station_clerk")
        page = self._page(self._station(self.rma.name))
        self.assertFalse(page.xpath("//input[hasclass('o_rma_scan_qty')]"))
        self.assertIn("Apply", page.xpath("string(//button[hasclass('o_rma_scan_validate')])"))
        self._validate(page, dispositions={self.product_b: "scrap"})
        self.assertEqual(self._qty(self.product_b, self.scrap_location), 1.0)
        self.assertEqual(
            self._qty(self.product_a, self.stock_location), self.stock_before[self.product_a] + 2
        )

    def test_wrong_quantities_say_so_and_receive_nothing(self):
        self.authenticate("station_clerk", "station_clerk")
        page = self._page(self._station(self.rma.name))
        for quantities, message in (
            ({self.product_a: 3, self.product_b: 1}, "between 0 and 2"),
            ({self.product_a: "two", self.product_b: 1}, "between 0 and 2"),
            ({self.product_a: "nan", self.product_b: 1}, "between 0 and 2"),
            ({self.product_a: 0, self.product_b: 0}, "Enter the quantities"),
        ):
            response = self._validate(page, quantities, {self.product_b: "scrap"})
            error = self._page(response).xpath("string(//div[hasclass('o_rma_scan_error')])")
            self.assertIn(message, error, quantities)
        self.assertEqual(
            self._by_product("qty_received"), {self.product_a: 0.0, self.product_b: 0.0}
        )
        self.assertEqual(
            self._qty(self.product_a, self.stock_location), self.stock_before[self.product_a]
        )
        self.assertEqual(
            self._by_product("disposition"),
            {self.product_a: "restock", self.product_b: "restock"},
            "a refused parcel leaves the dispositions as they were",
        )

    def test_camera_button_is_a_progressive_enhancement(self):
        """Hidden in the page: the script shows it only where the browser has
        BarcodeDetector and a camera; the script is served as a static file."""
        self.authenticate("station_clerk", "station_clerk")
        page = self._page(self._station())
        button = page.xpath("//button[hasclass('o_rma_scan_camera_button')]")
        self.assertEqual(len(button), 1)
        self.assertIn("d-none", button[0].get("class"))
        self.assertEqual(button[0].get("type"), "button", "Enter still submits the code")
        src = page.xpath("//script[contains(@src, 'rma_scan_camera.js')]/@src")
        self.assertEqual(len(src), 1)
        script = self.url_open(src[0])
        self.assertEqual(script.status_code, 200)
        self.assertIn("'BarcodeDetector' in window".replace("'", '"'), script.text)

    def test_unknown_code_says_so(self):
        self.authenticate("station_clerk", "station_clerk")
        error = self._page(self._station("RMA/0000/99999")).xpath(
            "string(//div[hasclass('o_rma_scan_error')])"
        )
        self.assertIn("No return matches “RMA/0000/99999”", error)

    def test_only_clerks_and_agents_use_the_station(self):
        self.assertEqual(self._station(self.rma.name).status_code, 303, "anonymous: log in")
        self.authenticate("station_portal", "station_portal")
        self.assertEqual(self._station(self.rma.name).status_code, 404)
        self.authenticate("station_clerk", "station_clerk")
        page = self._page(self._station(self.rma.name))
        self.authenticate("station_account", "station_account")
        forbidden = self._page(self._station(self.rma.name), status=403)
        self.assertIn(
            "Inventory / User or Returns / User",
            forbidden.xpath("string(//div[hasclass('o_rma_scan_forbidden')])"),
        )
        self.assertFalse(forbidden.xpath("//h2[hasclass('o_rma_scan_parcel_name')]"))
        # the accountant's own session token: the refusal is the station's
        token = re.search(r'csrf_token"?: "(\w+)"', self.url_open("/odoo").text).group(1)
        form = page.xpath("//form[hasclass('o_rma_scan_validate_form')]")[0]
        form.xpath(".//input[@name='csrf_token']")[0].set("value", token)
        self.assertEqual(self._validate(page).status_code, 403)
        self.assertEqual(
            self._by_product("qty_received"), {self.product_a: 0.0, self.product_b: 0.0}
        )
