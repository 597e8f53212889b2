import base64

from odoo import fields, models
from odoo.tools import groupby

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
# Events that settle a submission: the acknowledgement goes out before them.
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
        help="Comma-separated events the customer was already e-mailed about "
        "(each is sent once per return; cleared when the return is reset to draft).",
    )

    # === ACTION METHODS === #
    def action_submit(self):
        """Submit, then acknowledge with the decision the policy took meanwhile."""
        pending = self.filtered(lambda r: r.state == "draft")
        result = super(
            RmaOrder, self.with_context(rma_ack_pending=tuple(pending.ids))
        ).action_submit()
        pending._rma_send_notification("submitted")
        return result

    # === BUSINESS METHODS === #
    def _rma_notify(self, event):
        """E-mail the customer about ``event`` (once per return and event, when the
        company's setting for it is on). The acknowledgement of a submission waits
        for the policy's decision, and precedes an immediate approval or rejection."""
        super()._rma_notify(event)
        if event == "draft":
            # a reopened return goes through the flow, and its e-mails, again
            self.sudo().filtered("rma_notified_events").rma_notified_events = False
            return
        pending = set(self.env.context.get("rma_ack_pending") or ())
        if event == "submitted":
            self.filtered(lambda r: r.id not in pending)._rma_send_notification(event)
            return
        if event in DECISION_EVENTS and pending:
            self.filtered(lambda r: r.id in pending)._rma_send_notification("submitted")
        self._rma_send_notification(event)

    def _rma_send_notification(self, event):
        """Post the template of ``event`` on the returns not yet told about it."""
        if event not in NOTIFICATIONS:
            return
        switch, xmlid = NOTIFICATIONS[event]
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        todo = self.sudo().filtered(
            lambda r: r.company_id[switch] and event not in r._rma_sent_events()
        )
        if not todo:
            return
        for events, records in groupby(todo, key=lambda r: r.rma_notified_events or ""):
            self.browse([r.id for r in records]).sudo().rma_notified_events = ",".join(
                sorted(set(filter(None, events.split(","))) | {event})
            )
        internal = self.env.user._is_internal()
        for company, records in groupby(todo, key=lambda r: r.company_id):
            kwargs = {}
            if not internal:
                # the customer acted (portal): the shop speaks, and the customer,
                # though the current user, still gets the e-mail
                kwargs["author_id"] = company.partner_id.id
            records = todo.browse([r.id for r in records])
            records.with_context(mail_notify_author=not internal).message_post_with_source(
                template,
                email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
                subtype_xmlid="mail.mt_comment",
                **kwargs,
            )

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

    def _process_attachments_for_template_post(self, mail_template):
        """Attach the credit notes' PDF to the refund e-mail."""
        result = super()._process_attachments_for_template_post(mail_template)
        if mail_template != self.env.ref(
            "rma_returns.mail_template_rma_refunded", raise_if_not_found=False
        ):
            return result
        report = self.env["ir.actions.report"].sudo()
        for rma in self:
            notes = rma.sudo()._rma_refund_documents()
            for note in notes:
                content, fmt = report._render_qweb_pdf("account.account_invoices", note.ids)
                name = f"{note._get_report_base_filename()}.{fmt}".replace("/", "_")
                result.setdefault(rma.id, {}).setdefault("attachments", []).append(
                    (name, base64.b64encode(content))
                )
        return result
