from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === FIELDS === #
    pickup_state = fields.Selection(
        [("none", "Not Booked"), ("booked", "Booked"), ("cancelled", "Cancelled")],
        string="Door Pickup",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
    )
    pickup_start = fields.Datetime(string="Pickup From", readonly=True, copy=False)
    pickup_end = fields.Datetime(string="Pickup Until", readonly=True, copy=False)
    pickup_ref = fields.Char(
        string="Pickup Booking", readonly=True, copy=False, help="The carrier's booking reference."
    )
    can_book_pickup = fields.Boolean(
        compute="_compute_can_book_pickup",
        compute_sudo=True,  # the customer's page asks; the carrier is the shop's
        help="Approved, with a label from a carrier that picks parcels up at the door, "
        "and no pickup booked yet.",
    )

    # === COMPUTE METHODS === #
    @api.depends("state", "label_state", "return_carrier_id", "pickup_state")
    def _compute_can_book_pickup(self):
        for rma in self:
            rma.can_book_pickup = (
                rma.state == "approved"
                and rma.label_state == "done"
                and rma.return_carrier_id.rma_supports_pickup
                and rma.pickup_state != "booked"
            )

    # === BUSINESS METHODS === #
    def _rma_pickup_slots(self, days=3):
        """Pickup windows offered to the customer: morning and afternoon of the
        next ``days`` days, in the customer's time zone.

        :return: list of {"key", "label", "start", "end"} (start/end in UTC)
        """
        self.ensure_one()
        tz = pytz.timezone(self.partner_id.tz or self.warehouse_id.partner_id.tz or "UTC")
        today = datetime.now(tz).date()
        slots = []
        for offset in range(1, days + 1):
            day = today + timedelta(days=offset)
            for half, first, last in (("am", 9, 12), ("pm", 14, 18)):
                start, end = (
                    tz.localize(datetime.combine(day, time(hour)))
                    .astimezone(pytz.utc)
                    .replace(tzinfo=None)
                    for hour in (first, last)
                )
                slots.append(
                    {
                        "key": f"{day.isoformat()}-{half}",
                        "label": f"{day.isoformat()} {first:02d}:00 - {last:02d}:00",
                        "start": start,
                        "end": end,
                    }
                )
        return slots

    def _rma_book_pickup(self, start, end):
        """Book the door pickup between ``start`` and ``end`` (UTC datetimes)."""
        self.ensure_one()
        if not self.can_book_pickup:
            raise UserError(
                self.env._("A door pickup cannot be booked for %(name)s.", name=self.name)
            )
        if not start or not end or end <= start or start < fields.Datetime.now():
            raise UserError(self.env._("Choose a pickup time window in the future."))
        ref = self.return_carrier_id._rma_book_pickup(self, start, end)
        self.write(
            {"pickup_state": "booked", "pickup_start": start, "pickup_end": end, "pickup_ref": ref}
        )
        return ref

    def action_cancel_pickup(self):
        """Cancel the booked door pickup with the carrier."""
        self._rma_check_rights("approve")
        for rma in self.filtered(lambda r: r.pickup_state == "booked"):
            rma.return_carrier_id._rma_cancel_pickup(rma)
            rma.pickup_state = "cancelled"
        return True
