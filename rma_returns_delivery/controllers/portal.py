from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.rma_returns.controllers.portal import RmaCustomerPortal
from odoo.http import request

from ..models.rma_order_label import CARRIER_ERRORS


class RmaDeliveryPortal(RmaCustomerPortal):
    def _rma_detail_values(self, rma_sudo, access_token, message=None, error=None, **kw):
        values = super()._rma_detail_values(
            rma_sudo, access_token, message=message, error=error, **kw
        )
        values["pickup_slots"] = rma_sudo._rma_pickup_slots() if rma_sudo.can_book_pickup else []
        return values

    @http.route(
        "/my/returns/<int:rma_id>/pickup",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_return_pickup(self, rma_id, access_token=None, slot=None, **kw):
        """Book the door pickup in one of the windows offered on the page."""
        rma_sudo = self._rma_check_access(rma_id, access_token)
        chosen = next((s for s in rma_sudo._rma_pickup_slots() if s["key"] == slot), None)
        try:
            if not chosen:
                raise ValueError(request.env._("Choose one of the pickup windows offered."))
            rma_sudo._rma_book_pickup(chosen["start"], chosen["end"])
        except CARRIER_ERRORS as exc:
            values = self._rma_detail_values(rma_sudo, access_token, error=str(exc))
            return request.render("rma_returns.portal_return_page", values)
        return request.redirect(self._rma_url(rma_sudo, access_token, message="pickup_booked"))

    @http.route(
        "/my/returns/<int:rma_id>/label/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_return_label(self, rma_id, attachment_id, access_token=None, **kw):
        """The carrier's prepaid label of the return (only its own labels)."""
        rma_sudo = self._rma_check_access(rma_id, access_token)
        label = rma_sudo.label_attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not label:
            raise NotFound()
        stream = request.env["ir.binary"]._get_stream_from(label)
        return stream.get_response(as_attachment=True)
