from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_tracking_stall_days = fields.Integer(
        string="Stalled Parcel After (days)",
        default=7,
        help="A return whose parcel shows no tracking movement this many days after "
        "approval is flagged and the customer reminded once. 0: never.",
    )
    # the parcel's key nodes the customer is e-mailed about (once each per return)
    rma_notify_tracking_picked_up = fields.Boolean(
        string="Parcel Picked Up",
        default=True,
        help="E-mail the customer when the carrier picks the return parcel up.",
    )
    rma_notify_tracking_in_transit = fields.Boolean(
        string="Parcel In Transit",
        help="E-mail the customer when the return parcel is on its way.",
    )
    rma_notify_tracking_out_for_delivery = fields.Boolean(
        string="Parcel Out for Delivery",
        help="E-mail the customer when the return parcel is out for delivery to the warehouse.",
    )
    rma_notify_tracking_delivered = fields.Boolean(
        string="Parcel Delivered to the Warehouse",
        default=True,
        help="E-mail the customer when the carrier delivers the return parcel to the warehouse.",
    )
    rma_notify_tracking_exception = fields.Boolean(
        string="Parcel Exception",
        default=True,
        help="E-mail the customer when the carrier reports a problem with the return parcel.",
    )
    rma_tracking_open_receipt = fields.Boolean(
        string="Open the Receipt on Delivery",
        default=True,
        help="When the carrier delivers a return parcel to the warehouse, the clerk gets "
        "an activity on the receipt.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_tracking_stall_days = fields.Integer(
        related="company_id.rma_tracking_stall_days", readonly=False
    )
    rma_notify_tracking_picked_up = fields.Boolean(
        related="company_id.rma_notify_tracking_picked_up", readonly=False
    )
    rma_notify_tracking_in_transit = fields.Boolean(
        related="company_id.rma_notify_tracking_in_transit", readonly=False
    )
    rma_notify_tracking_out_for_delivery = fields.Boolean(
        related="company_id.rma_notify_tracking_out_for_delivery", readonly=False
    )
    rma_notify_tracking_delivered = fields.Boolean(
        related="company_id.rma_notify_tracking_delivered", readonly=False
    )
    rma_notify_tracking_exception = fields.Boolean(
        related="company_id.rma_notify_tracking_exception", readonly=False
    )
    rma_tracking_open_receipt = fields.Boolean(
        related="company_id.rma_tracking_open_receipt", readonly=False
    )
