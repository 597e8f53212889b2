import base64
import glob
import os
import subprocess
import tempfile

import zxingcpp
from PIL import Image
from psycopg2 import IntegrityError

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import RmaCommon

SLIP = "rma_returns.action_report_rma_slip"
LABEL = "rma_returns.action_report_rma_slip_label"


@tagged("post_install", "-at_install")
class TestRmaSlip(RmaCommon, HttpCase):
    """The return slip as printed: its QR code and barcode decode back to the
    scan URL and the return number; its content and customs block."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "street": "7 Rosemary Lane",
                "city": "Leeds",
                "zip": "LS1 4AP",
                "country_id": cls.env.ref("base.uk").id,
            }
        )
        cls.warehouse.partner_id = cls.env["res.partner"].create(
            {"name": "Returns Depot", "street": "1 Dock Road", "city": "Antwerp"}
        )
        cls.order = cls._create_order([(cls.product_a, 3.0), (cls.product_b, 1.0)])
        cls.product_a.write(
            {"rma_hs_code": "6403.99", "rma_origin_country_id": cls.env.ref("base.vn").id}
        )

    def setUp(self):
        super().setUp()
        self.rma = self._create_rma(self.order, {self.product_a: 2.0, self.product_b: 1.0})
        self.rma.write({"warehouse_id": self.warehouse.id})
        self.rma.action_submit()
        self.rma.action_approve()

    def _render_pdf(self, report=SLIP):
        content, fmt = (
            self.env["ir.actions.report"]
            .with_context(**self._real_pdf_context())
            ._render_qweb_pdf(report, self.rma.ids)
        )
        self.assertEqual(fmt, "pdf")
        return content

    def _render_html(self, report=SLIP):
        return str(self.env["ir.actions.report"]._render_qweb_html(report, self.rma.ids)[0])

    def _scan_pdf(self, content):
        """Rasterize each page with pdftoppm, decode its codes with zxing-cpp.

        :return: (list of {format name: [texts]} per page, pdfinfo's page size line)
        """
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "slip.pdf")
            with open(path, "wb") as pdf:
                pdf.write(content)
            subprocess.run(["pdftoppm", "-r", "200", "-png", path, f"{tmp}/page"], check=True)
            info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True)
            size = next(line for line in info.stdout.splitlines() if line.startswith("Page size"))
            pages = []
            for image_path in sorted(glob.glob(f"{tmp}/page*.png")):
                found = {}
                for code in zxingcpp.read_barcodes(Image.open(image_path)):
                    found.setdefault(code.format.name, []).append(code.text)
                pages.append(found)
        return pages, size

    def test_qr_code_decodes_to_scan_url(self):
        url = self.rma.slip_scan_url
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        self.assertEqual(url, f"{base}/rma/scan/{self.rma.slip_token}")
        self.assertGreaterEqual(len(self.rma.slip_token), 22, "at least 128 random bits")
        pages, _size = self._scan_pdf(self._render_pdf())
        self.assertEqual(len(pages), 1, "one page per return")
        self.assertEqual(pages[0].get("QRCode"), [url])
        self.assertEqual(pages[0].get("Code128"), [self.rma.name])

    def test_label_is_4x6_inches_with_the_same_codes(self):
        pages, size = self._scan_pdf(self._render_pdf(LABEL))
        self.assertEqual(len(pages), 1)
        width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
        # 4 x 6 in = 288 x 432 pt
        self.assertAlmostEqual(width, 288, delta=4)
        self.assertAlmostEqual(height, 432, delta=4)
        self.assertEqual(pages[0].get("QRCode"), [self.rma.slip_scan_url])
        self.assertEqual(pages[0].get("Code128"), [self.rma.name])

    def test_regenerated_token_changes_qr_and_old_url_404s(self):
        old_url = self.rma.slip_scan_url
        old_path = old_url.split("/rma/scan/")[1]
        self.assertEqual(self.url_open(f"/rma/scan/{old_path}").status_code, 200)
        self.rma.with_user(self.agent).action_regenerate_slip_token()
        new_url = self.rma.slip_scan_url
        self.assertNotEqual(new_url, old_url)
        pages, _size = self._scan_pdf(self._render_pdf())
        self.assertEqual(pages[0].get("QRCode"), [new_url])
        self.assertEqual(self.url_open(f"/rma/scan/{old_path}").status_code, 404)
        self.assertEqual(self.url_open(new_url.split(self.base_url())[1]).status_code, 200)

    def test_tokens_are_unique_and_not_the_record_id(self):
        other = self._create_rma(self.order, {self.product_a: 1.0})
        self.assertNotEqual(other.slip_token, self.rma.slip_token)
        self.assertNotIn(str(self.rma.id), self.rma.slip_token.split("_"))
        tokens = self.env["rma.order"]._rma_new_slip_tokens(50)
        self.assertEqual(len(set(tokens)), 50)

    def test_token_has_at_least_128_random_bits_and_is_unique_in_db(self):
        old = self.rma.slip_token
        for token in (old, *self.env["rma.order"]._rma_new_slip_tokens(5)):
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            self.assertGreaterEqual(len(raw) * 8, 128, token)
        other = self._create_rma(self.order, {self.product_a: 1.0})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            other.slip_token = old
            other.flush_recordset(["slip_token"])
        self.rma.with_user(self.agent).action_regenerate_slip_token()
        self.assertNotEqual(self.rma.slip_token, old)
        self.assertFalse(self.env["rma.order"]._rma_find_by_slip_token(old))
        found = self.env["rma.order"]._rma_find_by_slip_token(self.rma.slip_token)
        self.assertEqual(found, self.rma)

    def test_agent_downloads_slip_from_the_form(self):
        form = self.env.ref("rma_returns.rma_order_view_form_slip").arch
        for button in ("action_print_slip", "action_print_slip_label"):
            self.assertIn(f'name="{button}"', form)
        self.authenticate("rma_agent", "rma_agent")
        for report in ("report_rma_slip", "report_rma_slip_label"):
            response = self.url_open(f"/report/pdf/rma_returns.{report}/{self.rma.id}")
            self.assertEqual(response.status_code, 200, report)
            self.assertEqual(response.headers["Content-Type"], "application/pdf")
            # tests render the report's HTML instead of calling wkhtmltopdf
            self.assertIn(self.rma.name.encode(), response.content)

    def test_slip_content(self):
        self.rma.write({"tracking_ref": "1Z999AA10123456784", "carrier_name": "UPS"})
        html = self._render_html()
        for text in (
            self.rma.name,
            "Ruth Returner",
            "7 Rosemary Lane",
            "Returns Depot",
            "1 Dock Road",
            "Hiking Boots",
            "Fleece Jacket",
            "1Z999AA10123456784",
            "Instructions",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Customs declaration", html, "domestic return: no customs block")

    def test_return_address_falls_back_to_company(self):
        self.rma.warehouse_id.partner_id = False  # a warehouse without an address
        html = self._render_html()
        self.assertNotIn("Returns Depot", html)
        self.assertIn(self.company.partner_id.name, html)

    def test_cross_border_slip_has_customs_block(self):
        self.rma.is_cross_border = True
        for report in (SLIP, LABEL):
            html = self._render_html(report)
            self.assertIn("Customs declaration", html)
            self.assertIn("Returned goods", html)
            self.assertIn("6403.99", html)
            self.assertIn(">VN<", html.replace(" ", ""))
            # declared value: 2 boots at 100 + 1 jacket at 60, taxes excluded
            self.assertIn("260.00", html)

    def test_print_buttons(self):
        action = self.rma.with_user(self.agent).action_print_slip()
        self.assertEqual(action["report_name"], "rma_returns.report_rma_slip")
        action = self.rma.with_user(self.agent).action_print_slip_label()
        self.assertEqual(action["report_name"], "rma_returns.report_rma_slip_label")
