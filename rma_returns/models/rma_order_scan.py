from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .rma_order_line_stock import DISPOSITIONS
from .rma_order_workflow import AGENT, CLERK


class RmaOrder(models.Model):
    """The scan station (/rma/scan): one screen for a stream of parcels.

    The clerk scans a slip, sees what the customer said and showed, confirms
    the quantities that arrived, chooses each line's disposition and
    validates. The receipt's moves enter the flow through stock
    (``_rma_moves_done``), the dispositions through ``action_apply_disposition``:
    the station adds no transition of its own.
    """

    _inherit = "rma.order"

    # === BUSINESS METHODS === #
    @api.model
    def _rma_station_allowed(self):
        """Warehouse clerks (Inventory / User) and returns agents use the station."""
        return any(self.env.user.has_group(group) for group in (CLERK, AGENT))

    @api.model
    def _rma_station_check(self):
        if not self._rma_station_allowed():
            raise AccessError(
                self.env._(
                    "The scan station is for the warehouse and the returns team: ask your "
                    "administrator for Inventory / User or Returns / User rights."
                )
            )

    def _rma_station_mode(self):
        """What the station offers for this return: "receive" (a receipt waits),
        "inspect" (received goods wait for their disposition) or "info"."""
        self.ensure_one()
        rma = self.sudo()
        if rma._rma_pending_receipts():
            return "receive"
        if rma.can_apply_disposition and rma.state in ("approved", "received"):
            return "inspect"
        return "info"

    def _rma_station_receive(self, quantities, dispositions):
        """Validate the return's pending receipt for the ``quantities`` that
        arrived ({move id: quantity}; a missing move counts as nothing) after
        writing the chosen ``dispositions`` ({line id: disposition}), then apply
        the dispositions of the goods already in the return location. What was
        not received stays on a backorder for the next parcel.

        :return: the received quantity, in units of the lines
        :raise UserError: nothing received, more than expected, or a tracked
            product received in part (lots are chosen on the receipt itself)
        """
        self.ensure_one()
        self._rma_station_check()
        self._rma_check_rights("receive")
        rma = self.sudo()
        receipt = rma._rma_pending_receipts()[:1]
        if not receipt:
            raise UserError(self.env._("%(name)s has nothing left to receive.", name=self.name))
        self._rma_station_set_dispositions(dispositions)
        moves = receipt.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel") and m.rma_line_id
        )
        received = 0.0
        receipt.action_assign()
        for move in moves:
            qty = quantities.get(move.id, 0.0)
            rounding = move.product_uom.rounding
            if float_compare(qty, 0.0, precision_rounding=rounding) < 0 or (
                float_compare(qty, move.product_uom_qty, precision_rounding=rounding) > 0
            ):
                expected = f"{move.product_uom_qty:g}"
                raise UserError(
                    self.env._(
                        "Received quantity of %(product)s: between 0 and %(qty)s.",
                        product=move.product_id.display_name,
                        qty=expected,
                    )
                )
            if move.product_id.tracking != "none" and move.move_line_ids:
                if float_compare(qty, move.product_uom_qty, precision_rounding=rounding):
                    raise UserError(
                        self.env._(
                            "%(product)s is tracked by lot or serial number: when only "
                            "part of it arrived, validate %(receipt)s in Inventory and "
                            "choose the lots there.",
                            product=move.product_id.display_name,
                            receipt=receipt.name,
                        )
                    )
            else:
                move.quantity = qty
            move.picked = bool(qty)
            received += qty
        if not received:
            raise UserError(
                self.env._(
                    "Enter the quantities that arrived in the parcel of %(name)s.",
                    name=self.name,
                )
            )
        # what did not arrive waits on a backorder of the same return
        result = receipt.with_context(skip_backorder=True).button_validate()
        if isinstance(result, dict):
            raise UserError(
                self.env._(
                    "%(receipt)s cannot be validated here: open it in Inventory.",
                    receipt=receipt.name,
                )
            )
        if rma.can_apply_disposition and not rma._rma_pending_receipts():
            self.action_apply_disposition()
        return received

    def _rma_station_dispose(self, dispositions):
        """Inspection of goods already received: write the chosen dispositions
        and apply them."""
        self.ensure_one()
        self._rma_station_check()
        self._rma_station_set_dispositions(dispositions)
        return self.action_apply_disposition()

    def _rma_station_set_dispositions(self, dispositions):
        """Write the dispositions the clerk chose ({line id: code}) on the lines of
        this return (clerks inspect returns without editing them)."""
        self._rma_check_rights("inspect")
        allowed = dict(DISPOSITIONS)
        lines = self.sudo().line_ids
        for line in lines:
            choice = dispositions.get(line.id)
            if not choice or choice == line.disposition:
                continue
            if choice not in allowed:
                raise UserError(self.env._("Choose a disposition from the list."))
            if line.rma_id.state not in ("draft", "approved", "received"):
                raise UserError(
                    self.env._(
                        "The disposition of %(names)s can no longer change.", names=self.name
                    )
                )
            line.disposition = choice
