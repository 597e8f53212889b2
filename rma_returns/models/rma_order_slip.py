import base64
import io

import qrcode

from odoo import api, fields, models

from .rma_order import _new_slip_token

SCAN_PATH = "/rma/scan/"


class RmaOrder(models.Model):
    """The return slip: scan URL, QR code and Code 128 barcode printed on it."""

    _inherit = "rma.order"

    # === FIELDS === #
    slip_scan_url = fields.Char(
        string="Scan URL",
        compute="_compute_slip_scan_url",
        groups="base.group_user",
        help="Encoded in the QR code of the return slip: scanning it opens the receipt.",
    )

    # === COMPUTE METHODS === #
    @api.depends("slip_token")
    def _compute_slip_scan_url(self):
        """``<web.base.url>/rma/scan/<slip token>``, the URL in the slip's QR code."""
        for rma in self:
            rma.slip_scan_url = rma._rma_slip_scan_url()

    # === ACTION METHODS === #
    def action_print_slip(self):
        """Download the return slip (A4/Letter page with QR code)."""
        self.check_access("read")
        return self.env.ref("rma_returns.action_report_rma_slip").report_action(self)

    def action_print_slip_label(self):
        """Download the return slip as a 4x6 in shipping label."""
        self.check_access("read")
        return self.env.ref("rma_returns.action_report_rma_slip_label").report_action(self)

    def action_regenerate_slip_token(self):
        """Give these returns a new random slip token: slips already printed stop
        working, the next print carries the new QR code."""
        self._rma_check_rights("slip")
        tokens = self._rma_new_slip_tokens(len(self))
        for rma, token in zip(self, tokens, strict=True):
            rma.sudo().slip_token = token
        self.message_post(
            body=self.env._(
                "New return slip code generated: previously printed slips no longer scan."
            )
        )
        return True

    # === BUSINESS METHODS === #
    def _rma_slip_scan_url(self):
        """Absolute URL the slip's QR code encodes (empty without a token)."""
        self.ensure_one()
        token = self.sudo().slip_token
        if not token:
            return ""
        return f"{self.get_base_url()}{SCAN_PATH}{token}"

    def _rma_slip_qr_data_uri(self):
        """PNG of the scan URL's QR code, as a ``data:`` URI for the report."""
        self.ensure_one()
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4
        )
        code.add_data(self._rma_slip_scan_url())
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()

    def _rma_slip_barcode_data_uri(self):
        """PNG of the return number as a Code 128 barcode, as a ``data:`` URI."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "Code128", self.name, width=600, height=120, humanreadable=0
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()

    def _rma_slip_return_address(self):
        """Where the parcel goes: the return warehouse's address, else the company's."""
        self.ensure_one()
        return self.warehouse_id.partner_id or self.company_id.partner_id

    @api.model
    def _rma_new_slip_tokens(self, count):
        """``count`` fresh tokens that no return uses yet."""
        tokens = set()
        while len(tokens) < count:
            candidates = {_new_slip_token() for _i in range(count - len(tokens))}
            taken = self.sudo().search([("slip_token", "in", list(candidates))])
            tokens |= candidates - set(taken.mapped("slip_token"))
        return list(tokens)

    @api.model
    def _rma_find_by_slip_token(self, token):
        """The return whose slip token is exactly ``token`` (sudo), or an empty recordset."""
        if not token or not isinstance(token, str):
            return self.browse()
        return self.sudo().search([("slip_token", "=", token)], limit=1)
