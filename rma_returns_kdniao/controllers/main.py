from odoo import http
from odoo.exceptions import UserError
from odoo.http import request


class KdniaoPushController(http.Controller):
    @http.route("/rma/kdniao/push", type="http", auth="public", methods=["POST"], csrf=False)
    def kdniao_push(self, RequestData=None, DataSign=None, **kwargs):
        """Kdniao's tracking push: signed form post of RequestData + DataSign.
        A bad signature is refused (403); a repeated push records nothing twice."""
        Rma = request.env["rma.order"].sudo()
        try:
            ebusiness_id = Rma._kdniao_receive_push(RequestData or "", DataSign or "")
        except UserError as error:
            body = Rma._kdniao_push_answer("", success=False, reason=str(error))
            return request.make_json_response(body, status=403)
        return request.make_json_response(Rma._kdniao_push_answer(ebusiness_id))
