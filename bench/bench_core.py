"""The bench's "Odoo core by hand" side: the same returns done with plain Odoo 18
Community (``sale_stock``), as a shop does them without any returns addon.

- request:  the delivery's return wizard (``stock.return.picking``) opened from
            each delivery, the returned quantities typed in;
- approve:  "Return" (``action_create_returns``): the return receipt is created,
            confirmed and reserved;
- receive:  the return receipt validated (the same helper as the other sides);
- refund:   the accountant's credit note: the invoice's reversal wizard
            (``account.move.reversal``, "Reverse" = ``refund_moves``: a draft
            credit note of the whole invoice), the credit note's quantities set
            to the returned ones, posted; posting reconciles it with the invoice.

Every outcome is verified by ``check`` (a wrong one stops the bench).
"""


class CoreByHand:
    """Mixed into bench_rma's ``Side`` (``env``, ``orders``, ``_validate_receipts``)."""

    def request(self):
        deliveries = self.orders.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        self.wizards = self.env["stock.return.picking"]
        for picking in deliveries:
            wizard = (
                self.env["stock.return.picking"]
                .with_context(
                    active_id=picking.id, active_ids=picking.ids, active_model="stock.picking"
                )
                .create({})
            )
            wizard.product_return_moves.write({"quantity": 1.0})
            self.wizards |= wizard

    def approve(self):
        self.returns = self.env["stock.picking"]
        for wizard in self.wizards:
            action = wizard.action_create_returns()
            self.returns |= self.env["stock.picking"].browse(action["res_id"])

    def receive(self):
        self._validate_receipts(self.returns)

    def refund(self):
        command = __import__("odoo").fields.Command
        invoices = self.orders.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            # the form's values (its onchange fills the journal in)
            .create({"journal_id": invoices.journal_id[:1].id, "reason": "Return"})
        )
        reversal.refund_moves()
        self.credit_notes = reversal.new_move_ids
        returned = {}
        for move in self.returns.move_ids.filtered(lambda m: m.state == "done"):
            returned[move.sale_line_id] = returned.get(move.sale_line_id, 0.0) + move.quantity
        for credit_note in self.credit_notes:
            credit_note.write(
                {
                    "invoice_line_ids": [
                        command.update(line.id, {"quantity": returned[line.sale_line_ids]})
                        if returned.get(line.sale_line_ids)
                        else command.delete(line.id)
                        for line in credit_note.invoice_line_ids
                    ]
                }
            )
        self.credit_notes.action_post()

    def check(self):
        """Receipts done, every returned unit back in stock, credit notes of the
        returned quantities posted and reconciled (nothing left on them), each
        invoice's residual reduced by its credit notes."""

        def posted(moves):
            return moves.filtered(lambda m: m.state == "posted")

        stock = self.env["stock.warehouse"].search([], limit=1).lot_stock_id
        moves = self.returns.move_ids
        lines = self.orders.order_line
        invoices = self.orders.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        outcome = {
            "returns": len(self.returns),
            "receipts_done": len(self.returns.filtered(lambda p: p.state == "done")),
            "units_back_in_stock": sum(
                moves.filtered(lambda m: m.state == "done" and m.location_dest_id == stock).mapped(
                    "quantity"
                )
            ),
            "credit_notes": len(posted(self.credit_notes)),
            "units_refunded": sum(self.credit_notes.invoice_line_ids.mapped("quantity")),
            "reconciled": len(
                self.credit_notes.filtered(
                    lambda m: (
                        m.currency_id.is_zero(m.amount_residual)
                        and m.currency_id.is_zero(
                            m.reversed_entry_id.amount_total
                            - sum(
                                posted(m.reversed_entry_id.reversal_move_ids).mapped("amount_total")
                            )
                            - m.reversed_entry_id.amount_residual
                        )
                    )
                )
            ),
        }
        expected = {
            "returns": len(self.orders),
            "receipts_done": len(self.orders),
            "units_back_in_stock": len(lines),
            # one per invoice: the bench's orders share a customer, hence an invoice
            "credit_notes": len(invoices),
            "units_refunded": len(lines),
            "reconciled": len(invoices),
        }
        if outcome != expected or any(line.qty_delivered != 1.0 for line in lines):
            raise RuntimeError(f"core by hand: expected {expected}, got {outcome}")
        return outcome
