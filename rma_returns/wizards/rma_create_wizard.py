from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.rma_order_line import CONDITIONS, RESOLUTIONS


class RmaCreateWizard(models.TransientModel):
    """Start a return from a confirmed sale order or a done delivery."""

    _name = "rma.create.wizard"
    _description = "Create a Return"

    sale_order_id = fields.Many2one("sale.order", required=True, readonly=True)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        readonly=True,
        help="Only the goods of this delivery are offered.",
    )
    partner_id = fields.Many2one(related="sale_order_id.partner_id")
    reason_id = fields.Many2one("rma.reason")
    description = fields.Text(string="Customer Comment")
    line_ids = fields.One2many(
        "rma.create.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("sale_order_id", "picking_id")
    def _compute_line_ids(self):
        for wizard in self:
            sale_lines = wizard.sale_order_id.order_line.filtered(
                lambda ln: not ln.display_type and ln.product_id.type == "consu"
            )
            moves = self.env["stock.move"]
            if wizard.picking_id:
                moves = wizard.picking_id.move_ids.filtered(
                    lambda mv: mv.state == "done" and mv.sale_line_id
                )
                sale_lines = moves.sale_line_id
            returnable = sale_lines._rma_returnable_qty()
            commands = [Command.clear()]
            for sale_line in sale_lines:
                qty = returnable[sale_line.id]
                move = moves.filtered(lambda m, sl=sale_line: m.sale_line_id == sl)[:1]
                if move:
                    qty = min(
                        qty,
                        move.product_uom._compute_quantity(move.quantity, sale_line.product_uom),
                    )
                if qty <= 0:
                    continue
                commands.append(
                    Command.create(
                        {
                            "sale_line_id": sale_line.id,
                            "move_id": move.id,
                            "qty_returnable": qty,
                            "quantity": qty,
                        }
                    )
                )
            wizard.line_ids = commands

    def action_create_rma(self):
        """Create the return in draft with the lines that have a quantity, then open it."""
        self.ensure_one()
        self.env["rma.order"].check_access("create")
        self.sale_order_id.check_access("read")
        lines = self.line_ids.filtered(lambda ln: ln.quantity > 0)
        if not lines:
            raise UserError(self.env._("Set a quantity to return on at least one line."))
        rma = self.env["rma.order"].create(self._prepare_rma_vals(lines))
        return rma._rma_window_action(rma.name)

    def _prepare_rma_vals(self, lines):
        return {
            "sale_order_id": self.sale_order_id.id,
            "origin_picking_id": self.picking_id.id,
            "description": self.description,
            "line_ids": [Command.create(line._prepare_rma_line_vals()) for line in lines],
        }


class RmaCreateWizardLine(models.TransientModel):
    _name = "rma.create.wizard.line"
    _description = "Create a Return: line"

    wizard_id = fields.Many2one("rma.create.wizard", required=True, ondelete="cascade")
    sale_line_id = fields.Many2one("sale.order.line", required=True, readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    product_id = fields.Many2one(related="sale_line_id.product_id")
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    qty_delivered = fields.Float(related="sale_line_id.qty_delivered", string="Delivered")
    qty_returnable = fields.Float(
        string="Returnable", readonly=True, digits="Product Unit of Measure"
    )
    quantity = fields.Float(string="To Return", digits="Product Unit of Measure")
    reason_id = fields.Many2one("rma.reason")
    condition = fields.Selection(CONDITIONS, default="unopened", required=True)
    resolution = fields.Selection(RESOLUTIONS, default="refund", required=True)

    def _prepare_rma_line_vals(self):
        self.ensure_one()
        vals = {
            "sale_line_id": self.sale_line_id.id,
            "product_uom_qty": self.quantity,
            "reason_id": (self.reason_id or self.wizard_id.reason_id).id,
            "condition": self.condition,
            "resolution": self.resolution,
        }
        if self.move_id:
            vals["move_id"] = self.move_id.id
        return vals
