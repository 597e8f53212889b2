from odoo import fields, models


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
    rma_disposition = fields.Selection(related="rma_line_id.disposition", string="Disposition")
