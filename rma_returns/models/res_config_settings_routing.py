from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # === FIELDS === #
    rma_unlocated_warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Warehouses Without Location",
        compute="_compute_rma_unlocated_warehouse_ids",
        help="Warehouses of the company that accept returns but whose address has "
        "neither coordinates, nor a known city, state or country: they are only "
        "chosen when no other accepting warehouse has a location.",
    )

    # === COMPUTE METHODS === #
    @api.depends("company_id")
    def _compute_rma_unlocated_warehouse_ids(self):
        warehouses = self.env["stock.warehouse"].search(
            [("rma_accept_returns", "=", True), ("company_id", "in", self.company_id.ids)]
        )
        for settings in self:
            settings.rma_unlocated_warehouse_ids = warehouses.filtered(
                lambda w, s=settings: (
                    w.company_id == s.company_id and w.rma_location_precision == "none"
                )
            )
