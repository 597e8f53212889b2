import math

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.rma_order_line_stock import DISPOSITIONS
from .portal import _clean_text

# Longest code the scan station looks up: a scan URL with its slip token.
MAX_SCAN_CODE = 256


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _qty(value):
    try:
        qty = float(_clean_text(value).replace(",", ".") or 0)
    except ValueError:
        return -1.0  # refused by the check with its message
    return qty if math.isfinite(qty) else -1.0


class RmaScanStation(http.Controller):
    """``/rma/scan``: the warehouse's scan station, one screen for a stream of
    parcels. Scan (or type) a slip code, see the return's reasons, conditions,
    comment and photos, confirm the quantities, choose the dispositions,
    validate: the page comes back with the scan field focused for the next
    parcel."""

    @http.route("/rma/scan", type="http", auth="user", methods=["GET"])
    def rma_scan_station(self, code=None, done=None, **kwargs):
        if not request.env.user._is_internal():
            raise NotFound()
        Rma = request.env["rma.order"]
        if not Rma._rma_station_allowed():
            return self._render({"forbidden": True}, status=403)
        code = _clean_text(code).strip()
        values = {"code": code}
        if done:
            finished = Rma.browse(_int(done)).exists()
            if finished and finished.has_access("read"):
                values["done"] = finished.sudo()
        if len(code) > MAX_SCAN_CODE:
            values["error"] = request.env._("This is not the code of a return slip.")
        elif code:
            rma = request.env["rma.scan.wizard"]._find_rma(code)
            if rma:
                values.update(self._parcel_values(rma))
            else:
                values["error"] = request.env._(
                    "No return matches “%(code)s”. Scan the QR code or the barcode of a "
                    "return slip, or type the return number.",
                    code=code,
                )
        return self._render(values)

    @http.route("/rma/scan/validate", type="http", auth="user", methods=["POST"])
    def rma_scan_validate(self, rma_id=None, **post):
        """Receive the parcel (or apply the dispositions of goods already
        received), then back to an empty scan field."""
        if not request.env.user._is_internal():
            raise NotFound()
        Rma = request.env["rma.order"]
        if not Rma._rma_station_allowed():
            return self._render({"forbidden": True}, status=403)
        rma = Rma.browse(_int(rma_id)).exists()
        if not rma or not rma.has_access("read"):
            raise NotFound()
        quantities = {
            _int(key[4:]): _qty(value) for key, value in post.items() if key.startswith("qty_")
        }
        dispositions = {
            _int(key[12:]): _clean_text(value)
            for key, value in post.items()
            if key.startswith("disposition_")
        }
        mode = rma._rma_station_mode()
        try:
            # a refusal leaves nothing half-done (dispositions written first)
            with request.env.cr.savepoint():
                if mode == "receive":
                    rma._rma_station_receive(quantities, dispositions)
                elif mode == "inspect":
                    rma._rma_station_dispose(dispositions)
        except (UserError, ValidationError, AccessError) as exc:
            values = {"code": rma.name, "error": exc.args[0]}
            values.update(self._parcel_values(rma))
            return self._render(values)
        return request.redirect("/rma/scan?" + url_encode({"done": rma.id}))

    # === HELPERS === #
    def _render(self, values, status=200):
        values.setdefault("code", "")
        values.setdefault("dispositions", DISPOSITIONS)
        response = request.render("rma_returns.rma_scan_station_page", values, status=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    def _parcel_values(self, rma):
        """What the station shows of a return the user may read (the caller
        found it with the user's rights)."""
        rma_sudo = rma.sudo()
        mode = rma._rma_station_mode()
        receipt = rma_sudo._rma_pending_receipts()[:1]
        rows = []
        if mode == "receive":
            for move in receipt.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.rma_line_id
            ):
                rows.append(
                    {
                        "line": move.rma_line_id,
                        "move": move,
                        "expected": move.product_uom_qty,
                        "expected_label": f"{move.product_uom_qty:g}",
                        "uom": move.product_uom.name,
                    }
                )
        else:
            for line in rma_sudo.line_ids:
                rows.append(
                    {
                        "line": line,
                        "move": False,
                        "expected": line.qty_received,
                        "expected_label": f"{line.qty_received:g}",
                        "uom": line.product_uom_id.name,
                    }
                )
        conditions = dict(
            rma_sudo.line_ids._fields["condition"]._description_selection(request.env)
        )
        states = dict(rma_sudo._fields["state"]._description_selection(request.env))
        return {
            "rma": rma_sudo,
            "mode": mode,
            "receipt": receipt,
            "rows": rows,
            "conditions": conditions,
            "state_label": states[rma_sudo.state],
            "photos": rma_sudo.photo_ids,
            "backoffice_url": f"/odoo/returns/{rma_sudo.id}",
        }
