from odoo import fields, models


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === FIELDS === #
    warehouse_location_precision = fields.Selection(
        related="warehouse_id.rma_location_precision",
        string="Warehouse Location",
        help="How the warehouse's distance was measured: from the coordinates of "
        "its address (exact), or from the centre of its city, state or country "
        "(approximate).",
    )
