from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_order import RMA_READERS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    rma_ids = fields.One2many("rma.order", "sale_order_id", string="Returns", groups=RMA_READERS)
    rma_count = fields.Integer(
        string="Return Count", compute="_compute_rma_count", groups=RMA_READERS
    )

    any_delivered_for_rma = fields.Boolean(
        compute="_compute_any_delivered_for_rma",
        help="Some goods of the order were delivered, so a return can be started.",
    )

    @api.depends("order_line.qty_delivered")
    def _compute_any_delivered_for_rma(self):
        for order in self:
            order.any_delivered_for_rma = any(
                line.qty_delivered > 0 and line.product_id.type == "consu"
                for line in order.order_line
            )

    @api.depends("rma_ids")
    def _compute_rma_count(self):
        counts = dict(
            self.env["rma.order"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.rma_count = counts.get(order._origin, 0)

    def action_create_rma(self):
        """Open the return wizard listing the delivered lines of the order."""
        self.ensure_one()
        self.check_access("read")
        self.env["rma.order"].check_access("create")
        if self.state != "sale":
            raise UserError(self.env._("Only confirmed sale orders can be returned."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return Products"),
            "res_model": "rma.create.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_sale_order_id": self.id},
        }

    def action_view_rmas(self):
        return self.rma_ids._rma_window_action(self.env._("Returns"))
