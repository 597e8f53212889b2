import base64

from odoo import fields, models
from odoo.tools import groupby

from .rma_order_notification import NOTIFICATIONS

# events that answer a submission
DECISION_EVENTS = ("approved", "rejected")


class RmaOrder(models.Model):
    """Customer e-mails at each step of a return, logged in its chatter."""

    _inherit = "rma.order"

    # === FIELDS === #
    rma_notified_events = fields.Char(
        string="Notified Events",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="Comma-separated events the customer was e-mailed about, or is about to "
        "be (each is sent once per return; cleared when the return is reset to draft).",
    )

    # === BUSINESS METHODS === #
    def _rma_notify(self, event):
        """Queue the customer e-mail about ``event`` (once per return and event,
        when the company's setting for it is on); a cron sends it shortly, so
        that no step waits for the rendering of an e-mail and its PDF."""
        if event == "draft":
            # a reopened return goes through the flow, and its e-mails, again
            self.sudo().filtered("rma_notified_events").rma_notified_events = False
            return
        self._rma_queue_notification(event)

    def _rma_queue_notification(self, event):
        """Queue the e-mail of ``event`` for the returns not yet told about it.

        The queue keeps the order of the steps: the acknowledgement of a
        submission goes out before the policy's immediate decision, and is
        rendered with that decision.

        :return: the queued rma.order.notification records
        """
        Notification = self.env["rma.order.notification"].sudo()
        if event not in NOTIFICATIONS:
            return Notification
        switch, xmlid = NOTIFICATIONS[event]
        if not self.env.ref(xmlid, raise_if_not_found=False):
            return Notification
        todo = self.sudo().filtered(
            lambda r: r.company_id[switch] and event not in r._rma_sent_events()
        )
        if not todo:
            return Notification
        for events, records in groupby(todo, key=lambda r: r.rma_notified_events or ""):
            self.browse([r.id for r in records]).sudo().rma_notified_events = ",".join(
                sorted(set(filter(None, events.split(","))) | {event})
            )
        if event in DECISION_EVENTS and self.env.context.get("rma_policy_decision"):
            # decided while submitted: the decision's e-mail replaces the
            # acknowledgement not sent yet
            Notification.search(
                [("rma_id", "in", todo.ids), ("event", "=", "submitted"), ("state", "=", "pending")]
            ).unlink()
        # the customer acted (portal): the shop speaks
        internal = self.env.user._is_internal()
        notifications = Notification.create(
            [
                {
                    "rma_id": rma.id,
                    "event": event,
                    "author_id": (
                        self.env.user.partner_id if internal else rma.company_id.partner_id
                    ).id,
                }
                for rma in todo
            ]
        )
        Notification._rma_trigger_sender()
        return notifications

    def _rma_sent_events(self):
        self.ensure_one()
        return set(filter(None, (self.sudo().rma_notified_events or "").split(",")))

    def _rma_refund_documents(self):
        """Posted credit notes of the return, as the refund e-mail presents them
        (not the invoices of dearer exchanges, also linked to the return)."""
        self.ensure_one()
        return self.credit_note_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_refund"
        )

    def _rma_replacement_shipments(self):
        """Shipped replacement deliveries of the return, as the "replacement
        shipped" e-mail presents them, each with its tracking: the carrier's
        tracking number of the delivery when ``stock_delivery`` is installed (we
        do not depend on it), else the one typed on the delivery
        (``rma_tracking_ref``). The return's own tracking number is the
        customer's parcel coming back, never the replacement's.

        :return: list of {"picking", "carrier", "tracking"}
        """
        self.ensure_one()
        pickings = self.sudo().picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        has_tracking = "carrier_tracking_ref" in pickings._fields
        has_carrier = "carrier_id" in pickings._fields
        shipments = []
        for picking in pickings.sorted("id"):
            tracking = picking["carrier_tracking_ref"] if has_tracking else False
            carrier = picking["carrier_id"].name if has_carrier else False
            shipments.append(
                {
                    "picking": picking,
                    "tracking": tracking or picking.rma_tracking_ref or False,
                    "carrier": carrier or False,
                }
            )
        return shipments

    def _process_attachments_for_template_post(self, mail_template):
        """Attach the credit notes' PDF to the refund e-mail: each credit note's
        official PDF, rendered once and kept on the credit note (as Odoo's own
        invoice sending does), so that the customer's download and any later
        e-mail reuse it."""
        result = super()._process_attachments_for_template_post(mail_template)
        if mail_template != self.env.ref(
            "rma_returns.mail_template_rma_refunded", raise_if_not_found=False
        ):
            return result
        for rma in self:
            for note in rma.sudo()._rma_refund_documents():
                name, content = note._rma_official_pdf()
                result.setdefault(rma.id, {}).setdefault("attachments", []).append(
                    (name, base64.b64encode(content))
                )
        return result
