from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    rma_return_insurance = fields.Boolean(
        string="Return Shipping Insurance",
        help="Selling this product (e.g. a 'free returns' option) insures the order's return "
        "shipping: the customer pays no return shipping fee.",
    )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    rma_delivered_amount = fields.Monetary(
        string="Delivered Value",
        compute="_compute_rma_delivered_amount",
        store=True,
        help="Value of the delivered quantity at the sale price with taxes; the base of a "
        "customer's return rate.",
    )

    @api.depends("qty_delivered", "price_reduce_taxinc")
    def _compute_rma_delivered_amount(self):
        """Delivered quantity at the unit price with taxes and discount."""
        for line in self:
            line.rma_delivered_amount = line.qty_delivered * line.price_reduce_taxinc
