from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS === #
    rma_notify_submitted = fields.Boolean(
        string="Return Request Acknowledgement",
        default=True,
        help="E-mail the customer when a return is submitted, with the policy's decision.",
    )
    rma_notify_approved = fields.Boolean(
        string="Return Approved",
        default=True,
        help="E-mail the customer the return slip and instructions when a return is approved.",
    )
    rma_notify_rejected = fields.Boolean(
        string="Return Rejected",
        default=True,
        help="E-mail the customer the reason when a return is rejected.",
    )
    rma_notify_received = fields.Boolean(
        string="Returned Goods Received",
        default=True,
        help="E-mail the customer when the returned goods arrive.",
    )
    rma_notify_refunded = fields.Boolean(
        string="Return Refunded",
        default=True,
        help="E-mail the customer the credit note when a return is refunded.",
    )
    rma_notify_replacement_shipped = fields.Boolean(
        string="Replacement Shipped",
        default=True,
        help="E-mail the customer the tracking of the replacement when it ships.",
    )
