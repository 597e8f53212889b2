from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal import _clean_text, _valid_token

# Longest code the scan station looks up: a scan URL with its slip token.
MAX_SCAN_CODE = 256

# where the web client shows a record of the action a scan opens
SCAN_TARGET_PATHS = {
    "stock.picking": "/odoo/action-stock.action_picking_tree_all/%(id)s",
    "rma.order": "/odoo/returns/%(id)s",
}


class RmaScanController(http.Controller):
    """``/rma/scan/<token>``: where the QR code of a return slip leads."""

    @http.route("/rma/scan/<string:token>", type="http", auth="public", methods=["GET"])
    def rma_scan(self, token, **kwargs):
        """Warehouse staff land on the pending receipt of the return; anybody else
        sees the return number and its state, nothing personal."""
        token = _valid_token(token)
        if not token:
            raise NotFound()
        rma_sudo = request.env["rma.order"]._rma_find_by_slip_token(token)
        if not rma_sudo:
            raise NotFound()
        user = request.env.user
        if not user._is_public() and user._is_internal():
            rma = rma_sudo.with_user(user)
            if rma.has_access("read"):
                if user.has_group("stock.group_stock_user"):
                    receipts = rma._rma_pending_receipts()
                    if receipts:
                        return request.redirect(
                            f"/odoo/action-stock.action_picking_tree_all/{receipts[0].id}"
                        )
                return request.redirect(f"/odoo/returns/{rma.id}")
        return self._rma_scan_public_page(rma_sudo)

    @http.route("/rma/scan", type="http", auth="user", methods=["GET"])
    def rma_scan_station(self, code=None, **kwargs):
        """Back-office "Scan a Return": one text field a USB or phone scanner types
        the slip's QR URL or barcode into. The scanner's Enter submits the plain
        HTML form (implicit submission), which opens the pending receipt, or the
        return; an unknown code shows the page again with the message."""
        if not request.env.user._is_internal():
            raise NotFound()
        error = False
        code = _clean_text(code).strip()
        if len(code) > MAX_SCAN_CODE:
            error = request.env._("This is not the code of a return slip.")
        elif code:
            try:
                action = request.env["rma.scan.wizard"]._rma_scan_action(code)
            except UserError as exc:
                error = exc.args[0]
            else:
                return request.redirect(
                    SCAN_TARGET_PATHS[action["res_model"]] % {"id": action["res_id"]}
                )
        response = request.render(
            "rma_returns.rma_scan_station_page", {"code": code, "error": error}
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def _rma_scan_public_page(self, rma_sudo):
        """Branded status page: the shop, the return number and state, where the
        parcel goes (the warehouse's name and city), and a staff login link that
        comes back to this scan. Nothing about the customer or the goods."""
        states = dict(rma_sudo._fields["state"]._description_selection(request.env))
        warehouse = rma_sudo.warehouse_id or rma_sudo.sale_order_id.warehouse_id
        company = rma_sudo.company_id
        destination = ", ".join(filter(None, [warehouse.name, warehouse.partner_id.city]))
        response = request.render(
            "rma_returns.rma_scan_public_page",
            {
                "rma_name": rma_sudo.name,
                "rma_state": states[rma_sudo.state],
                "company_name": company.name,
                "company_id": company.id,
                "destination": destination,
                "login_url": "/web/login?" + url_encode({"redirect": request.httprequest.path}),
            },
        )
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store"
        return response
