from odoo import api, fields, models


class DeliveryCarrier(models.Model):
    """Door pickup of return parcels, for connectors that offer it.

    A connector ``<delivery_type>`` that can book pickups implements
    ``<delivery_type>_rma_book_pickup(rma, start, end)`` (returns the
    carrier's booking reference) and ``<delivery_type>_rma_cancel_pickup(rma)``.
    """

    _inherit = "delivery.carrier"

    rma_supports_pickup = fields.Boolean(
        string="Door Pickup of Returns",
        compute="_compute_rma_supports_pickup",
        help="Customers can book a pickup of their return parcel on the portal.",
    )

    @api.depends("delivery_type")
    def _compute_rma_supports_pickup(self):
        """True when the connector can book a pickup."""
        for carrier in self:
            carrier.rma_supports_pickup = hasattr(
                carrier, f"{carrier.delivery_type}_rma_book_pickup"
            )

    def _rma_book_pickup(self, rma, start, end):
        """Book the pickup of ``rma``'s parcel between ``start`` and ``end`` (UTC)."""
        self.ensure_one()
        return getattr(self, f"{self.delivery_type}_rma_book_pickup")(rma, start, end)

    def _rma_cancel_pickup(self, rma):
        self.ensure_one()
        return getattr(self, f"{self.delivery_type}_rma_cancel_pickup")(rma)
