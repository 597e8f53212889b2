from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_order import RMA_READERS


class StockPicking(models.Model):
    _inherit = "stock.picking"

    rma_order_id = fields.Many2one(
        "rma.order",
        string="Return Order",
        index="btree_not_null",
        copy=False,
        help="The return this transfer was created for (return receipt or replacement).",
    )
    rma_tracking_ref = fields.Char(
        string="Replacement Tracking",
        copy=False,
        help="Carrier tracking number of a replacement shipped to the customer, "
        "given in the 'replacement shipped' e-mail.",
    )
    rma_ids = fields.Many2many(
        "rma.order",
        compute="_compute_rma_ids",
        string="Customer Returns",
        groups=RMA_READERS,
        help="Returns of goods shipped with this delivery, or the return this transfer serves.",
    )
    rma_count = fields.Integer(
        string="Return Count", compute="_compute_rma_ids", groups=RMA_READERS
    )

    @api.depends("rma_order_id", "move_ids")
    def _compute_rma_ids(self):
        lines = self.env["rma.order.line"].search([("move_id.picking_id", "in", self.ids)])
        origins = self.env["rma.order"].search([("origin_picking_id", "in", self.ids)])
        for picking in self:
            picking.rma_ids = (
                picking.rma_order_id
                | lines.filtered(lambda line, p=picking: line.move_id.picking_id == p).rma_id
                | origins.filtered(lambda rma, p=picking: rma.origin_picking_id == p)
            )
            picking.rma_count = len(picking.rma_ids)

    def action_create_rma(self):
        """Start a return from a done delivery."""
        self.ensure_one()
        self.check_access("read")
        self.env["rma.order"].check_access("create")
        if self.state != "done" or self.picking_type_code != "outgoing":
            raise UserError(self.env._("Returns can only be started from a done delivery."))
        if not self.sale_id:
            raise UserError(
                self.env._("%(name)s was not shipped for a sale order.", name=self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Products"),
            "res_model": "rma.create.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sale_order_id": self.sale_id.id, "default_picking_id": self.id},
        }

    def action_view_rmas(self):
        return self.rma_ids._rma_window_action(self.env._("Returns"))


class StockMove(models.Model):
    _inherit = "stock.move"

    rma_line_id = fields.Many2one(
        "rma.order.line",
        string="Return Line",
        index="btree_not_null",
        copy=False,
        help="The return line this move brings back.",
    )
