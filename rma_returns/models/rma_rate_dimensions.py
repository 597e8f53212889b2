from odoo import api, fields, models


class SaleOrderLine(models.Model):
    """What a sale line shipped, before returns, and the dimensions return
    rates are grouped by (see ``rma.return.rate``)."""

    _inherit = "sale.order.line"

    # === FIELDS === #
    rma_qty_shipped = fields.Float(
        string="Shipped Quantity",
        compute="_compute_rma_qty_shipped",
        store=True,
        digits="Product Unit of Measure",
        help="Quantity delivered to the customer, returns not deducted: the base of return rates.",
    )
    rma_shipped_amount = fields.Monetary(
        string="Shipped Value",
        compute="_compute_rma_qty_shipped",
        store=True,
        help="Shipped quantity at the unit price with taxes and discount.",
    )
    rma_product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", string="Returned Product"
    )
    rma_categ_id = fields.Many2one(related="product_id.categ_id")
    rma_commercial_partner_id = fields.Many2one(related="order_id.partner_id.commercial_partner_id")
    rma_team_id = fields.Many2one(related="order_id.team_id")

    # === COMPUTE METHODS === #
    @api.depends(
        "qty_delivered",
        "price_reduce_taxinc",
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.product_uom",
    )
    def _compute_rma_qty_shipped(self):
        """Done outgoing moves of stock lines (Odoo's delivered quantity
        without its returns); the delivered quantity of the others."""
        for line in self:
            if line.qty_delivered_method == "stock_move":
                outgoing, _incoming = line._get_outgoing_incoming_moves()
                qty = sum(
                    move.product_uom._compute_quantity(
                        move.quantity, line.product_uom, rounding_method="HALF-UP"
                    )
                    for move in outgoing
                    if move.state == "done"
                )
            else:
                qty = line.qty_delivered
            line.rma_qty_shipped = qty
            line.rma_shipped_amount = qty * line.price_reduce_taxinc


class RmaOrderLine(models.Model):
    """Dimensions of returned lines, shared by the return rates and the report."""

    _inherit = "rma.order.line"

    rma_product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", string="Returned Product"
    )
    rma_categ_id = fields.Many2one(related="product_id.categ_id")
    rma_commercial_partner_id = fields.Many2one(related="rma_id.commercial_partner_id")
    rma_salesman_id = fields.Many2one(related="sale_line_id.salesman_id")
    rma_team_id = fields.Many2one(related="rma_id.sale_order_id.team_id")
