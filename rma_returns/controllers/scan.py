from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from .portal import _valid_token


class RmaScanController(http.Controller):
    """``/rma/scan/<token>``: where the QR code of a return slip leads."""

    @http.route("/rma/scan/<string:token>", type="http", auth="public", methods=["GET"])
    def rma_scan(self, token, **kwargs):
        """Warehouse staff and returns agents land on the scan station showing the
        parcel; other staff on the return; anybody else sees the return number
        and its state, nothing personal."""
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
                if rma._rma_station_allowed():
                    return request.redirect("/rma/scan?" + url_encode({"code": token}))
                return request.redirect(f"/odoo/returns/{rma.id}")
        return self._rma_scan_public_page(rma_sudo)

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
