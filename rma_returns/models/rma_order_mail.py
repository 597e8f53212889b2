import base64

from odoo import fields, models
from odoo.tools import format_amount, groupby

from .rma_order import EVENT_DATES
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
        that no step waits for the rendering of an e-mail and its PDF. Events
        that are no state (refunded, replacement shipped) also stamp their
        milestone date (EVENT_DATES), which webhook rules watch."""
        if event == "draft":
            # a reopened return goes through the flow, and its e-mails, again
            self.sudo().filtered("rma_notified_events").rma_notified_events = False
            return
        if event in EVENT_DATES and self:
            # the event's milestone (watched by webhook rules), each time
            self.sudo().write({EVENT_DATES[event]: fields.Datetime.now()})
        self._rma_queue_notification(event)

    def _rma_queue_notification(self, event):
        """Queue the e-mail of ``event`` for the returns not yet told about it.

        The queue keeps the order of the steps: the acknowledgement of a
        submission goes out before the policy's immediate decision, and is
        rendered with that decision.

        :return: the queued rma.order.notification records
        """
        Notification = self.env["rma.order.notification"].sudo()
        spec = self._rma_notification_spec(event)
        if not spec:
            return Notification
        switch, xmlid = spec
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

    def _rma_notification_spec(self, event):
        """Hook: (res.company switch, mail.template xml id) of the customer
        e-mail about ``event``, or None. Bridges add their events here (and to
        the ``event`` selection of rma.order.notification)."""
        return NOTIFICATIONS.get(event)

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

    def _rma_refund_destinations(self):
        """Where the money of the return's posted credit notes went, as the
        refund e-mail tells the customer, in the language of the rendering:
        offset against the open invoice the credit note reverses, paid back by
        a bridge (``_rma_refund_paid_back``: the card, the store credit), and
        what is left is said to be a credit note only.

        :return: list of {"amount", "currency", "text"}, one per destination
        """
        self.ensure_one()
        notes = self.sudo()._rma_refund_documents()
        currency = notes[:1].currency_id or self.currency_id
        destinations = []
        offsets = {}
        for note in notes:
            receivable = note.line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
            )
            for partial in receivable.matched_debit_ids:
                invoice = partial.debit_move_id.move_id
                if invoice.move_type == "out_invoice":
                    offsets[invoice] = offsets.get(invoice, 0.0) + partial.credit_amount_currency
        for invoice, amount in offsets.items():
            destinations.append(
                {
                    "amount": amount,
                    "currency": currency,
                    "text": self.env._(
                        "%(amount)s offset against your open invoice %(invoice)s.",
                        amount=format_amount(self.env, amount, currency),
                        invoice=invoice.name,
                    ),
                }
            )
        destinations += self._rma_refund_paid_back()
        rest = sum(notes.mapped("amount_total")) - sum(d["amount"] for d in destinations)
        if currency.compare_amounts(rest, 0.0) > 0:
            destinations.append(
                {
                    "amount": rest,
                    "currency": currency,
                    "text": self.env._(
                        "%(amount)s: we issued credit note %(notes)s; our accounting team "
                        "pays it back to you.",
                        amount=format_amount(self.env, rest, currency),
                        notes=", ".join(notes.mapped("name")),
                    ),
                }
            )
        return destinations

    def _rma_refund_paid_back(self):
        """Hook: the money of the credit notes that was paid back to the
        customer automatically (bridges add the card, the store credit).

        :return: list of {"amount" (in the credit notes' currency), "currency", "text"}
        """
        return []

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
