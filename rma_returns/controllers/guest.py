from odoo import http
from odoo.http import request
from odoo.tools import email_normalize
from odoo.tools.sql import escape_psql

from .portal import _clean_text


class RmaGuestPortal(http.Controller):
    """Returns without an account: order number + the e-mail on the order lead
    to that order's return form through a link of its own (rma.guest.token),
    valid for a day and for that form only."""

    @http.route("/returns/guest", type="http", auth="public", website=True, methods=["GET"])
    def guest_return(self, **kw):
        return request.render("rma_returns.portal_guest_return", {"page_name": "rma_guest"})

    @http.route("/returns/guest", type="http", auth="public", website=True, methods=["POST"])
    def guest_return_lookup(self, order_ref="", email="", **kw):
        order_ref, email = _clean_text(order_ref), _clean_text(email)
        attempts = request.env["rma.guest.attempt"]
        ip_address = request.httprequest.remote_addr or "unknown"
        values = {"page_name": "rma_guest", "order_ref": order_ref[:64], "email": email[:254]}
        allowed, ticket = attempts._rma_take(ip_address, order_ref)
        if not allowed:
            values["error"] = request.env._(
                "Too many attempts. Please wait a few minutes before trying again."
            )
            return request.render("rma_returns.portal_guest_return", values, status=429)
        order_sudo = self._guest_find_order(order_ref, email)
        if not order_sudo:
            # One message for unknown orders and wrong e-mails alike.
            values["error"] = request.env._(
                "We could not find an order with this number and e-mail address. "
                "Please check both and try again."
            )
            return request.render("rma_returns.portal_guest_return", values)
        attempts._rma_give_back(ticket)
        token = request.env["rma.guest.token"]._rma_issue(order_sudo)
        return request.redirect(f"/my/orders/{order_sudo.id}/return?access_token={token}")

    def _guest_find_order(self, order_ref, email):
        """The confirmed order named ``order_ref`` whose customer's e-mail is
        ``email``, or an empty recordset: the two cases look the same."""
        order_model = request.env["sale.order"].sudo()
        ref = (order_ref or "").strip()
        wanted = email_normalize(email or "")
        if not ref or not wanted or len(ref) > 64:
            return order_model
        orders = order_model.search(
            [("name", "=ilike", escape_psql(ref)), ("state", "=", "sale")], limit=5
        )
        for order in orders:
            on_order = order.partner_id.email_normalized or ""
            if on_order and on_order == wanted:
                return order
        return order_model
