from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.rma_order_slip import SCAN_PATH


class RmaScanWizard(models.TransientModel):
    """One field a USB or phone scanner types into: the slip's QR code (its URL or
    token) or the Code 128 return number. Opens the return's pending receipt."""

    _name = "rma.scan.wizard"
    _description = "Scan a Return Slip"

    code = fields.Char(
        string="Scanned Code",
        required=True,
        help="Scan the QR code or the barcode of the return slip, or type the return number.",
    )

    # === ACTION METHODS === #
    def action_scan(self):
        """Open the pending receipt of the scanned return, else the return itself."""
        self.ensure_one()
        return self._rma_scan_action(self.code)

    # === BUSINESS METHODS === #
    @api.model
    def _rma_scan_action(self, code):
        """The window action a scan of ``code`` opens: the pending receipt of the
        return (inventory users), else the return. Also used by the scan station
        page (/rma/scan), where the scanner's Enter submits the code.

        :raise UserError: no return visible to the user matches ``code``
        """
        rma = self._find_rma(code)
        if not rma:
            raise UserError(
                self.env._(
                    "No return matches “%(code)s”. Scan the QR code or the barcode of a "
                    "return slip, or type the return number.",
                    code=(code or "").strip(),
                )
            )
        receipts = rma._rma_pending_receipts()
        if receipts and self.env.user.has_group("stock.group_stock_user"):
            action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
            action.update(views=[(False, "form")], view_mode="form", res_id=receipts[0].id)
            return action
        return rma._rma_window_action(rma.name)

    @api.model
    def _find_rma(self, code):
        """The return (visible to the user) that ``code`` designates: a scan URL,
        a bare slip token or a return number."""
        code = (code or "").strip()
        if not code:
            return self.env["rma.order"]
        if SCAN_PATH in code:
            code = code.split(SCAN_PATH, 1)[1].split("?", 1)[0].split("#", 1)[0].strip("/")
        return self.env["rma.order"].search(
            [
                "|",
                ("slip_token", "=", code),
                ("name", "in", list({code, code.upper()})),
            ],
            limit=1,
        )
