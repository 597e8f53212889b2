from odoo import fields, models


class RmaReason(models.Model):
    """Why a customer sends something back, and whose fault that is."""

    _name = "rma.reason"
    _description = "Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fault = fields.Selection(
        [("customer", "Customer"), ("merchant", "Merchant"), ("carrier", "Carrier")],
        required=True,
        default="customer",
        help="Whose fault the return is. Merchant and carrier faults mean the shop "
        "pays the return shipping and waives the restocking fee.",
    )
    photo_required = fields.Boolean(
        help="The customer must upload a photo when choosing this reason on the portal."
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share between companies.")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A return reason code must be unique."),
    ]
