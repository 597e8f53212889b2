from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    rma_refund_status = fields.Selection(
        [
            ("to_reconcile", "To Reconcile"),
            ("reconciled", "Reconciled"),
            ("refunded", "Refunded"),
        ],
        string="Return Refund Status",
        compute="_compute_rma_refund_status",
        store=True,
        help="For posted return credit notes: still open (to reconcile or to pay "
        "back), reconciled with the invoice, or paid back to the customer.",
    )

    @api.depends("rma_order_id", "state", "payment_state")
    def _compute_rma_refund_status(self):
        """Open, reconciled with an invoice, or paid back by a refund payment."""
        for move in self:
            if not move.rma_order_id or move.state != "posted" or move.move_type != "out_refund":
                move.rma_refund_status = False
            elif move.payment_state in ("not_paid", "partial"):
                move.rma_refund_status = "to_reconcile"
            elif move._get_reconciled_payments() or move.matched_payment_ids:
                move.rma_refund_status = "refunded"
            else:
                move.rma_refund_status = "reconciled"

    def _post(self, soft=True):
        """Tell the returns their credit notes are posted (one entry point)."""
        posted = super()._post(soft=soft)
        rma_moves = posted.filtered("rma_order_id")
        if rma_moves:
            # whoever may post the move may let its return go on
            rma_moves.rma_order_id.sudo()._rma_credit_notes_posted(rma_moves.sudo())
        return posted


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    rma_line_id = fields.Many2one(
        "rma.order.line",
        string="Return Line",
        index="btree_not_null",
        copy=False,
        help="The return line this credit note line refunds.",
    )
    rma_fee = fields.Boolean(
        string="Return Fee", copy=False, help="Restocking or return shipping fee of a return."
    )
