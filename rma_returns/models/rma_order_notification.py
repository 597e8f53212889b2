import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# event -> (res.company switch, mail.template xml id)
NOTIFICATIONS = {
    "submitted": ("rma_notify_submitted", "rma_returns.mail_template_rma_submitted"),
    "approved": ("rma_notify_approved", "rma_returns.mail_template_rma_approved"),
    "rejected": ("rma_notify_rejected", "rma_returns.mail_template_rma_rejected"),
    "received": ("rma_notify_received", "rma_returns.mail_template_rma_received"),
    "refunded": ("rma_notify_refunded", "rma_returns.mail_template_rma_refunded"),
    "replacement_shipped": (
        "rma_notify_replacement_shipped",
        "rma_returns.mail_template_rma_replacement_shipped",
    ),
}
EVENTS = [
    ("submitted", "Request received"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("received", "Goods received"),
    ("refunded", "Refunded"),
    ("replacement_shipped", "Replacement shipped"),
]
BATCH_SIZE = 50
MAX_ATTEMPTS = 3


class RmaOrderNotification(models.Model):
    """A customer e-mail about a step of a return, queued by the step and sent
    by a cron: rendering it (and its PDF) stays out of the step's transaction."""

    _name = "rma.order.notification"
    _description = "Return Customer E-mail"
    _order = "id"

    # === FIELDS === #
    rma_id = fields.Many2one(
        "rma.order", string="Return", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="rma_id.company_id", store=True, index=True)
    event = fields.Selection(EVENTS, required=True)
    author_id = fields.Many2one(
        "res.partner",
        ondelete="set null",
        help="Who the e-mail is from: the agent who made the step, or the shop when "
        "the customer did (portal).",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer(help="Failed attempts to send the e-mail.")
    error = fields.Text(string="Last Error", readonly=True)
    message_id = fields.Many2one(
        "mail.message", string="Chatter Message", readonly=True, ondelete="set null"
    )
    date_sent = fields.Datetime(string="Sent On", readonly=True)

    # === BUSINESS METHODS === #
    @api.model
    def _rma_trigger_sender(self):
        """Run the sending cron once this transaction commits: one trigger
        however many steps queued e-mails in it (a batch, or submit and the
        policy's decision)."""
        precommit = self.env.cr.precommit
        if not precommit.data.get("rma_notification_trigger"):
            precommit.data["rma_notification_trigger"] = True
            precommit.add(self._rma_trigger_cron)

    @api.model
    def _rma_trigger_cron(self):
        self.env.ref("rma_returns.ir_cron_rma_send_notifications").sudo()._trigger()

    @api.model
    def _cron_send(self, batch_size=BATCH_SIZE):
        """Send the oldest pending customer e-mails, ``batch_size`` of them, and
        tell the cron how many are left (it runs again while some remain).

        :return: the notifications handled by this run
        """
        notifications = self._rma_lock_pending(batch_size)
        notifications._rma_send()
        remaining = self.sudo().search_count([("state", "=", "pending")])
        self.env["ir.cron"]._notify_progress(done=len(notifications), remaining=remaining)
        return notifications

    @api.model
    def _rma_lock_pending(self, limit):
        """Up to ``limit`` pending notifications, oldest first, locked for this
        transaction (a concurrent run skips them: each e-mail goes out once)."""
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM rma_order_notification WHERE state = 'pending' "
            "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
            [limit],
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _rma_send(self):
        """Post each e-mail's template in its return's chatter, which e-mails the
        customer. A failing e-mail is rolled back alone and retried by the next
        runs; after MAX_ATTEMPTS it stays failed, with a note in the chatter."""
        failed = self.browse()
        for notification in self.filtered(lambda n: n.state == "pending"):
            try:
                with self.env.cr.savepoint():
                    message = notification._rma_post()
            except Exception as error:  # pylint: disable=broad-except
                _logger.warning(
                    "Return e-mail %s of %s failed: %s",
                    notification.event,
                    notification.rma_id.name,
                    error,
                )
                attempts = notification.attempts + 1
                notification.write(
                    {
                        "attempts": attempts,
                        "error": str(error),
                        "state": "failed" if attempts >= MAX_ATTEMPTS else "pending",
                    }
                )
                if attempts >= MAX_ATTEMPTS:
                    failed |= notification
            else:
                notification.write(
                    {
                        "state": "sent",
                        "message_id": message[:1].id,
                        "date_sent": fields.Datetime.now(),
                        "error": False,
                    }
                )
        labels = dict(self._fields["event"]._description_selection(self.env))
        for notification in failed:
            notification.rma_id.message_post(
                body=self.env._(
                    "The customer e-mail “%(event)s” could not be sent: %(error)s",
                    event=labels[notification.event],
                    error=notification.error,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _rma_post(self):
        """Render the template of the event and post it on the return."""
        self.ensure_one()
        template = self.env.ref(self.rma_id._rma_notification_spec(self.event)[1])
        kwargs = {"author_id": self.author_id.id} if self.author_id else {}
        return self.rma_id.message_post_with_source(
            template,
            email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
            subtype_xmlid="mail.mt_comment",
            # a comment: the customer finds it in the portal conversation
            message_type="comment",
            **kwargs,
        )
