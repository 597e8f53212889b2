from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    rma_hs_code = fields.Char(
        string="HS Code (Returns)",
        help="Harmonized System code printed in the customs block of cross-border return slips.",
    )
    rma_origin_country_id = fields.Many2one(
        "res.country",
        string="Country of Origin (Returns)",
        help="Printed in the customs block of cross-border return slips.",
    )
