from odoo import api, fields, models

from .rma_order import RMA_READERS


class AccountMove(models.Model):
    _inherit = "account.move"

    rma_order_id = fields.Many2one(
        "rma.order",
        string="Return Order",
        index="btree_not_null",
        copy=False,
        help="The return this credit note was created for.",
    )
    rma_ids = fields.Many2many(
        "rma.order", compute="_compute_rma_ids", string="Returns", groups=RMA_READERS
    )
    rma_count = fields.Integer(
        string="Return Count", compute="_compute_rma_ids", groups=RMA_READERS
    )

    @api.depends("rma_order_id", "invoice_line_ids")
    def _compute_rma_ids(self):
        lines = self.env["rma.order.line"].search([("invoice_line_id.move_id", "in", self.ids)])
        for move in self:
            move.rma_ids = (
                move.rma_order_id
                | lines.filtered(lambda line, m=move: line.invoice_line_id.move_id == m).rma_id
            )
            move.rma_count = len(move.rma_ids)

    def action_view_rmas(self):
        return self.rma_ids._rma_window_action(self.env._("Returns"))
