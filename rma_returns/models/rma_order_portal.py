from odoo import fields, models
from odoo.exceptions import UserError

# States in which the customer may still tell us how the parcel travels back.
TRACKING_STATES = ("submitted", "approved")


class RmaOrder(models.Model):
    """What the customer portal needs from a return: the parcel they sent back
    and the timeline of the return's milestones."""

    _inherit = "rma.order"

    # === FIELDS === #
    date_shipped = fields.Datetime(
        string="Shipped Back On",
        readonly=True,
        copy=False,
        help="When the customer entered the tracking number of the parcel they sent back.",
    )
    portal_can_set_tracking = fields.Boolean(
        compute="_compute_portal_can_set_tracking",
        help="The customer may still enter or correct the carrier and tracking number.",
    )

    # === COMPUTE METHODS === #
    def _compute_portal_can_set_tracking(self):
        """Tracking can be entered until the goods are received."""
        for rma in self:
            rma.portal_can_set_tracking = rma.state in TRACKING_STATES

    # === BUSINESS METHODS === #
    def _rma_portal_set_tracking(self, carrier, tracking_ref, author):
        """Record the parcel the customer sent back and say so in the chatter.

        :param str carrier: carrier name (may be empty)
        :param str tracking_ref: tracking number (required)
        :param author: res.partner shown as the message's author
        """
        self.ensure_one()
        if not self.portal_can_set_tracking:
            raise UserError(
                self.env._(
                    "The tracking number of %(name)s can no longer be changed.", name=self.name
                )
            )
        tracking_ref = (tracking_ref or "").strip()
        carrier = (carrier or "").strip()
        if not tracking_ref:
            raise UserError(self.env._("Please enter the tracking number of your parcel."))
        if len(tracking_ref) > 64 or len(carrier) > 64:
            raise UserError(
                self.env._("The carrier and tracking number are limited to 64 characters.")
            )
        self.with_context(mail_notrack=True).write(
            {
                "carrier_name": carrier,
                "tracking_ref": tracking_ref,
                "date_shipped": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Parcel sent back with %(carrier)s, tracking number %(ref)s.",
                carrier=carrier or self.env._("an unnamed carrier"),
                ref=tracking_ref,
            ),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _rma_portal_replacements(self):
        """Replacement / exchange deliveries of the return (outgoing transfers)."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )

    def _rma_portal_credit_notes(self):
        """Posted credit notes of the return: the ones a customer may see."""
        self.ensure_one()
        return self.credit_note_ids.filtered(lambda m: m.state == "posted")

    def _rma_portal_timeline(self):
        """The milestones shown to the customer, in order.

        :return: list of {"key", "label", "date", "done", "note", "failed"}; the
                 last steps are dropped when the return was rejected or cancelled.
        """
        self.ensure_one()
        credit_notes = self._rma_portal_credit_notes()
        replacements = self._rma_portal_replacements()
        delivered = replacements.filtered(lambda p: p.state == "done")
        refund_date = max(credit_notes.mapped("create_date"), default=False)
        replace_date = max(delivered.mapped("date_done"), default=False)
        if credit_notes and replacements:
            final_label = self.env._("Refunded and replaced")
            final_date = refund_date and replace_date and max(refund_date, replace_date)
        elif replacements:
            final_label = self.env._("Replaced")
            final_date = replace_date
        elif credit_notes:
            final_label = self.env._("Refunded")
            final_date = refund_date
        else:
            final_label = self.env._("Refunded / replaced")
            final_date = self.date_done
        shipped_note = " ".join(filter(None, [self.carrier_name, self.tracking_ref]))
        steps = [
            ("submitted", self.env._("Submitted"), self.date_submitted, ""),
            ("approved", self.env._("Approved"), self.date_approved, ""),
            ("shipped", self.env._("Shipped back"), self.date_shipped, shipped_note),
            ("received", self.env._("Received"), self.date_received, ""),
            ("resolved", final_label, final_date, ""),
        ]
        if self.state == "rejected":
            steps = [
                steps[0],
                ("rejected", self.env._("Rejected"), self.date_rejected, self.reject_reason or ""),
            ]
        timeline = [
            {
                "key": key,
                "label": label,
                "date": date,
                "done": bool(date) or (key == "shipped" and bool(self.tracking_ref)),
                "note": note,
                "failed": key == "rejected",
            }
            for key, label, date, note in steps
        ]
        if self.state == "cancelled":
            timeline = [step for step in timeline if step["done"]]
            timeline.append(
                {
                    "key": "cancelled",
                    "label": self.env._("Cancelled"),
                    "date": self.date_cancelled,
                    "done": True,
                    "note": "",
                    "failed": True,
                }
            )
        return timeline
