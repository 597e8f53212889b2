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

    def _rma_official_pdf(self):
        """(file name, PDF) of this posted credit note: its official PDF when one
        was made, else rendered now and kept as such (res_field
        ``invoice_pdf_report_file``, as Odoo's invoice sending does) so that it
        is rendered once. Outside a real rendering (tests render HTML) nothing
        is kept."""
        self.ensure_one()
        base_name = self._get_report_base_filename().replace("/", "_")
        if self.invoice_pdf_report_id:
            return f"{base_name}.pdf", self.invoice_pdf_report_id.raw
        report = self.env["ir.actions.report"].sudo()
        content, fmt = report._render_qweb_pdf("account.account_invoices", self.ids)
        if fmt == "pdf":
            self.env["ir.attachment"].sudo().create(
                {
                    "name": self._get_invoice_report_filename(),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                    "res_field": "invoice_pdf_report_file",
                }
            )
            self.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        return f"{base_name}.{fmt}", content

    def _reconcile_reversed_moves(self, reverse_moves, move_reverse_cancel):
        """Return credit notes are reconciled by their returns once posted, all
        of a batch in one reconciliation, each with its own invoice (see
        ``rma.order._rma_reconcile_credit_notes``). Odoo's pairing here zips
        the distinct reversed invoices with the credit notes: in a batch where
        two credit notes reverse one invoice, it matched a credit note with
        the next (another customer's) invoice."""
        others = reverse_moves.filtered(lambda m: not m.rma_order_id)
        if others:
            super(AccountMove, others.reversed_entry_id)._reconcile_reversed_moves(
                others, move_reverse_cancel
            )
        return reverse_moves

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
    rma_fee_amount = fields.Monetary(
        string="Fee Charged",
        copy=False,
        help="The return's fee this line charges, taxes included, as the policy "
        "stated it (the line's total follows the tax rounding).",
    )
    rma_reversed_line_id = fields.Many2one(
        "account.move.line",
        string="Reversed Invoice Line",
        index="btree_not_null",
        copy=False,
        help="The invoice line this return credit note line reverses.",
    )

    def _rma_credited_qty(self):
        """Quantity of this invoice line already credited (not cancelled): by
        return credit notes reversing it, and by other credit notes of its
        invoice on the same sale lines; in this line's unit."""
        self.ensure_one()
        credits = self.search(
            [
                ("move_id.move_type", "=", "out_refund"),
                ("move_id.state", "!=", "cancel"),
                "|",
                ("rma_reversed_line_id", "=", self.id),
                "&",
                "&",
                ("rma_reversed_line_id", "=", False),
                ("move_id.reversed_entry_id", "=", self.move_id.id),
                ("sale_line_ids", "in", self.sale_line_ids.ids or [0]),
            ]
        )
        return sum(
            aml.product_uom_id._compute_quantity(aml.quantity, self.product_uom_id)
            for aml in credits
            if not aml.rma_fee
        )

    def _rma_qty_creditable(self):
        """Quantity of this invoice line a return may still credit."""
        self.ensure_one()
        return max(self.quantity - self._rma_credited_qty(), 0.0)

    def _rma_unit_total(self):
        """Taxes-included amount of one unit of this line (for fee room)."""
        self.ensure_one()
        return self.price_total / self.quantity if self.quantity else 0.0
