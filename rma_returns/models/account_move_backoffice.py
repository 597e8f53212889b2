from odoo import api, fields, models


class AccountMove(models.Model):
    """What the accountant needs on return credit notes: whether money goes
    back to the customer or the credit offsets an open invoice, and its age."""

    _inherit = "account.move"

    rma_refund_kind = fields.Selection(
        [("to_refund", "To Refund"), ("offset", "Offset Against Invoice")],
        string="Settlement",
        compute="_compute_rma_refund_kind",
        store=True,
        help="To Refund: the customer already paid the invoice, the money goes back. "
        "Offset: the invoice is still open, the credit note is reconciled with it.",
    )
    rma_age_days = fields.Integer(
        string="Age (days)",
        compute="_compute_rma_age_days",
        help="Days since the credit note's date.",
    )

    @api.depends("rma_refund_status", "reversed_entry_id.payment_state")
    def _compute_rma_refund_kind(self):
        for move in self:
            status = move.rma_refund_status
            if not status:
                move.rma_refund_kind = False
            elif status == "refunded":
                move.rma_refund_kind = "to_refund"
            elif status == "reconciled":
                move.rma_refund_kind = "offset"
            else:  # still open: depends on what the customer did with the invoice
                paid = move.reversed_entry_id.payment_state in ("paid", "in_payment")
                move.rma_refund_kind = "to_refund" if paid else "offset"

    @api.depends("invoice_date", "date")
    def _compute_rma_age_days(self):
        today = fields.Date.context_today(self)
        for move in self:
            day = move.invoice_date or move.date
            move.rma_age_days = max((today - day).days, 0) if day else 0
