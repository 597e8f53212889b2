from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class RmaScanController(http.Controller):
    """``/rma/scan/<token>``: where the QR code of a return slip leads."""

    @http.route("/rma/scan/<string:token>", type="http", auth="public", methods=["GET"])
    def rma_scan(self, token, **kwargs):
        """Warehouse staff land on the pending receipt of the return; anybody else
        sees the return number and its state, nothing personal."""
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

    def _rma_scan_public_page(self, rma_sudo):
        """Minimal status page: return number and state only."""
        states = dict(rma_sudo._fields["state"]._description_selection(request.env))
        response = request.render(
            "rma_returns.rma_scan_public_page",
            {"rma_name": rma_sudo.name, "rma_state": states[rma_sudo.state]},
        )
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store"
        return response
