import re
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import consteq, format_date

# Days the customer has to send the parcel once approved, when the policy has
# no return window.
SHIP_BACK_DAYS = 14
# "[SKU] " prefixes of product names, which customers are not shown
INTERNAL_REF = re.compile(r"\[[^\]\n]*\]\s*")

# States in which the customer may still tell us how the parcel travels back.
TRACKING_STATES = ("submitted", "approved")
# States in which the customer may still withdraw the return.
CANCEL_STATES = ("draft", "submitted", "approved")


class RmaOrder(models.Model):
    """What the customer portal needs from a return: the parcel they sent back
    and the timeline of the return's milestones."""

    _inherit = "rma.order"
    # A customer who can read their return can write on its chatter (as on
    # invoices); portal users never get write access to the return itself.
    _mail_post_access = "read"

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

    portal_can_cancel = fields.Boolean(
        compute="_compute_portal_can_cancel",
        help="The customer may still withdraw the return: nothing was shipped "
        "back, received, delivered or refunded yet.",
    )

    # === COMPUTE METHODS === #
    def _compute_portal_can_set_tracking(self):
        """Tracking can be entered until the goods are received."""
        for rma in self:
            rma.portal_can_set_tracking = rma.state in TRACKING_STATES

    def _compute_portal_can_cancel(self):
        """Draft, submitted or approved, with no transfer done, nothing
        received and no credit note posted."""
        for rma in self:
            rma_sudo = rma.sudo()
            rma.portal_can_cancel = (
                rma_sudo.state in CANCEL_STATES
                and not any(p.state == "done" for p in rma_sudo.picking_ids)
                and not any(rma_sudo.line_ids.mapped("qty_received"))
                and not any(m.state == "posted" for m in rma_sudo.credit_note_ids)
            )

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

    def _rma_portal_cancel(self, access_token=None):
        """The customer withdraws their return from its portal page.

        Called as the visitor (not sudo): a logged-in customer of the return's
        commercial partner who can read it, or whoever holds the return's
        access token. The return is then cancelled as superuser (its open
        transfers and draft credit notes with it), and the chatter says who
        did it.

        :param str access_token: the return's token from the page's URL, if any
        :raise AccessError: the visitor does not own the return
        :raise UserError: something was already shipped, received or refunded
        """
        self.ensure_one()
        rma_sudo = self.sudo()
        user = self.env.user
        by_token = bool(
            isinstance(access_token, str)
            and access_token
            and rma_sudo.access_token
            and consteq(rma_sudo.access_token, access_token)
        )
        by_owner = (
            not user._is_public()
            and rma_sudo.commercial_partner_id == user.partner_id.commercial_partner_id
            and self.sudo(False).has_access("read")
        )
        if not (by_token or by_owner):
            raise AccessError(self.env._("You can only cancel your own returns."))
        if not rma_sudo.portal_can_cancel:
            raise UserError(
                self.env._(
                    "%(name)s can no longer be cancelled: the goods are on their way or "
                    "back with us, or the refund was made. Please write to us below.",
                    name=rma_sudo.name,
                )
            )
        author = rma_sudo.partner_id if user._is_public() else user.partner_id
        rma_sudo.action_cancel()
        rma_sudo.message_post(
            body=self.env._("Cancelled by the customer."),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _rma_ship_by_date(self):
        """The date by which the customer should send the parcel: the approval
        date plus the policy's return window (SHIP_BACK_DAYS without one)."""
        self.ensure_one()
        rma = self.sudo()
        if not rma.date_approved:
            return False
        days = rma.policy_id.return_days or SHIP_BACK_DAYS
        return (rma.date_approved + timedelta(days=days)).date()

    def _rma_return_address(self):
        """The partner whose address the parcel goes to."""
        self.ensure_one()
        rma = self.sudo()
        return rma.warehouse_id.partner_id or rma.company_id.partner_id

    def _rma_customer_decision_text(self, lang=None):
        """What the customer reads about the decision, per outcome, in the
        reader's language (``lang``, else the context's): computed when shown,
        never the language of submission. Nothing internal (rule logs, limits,
        SKUs, customs data): those stay in ``decision_explanation``.

        :param str lang: language code of the reader
        :return: plain text ('' for a draft)
        """
        self.ensure_one()
        rma = self.sudo().with_context(lang=lang or self.env.context.get("lang"))
        state = rma.state
        if state == "draft":
            return ""
        if state == "submitted":
            return rma.env._("We're checking your request and will reply within one business day.")
        if state == "rejected":
            if rma.reject_reason:
                reason = INTERNAL_REF.sub("", rma.reject_reason).strip()
                return rma.env._("Not accepted: %(reason)s", reason=reason)
            return rma.env._("Not accepted. Please write to us below if you have a question.")
        if state == "cancelled":
            return rma.env._("This return is cancelled.")
        if state == "approved":
            address = rma._rma_return_address()
            place = (address.contact_address_inline or "").strip()
            if address.name and not place.startswith(address.name):
                place = ", ".join(filter(None, [address.name, place]))
            ship_by = rma._rma_ship_by_date()
            if ship_by:
                return rma.env._(
                    "Approved: print your slip and send the parcel by %(date)s to %(address)s.",
                    date=format_date(rma.env, ship_by, date_format="long"),
                    address=place,
                )
            return rma.env._(
                "Approved: print your slip and send the parcel to %(address)s.", address=place
            )
        if state == "received":
            return rma.env._("We received your parcel and are checking the items.")
        return rma.env._("Your return is complete.")

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """Customers do not reach the chatter of a return still in draft (the
        shop's work in progress), whatever rule or token would let them."""
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        if thread and not self.env.user._is_internal() and thread.sudo().state == "draft":
            return self.browse()
        return thread

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

    def _rma_portal_line_outcomes(self):
        """How each line ends for the customer: refunded (on a credit note) or
        replaced (replacement or exchange delivered).

        :return: list of {"line", "label", "done"}
        """
        self.ensure_one()
        outcomes = []
        for line in self.sudo().line_ids:
            if line.resolution == "refund":
                done = line.qty_refunded > 0
                label = self.env._("refunded") if done else self.env._("refund to come")
            else:
                done = line.qty_replaced > 0
                label = self.env._("replaced") if done else self.env._("replacement to come")
            outcomes.append({"line": line, "label": label, "done": done})
        return outcomes

    def _rma_portal_timeline(self):
        """The milestones shown to the customer, in order.

        "Shipped back" is done once the customer gave a tracking number or the
        parcel arrived; the last step is done once every line is refunded or
        replaced, and says so per line when a return mixes both.

        :return: list of {"key", "label", "date", "done", "note", "failed"}; the
                 last steps are dropped when the return was rejected or cancelled.
        """
        self.ensure_one()
        credit_notes = self._rma_portal_credit_notes()
        delivered = self._rma_portal_replacements().filtered(lambda p: p.state == "done")
        refund_date = max(credit_notes.mapped("create_date"), default=False)
        replace_date = max(delivered.mapped("date_done"), default=False)
        outcomes = self._rma_portal_line_outcomes()
        resolutions = set(self.sudo().line_ids.mapped("resolution"))
        refunds = resolutions == {"refund"}
        if refunds:
            final_label = self.env._("Refunded")
        elif "refund" in resolutions:
            final_label = self.env._("Refunded and replaced")
        elif resolutions:
            final_label = self.env._("Replaced")
        else:
            final_label = self.env._("Refunded / replaced")
        if refunds:
            resolved = bool(credit_notes)
        elif "refund" not in resolutions:
            resolved = bool(delivered)
        else:  # mixed: each line refunded or replaced
            resolved = all(o["done"] for o in outcomes)
        final_date = max(filter(None, [refund_date, replace_date, self.date_done]), default=False)
        final_note = ""
        if len(resolutions) > 1:
            final_note = "; ".join(f"{o['line'].product_id.name}: {o['label']}" for o in outcomes)
        shipped_note = " ".join(filter(None, [self.carrier_name, self.tracking_ref]))
        steps = [
            ("submitted", self.env._("Submitted"), self.date_submitted, ""),
            ("approved", self.env._("Approved"), self.date_approved, ""),
            ("shipped", self.env._("Shipped back"), self.date_shipped, shipped_note),
            ("received", self.env._("Received"), self.date_received, ""),
            ("resolved", final_label, final_date if resolved else False, final_note),
        ]
        arrived = bool(self.date_received) or any(
            p.state == "done" and p.picking_type_code == "incoming" for p in self.sudo().picking_ids
        )
        if self.state == "rejected":
            steps = [
                steps[0],
                ("rejected", self.env._("Rejected"), self.date_rejected, ""),
            ]
        timeline = [
            {
                "key": key,
                "label": label,
                "date": date,
                "done": bool(date)
                or (key == "shipped" and (bool(self.tracking_ref) or arrived))
                or (key == "resolved" and resolved)
                or (key == "received" and arrived),
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
