from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    rma_return_carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Return Carrier",
        check_company=True,
        help="On approval, returns coming to this warehouse get a prepaid label from "
        "this carrier when it can make return labels; otherwise the return slip is "
        "the customer's label.",
    )
