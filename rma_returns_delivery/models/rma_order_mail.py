from collections import defaultdict

from odoo import fields, models

from .rma_tracking_event import NODE_RANK

# event -> (res.company switch, mail.template xml id)
DELIVERY_NOTIFICATIONS = {
    # the label came after the approval e-mail (carrier down at approval)
    "label_ready": ("rma_notify_approved", "rma_returns_delivery.mail_template_rma_label_ready"),
    **{
        f"tracking_{code}": (
            f"rma_notify_tracking_{code}",
            f"rma_returns_delivery.mail_template_rma_tracking_{code}",
        )
        for code in ("picked_up", "in_transit", "out_for_delivery", "delivered", "exception")
    },
}
DELIVERY_EVENTS = [
    ("label_ready", "Return label ready"),
    ("tracking_picked_up", "Parcel picked up"),
    ("tracking_in_transit", "Parcel in transit"),
    ("tracking_out_for_delivery", "Parcel out for delivery"),
    ("tracking_delivered", "Parcel delivered to the warehouse"),
    ("tracking_exception", "Parcel exception"),
]


class RmaOrderNotification(models.Model):
    _inherit = "rma.order.notification"

    event = fields.Selection(
        selection_add=DELIVERY_EVENTS, ondelete={key: "cascade" for key, _label in DELIVERY_EVENTS}
    )


class RmaOrder(models.Model):
    """Customer e-mails of the parcel: the carrier's label with the approval
    (or in one follow-up when it came later), and the key tracking nodes the
    shop chose in the settings, each once per return."""

    _inherit = "rma.order"

    def _rma_notification_spec(self, event):
        return DELIVERY_NOTIFICATIONS.get(event) or super()._rma_notification_spec(event)

    def _process_attachments_for_template_post(self, mail_template):
        """The carrier's label goes with the approval e-mail (and the follow-up)."""
        result = super()._process_attachments_for_template_post(mail_template)
        templates = [
            self.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in (
                "rma_returns.mail_template_rma_approved",
                "rma_returns_delivery.mail_template_rma_label_ready",
            )
        ]
        if mail_template not in templates:
            return result
        for rma in self:
            for label in rma.sudo().label_attachment_ids:
                result.setdefault(rma.id, {}).setdefault("attachments", []).append(
                    (label.name, label.datas)
                )
        return result

    def _rma_notify_label_ready(self):
        """A label made after the approval e-mail left: one follow-up e-mail.
        While the approval e-mail still waits in the queue, it carries the label."""
        pending = (
            self.env["rma.order.notification"]
            .sudo()
            .search(
                [("rma_id", "in", self.ids), ("event", "=", "approved"), ("state", "=", "pending")]
            )
        )
        self.filtered(
            lambda r: r.id not in pending.rma_id.ids and "approved" in r._rma_sent_events()
        )._rma_notify("label_ready")

    def _rma_notify_tracking(self, events):
        """E-mail the customer about the key nodes among new scans ``events``:
        per return, only the furthest node reached by these scans and beyond
        every node recorded before (a late, older scan tells nothing), and an
        exception; each node once per return (see _rma_queue_notification)."""
        to_notify = defaultdict(events.rma_id.browse)
        for rma in events.rma_id:
            new = events.filtered(lambda e, rma=rma: e.rma_id == rma)
            before = rma.tracking_event_ids - new
            reached = max((NODE_RANK.get(c, 0) for c in before.mapped("code")), default=0)
            codes = set(new.mapped("code"))
            forward = [c for c in codes if NODE_RANK.get(c, 0) > reached]
            if forward:
                to_notify[f"tracking_{max(forward, key=NODE_RANK.get)}"] |= rma
            if "exception" in codes:
                to_notify["tracking_exception"] |= rma
        # one queueing per node for the whole push
        for event, rmas in to_notify.items():
            rmas._rma_notify(event)
