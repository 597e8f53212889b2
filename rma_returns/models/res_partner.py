from odoo import api, fields, models

from .rma_order import RMA_READERS


class ResPartner(models.Model):
    _inherit = "res.partner"

    rma_ids = fields.One2many("rma.order", "partner_id", string="Returns", groups=RMA_READERS)
    rma_count = fields.Integer(
        string="Return Count", compute="_compute_rma_count", groups=RMA_READERS
    )

    @api.depends("rma_ids")
    def _compute_rma_count(self):
        """Returns of the partner's whole company (commercial partner)."""
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["rma.order"]._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.rma_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_rmas(self):
        rmas = self.env["rma.order"].search(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)]
        )
        return rmas._rma_window_action(self.env._("Returns"))
