from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_tracking_stall_days = fields.Integer(
        string="Stalled Parcel After (days)",
        default=7,
        help="A return whose parcel shows no tracking movement this many days after "
        "approval is flagged and the customer reminded once. 0: never.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_tracking_stall_days = fields.Integer(
        related="company_id.rma_tracking_stall_days", readonly=False
    )
