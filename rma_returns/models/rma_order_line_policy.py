from odoo import api, fields, models


class RmaOrderLine(models.Model):
    _inherit = "rma.order.line"

    policy_id = fields.Many2one(
        "rma.policy",
        string="Return Policy",
        readonly=True,
        copy=False,
        help="The policy that decided for this product when the return was evaluated.",
    )
    photo_required = fields.Boolean(
        compute="_compute_photo_required",
        help="The reason needs a photo under the policy that applies to this product.",
    )

    @api.depends("reason_id", "sale_line_id", "rma_id.partner_shipping_id")
    def _compute_photo_required(self):
        """The reason always needs a photo, or the matching policy asks for one."""
        policy_of = self.rma_id._rma_line_policies()
        for line in self:
            policy = policy_of.get(line)
            if policy:
                line.photo_required = policy._rma_needs_photo(line.reason_id)
            else:
                line.photo_required = bool(line.reason_id.photo_required)
