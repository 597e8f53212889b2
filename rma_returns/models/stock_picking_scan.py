from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_order_line_stock import DISPOSITIONS


class StockPicking(models.Model):
    """A return's receipt as the scan station opens it: what the customer said
    and showed, so the clerk checks the parcel without leaving the receipt."""

    _inherit = "stock.picking"

    rma_customer_comment = fields.Text(
        related="rma_order_id.description", string="Customer Comment", groups="base.group_user"
    )
    rma_photo_ids = fields.Many2many(
        related="rma_order_id.photo_ids", string="Customer Photos", groups="base.group_user"
    )


class StockMove(models.Model):
    _inherit = "stock.move"

    rma_reason_id = fields.Many2one(related="rma_line_id.reason_id", string="Return Reason")
    rma_condition = fields.Selection(related="rma_line_id.condition", string="Stated Condition")
    rma_disposition = fields.Selection(
        DISPOSITIONS,
        string="Disposition",
        compute="_compute_rma_disposition",
        inverse="_inverse_rma_disposition",
        help="Where the goods go after inspection: the clerk chooses it on the receipt.",
    )

    @api.depends("rma_line_id.disposition")
    def _compute_rma_disposition(self):
        for move in self:
            move.rma_disposition = move.rma_line_id.sudo().disposition

    def _inverse_rma_disposition(self):
        """Clerks inspect returns (RIGHTS "inspect") without editing returns:
        the choice goes to the return line, while its goods are still to dispose."""
        moves = self.filtered(lambda m: m.rma_line_id and m.rma_disposition)
        if not moves:
            return
        moves.rma_line_id.rma_id._rma_check_rights("inspect")
        closed = moves.filtered(
            lambda m: m.rma_line_id.sudo().rma_id.state not in ("draft", "approved", "received")
        )
        if closed:
            raise UserError(
                self.env._(
                    "The disposition of %(names)s can no longer change.",
                    names=", ".join(closed.rma_line_id.sudo().rma_id.mapped("name")),
                )
            )
        for move in moves:
            if move.rma_line_id.sudo().disposition != move.rma_disposition:
                move.rma_line_id.sudo().disposition = move.rma_disposition
