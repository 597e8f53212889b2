from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS === #
    rma_rate_days = fields.Integer(
        string="Return Rate Period (Days)",
        default=365,
        help="The return rates stored on products and customers cover the orders "
        "and returns of this many last days.",
    )
    rma_high_rate_threshold = fields.Float(
        string="High Return Rate (%)",
        default=20.0,
        help="A product whose return rate reaches this percent is flagged.",
    )
    rma_high_rate_min_qty = fields.Float(
        string="Minimum Sample",
        default=10.0,
        help="A product is flagged only once this many units were delivered in the "
        "period: 1 returned out of 2 is not a pattern.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_rate_days = fields.Integer(related="company_id.rma_rate_days", readonly=False)
    rma_high_rate_threshold = fields.Float(
        related="company_id.rma_high_rate_threshold", readonly=False
    )
    rma_high_rate_min_qty = fields.Float(related="company_id.rma_high_rate_min_qty", readonly=False)
