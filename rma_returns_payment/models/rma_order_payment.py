from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

REFUNDABLE = ("full_only", "partial")
WAITING = ("draft", "pending", "authorized")
REFUSED = ("error", "cancel")


class RmaOrder(models.Model):
    """Money back the way the customer paid: posting a return's credit note
    refunds it through the payment provider of the order (when the provider
    supports refunds), and the provider's payment is reconciled with the
    credit note. Orders paid otherwise keep the accountant's refund payment."""

    _inherit = "rma.order"

    # === FIELDS === #
    refund_method = fields.Selection(
        [("original", "Original Payment Method"), ("store_credit", "Store Credit")],
        default="original",
        required=True,
        tracking=True,
        help="Original payment method: the credit note is refunded through the "
        "payment provider of the order when it supports refunds (else an accountant "
        "registers the refund payment). Store credit: the credit goes to the "
        "customer's eWallet, with the policy's bonus.",
    )
    rma_refund_transaction_ids = fields.One2many(
        "payment.transaction",
        "rma_order_id",
        string="Refund Transactions",
        readonly=True,
        groups="account.group_account_invoice",
    )
    rma_payment_refund_state = fields.Selection(
        [
            ("pending", "Waiting for the Provider"),
            ("failed", "Refused"),
            ("done", "Refunded"),
        ],
        string="Money Back",
        readonly=True,
        copy=False,
        tracking=True,
        help="Where the money back stands: refunded through the payment provider or "
        "credited to the eWallet; waiting for the provider's answer; or refused (the "
        "credit note stays open: retry, or register the refund payment by hand). "
        "Empty when an accountant refunds by hand.",
    )
    rma_payment_refund_message = fields.Text(string="Money Back Problem", readonly=True, copy=False)
    rma_refund_method_label = fields.Char(
        string="Refunded To",
        readonly=True,
        copy=False,
        help="Where the money went, once confirmed, for the customer's e-mail "
        "(e.g. 'your Visa ending 4242', 'your store credit').",
    )

    # === ACTIONS === #
    def action_rma_retry_payment_refund(self):
        """Ask the provider again for the refunds it refused (or credit the
        eWallet again after a configuration fix)."""
        self._rma_check_rights("refund")
        todo = self.filtered(lambda r: r.rma_payment_refund_state == "failed")
        if not todo:
            raise UserError(self.env._("No refused refund to retry on these returns."))
        notes = todo.sudo().credit_note_ids.filtered(
            lambda m: m.move_type == "out_refund" and m.state == "posted"
        )
        todo.sudo()._rma_money_back(notes)
        return True

    # === ENTRY POINT FROM ACCOUNTING === #
    def _rma_credit_notes_posted(self, moves):
        """After the usual steps (reconciled with an unpaid invoice), the credit
        left is paid back through the provider or as store credit; the
        "refunded" e-mail of those waits for the money to move."""
        notes = moves.filtered(lambda m: m.move_type == "out_refund")
        held = self.filtered(
            lambda r: (
                notes.filtered(lambda m: m.rma_order_id == r)
                and (r.refund_method == "store_credit" or r._rma_source_transactions(notes))
            )
        )
        super(RmaOrder, self.with_context(hold_refunded_notice=held.ids))._rma_credit_notes_posted(
            moves
        )
        held._rma_money_back(notes)
        # nothing left for the provider (credited on the unpaid invoice, or
        # the rest left to the accountant): the customer is told now
        held.filtered(
            lambda r: r.rma_payment_refund_state not in ("pending", "failed")
        )._rma_notify("refunded")
        return None

    def _rma_notify(self, event):
        held = self.env.context.get("hold_refunded_notice")
        if event == "refunded" and held:
            return super(RmaOrder, self.filtered(lambda r: r.id not in held))._rma_notify(event)
        return super()._rma_notify(event)

    # === STEPS === #
    def _rma_money_back(self, notes):
        """Step: pay back what the posted credit notes ``notes`` still owe."""
        for rma in self:
            rma_notes = notes.filtered(lambda m, r=rma: m.rma_order_id == r)
            if rma.refund_method == "store_credit":
                rma._rma_credit_store(rma_notes)
            else:
                rma._rma_refund_through_provider(rma_notes)

    def _rma_refund_through_provider(self, notes):
        """Refund each credit note's open amount on the order's captured
        transactions (oldest first), never more than each still holds."""
        self.ensure_one()
        errors = []
        for note in notes.filtered(lambda m: m.state == "posted"):
            due = note.amount_residual - self._rma_refund_in_flight(note)
            for tx in self._rma_source_transactions(note):
                if note.currency_id.compare_amounts(due, 0.0) <= 0:
                    break
                amount = min(due, self._rma_refundable_amount(tx))
                if tx.provider_id.support_refund == "full_only" and (
                    tx.currency_id.compare_amounts(amount, tx.amount) != 0
                ):
                    continue
                if tx.currency_id.compare_amounts(amount, 0.0) <= 0:
                    continue
                try:
                    with self.env.cr.savepoint():
                        self._rma_request_refund(tx, note, amount)
                except (UserError, ValidationError) as error:
                    errors.append(error.args[0] if error.args else str(error))
                    continue
                due -= amount
        self._rma_payment_refund_sync(errors=errors)

    def _rma_request_refund(self, tx, note, amount):
        """Ask ``tx``'s provider to refund ``amount``, linked to ``note``; a
        refund the provider confirms at once is booked at once."""
        before = tx.child_transaction_ids
        link = {"rma_order_id": self.id, "invoice_ids": [Command.set(note.ids)]}
        tx.sudo().with_context(rma_refund_link=link).action_refund(amount_to_refund=amount)
        tx.invalidate_recordset(["child_transaction_ids"])
        refund = tx.child_transaction_ids - before
        refund.filtered(lambda t: t.state == "done" and not t.is_post_processed)._post_process()
        return refund

    def _rma_payment_refund_sync(self, errors=None):
        """The return's status follows its refund transactions: the latest
        per credit note and captured transaction counts. Entering "refused"
        asks an accountant; entering "refunded" tells the customer."""
        for rma in self:
            state = rma._rma_refund_transactions_state()
            if errors:
                state = "failed"
            if not state or state == rma.rma_payment_refund_state:
                continue
            rma._rma_set_money_back_state(state, errors=errors)

    def _rma_refund_transactions_state(self):
        self.ensure_one()
        latest = {}
        for tx in self.sudo().rma_refund_transaction_ids.sorted("id"):
            latest[tx.source_transaction_id, tx.invoice_ids] = tx
        states = {tx.state for tx in latest.values()}
        if states & set(WAITING):
            return "pending"
        if states & set(REFUSED):
            return "failed"
        return "done" if states else False

    def _rma_set_money_back_state(self, state, errors=None, label=None):
        """Enter ``state``: refunded (tell the customer where the money went),
        or waiting/refused (the credit note stays open: ask an accountant)."""
        self.ensure_one()
        rma = self.sudo()
        if state == "done":
            label = label or rma._rma_provider_label()
            rma.write(
                {
                    "rma_payment_refund_state": "done",
                    "rma_payment_refund_message": False,
                    "rma_refund_method_label": label,
                }
            )
            rma.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=self.env._("Money paid back.")
            )
            rma._rma_notify("refunded")
            return
        if state == "pending":
            reason = self.env._("The payment provider has not confirmed the refund yet.")
        else:
            refused = rma.rma_refund_transaction_ids.filtered(lambda t: t.state in REFUSED)
            reason = "\n".join(
                (errors or []) + [m for m in refused[-1:].mapped("state_message") if m]
            ) or self.env._("The payment provider refused the refund.")
        rma.write({"rma_payment_refund_state": state, "rma_payment_refund_message": reason})
        rma.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=rma._rma_accountant().id,
            summary=self.env._("Refund to check: %(name)s", name=rma.name),
            note=reason,
        )
        rma.message_post(
            body=self.env._("Money back: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )

    # === HELPERS === #
    def _rma_source_transactions(self, notes):
        """Captured transactions of the invoices ``notes`` reverse and of the
        order, through providers that can refund, in the credit note's currency."""
        self.ensure_one()
        notes = notes.filtered(lambda m: m.rma_order_id == self)
        txs = (notes.reversed_entry_id.transaction_ids | self.sale_order_id.transaction_ids).sudo()
        return txs.filtered(
            lambda tx: (
                tx.state == "done"
                and tx.operation not in ("refund", "validation")
                and tx.provider_id.support_refund in REFUNDABLE
                and tx.currency_id in notes.currency_id
            )
        ).sorted("id")

    @api.model
    def _rma_refundable_amount(self, tx):
        """What ``tx`` still holds: captured minus refunded or being refunded."""
        refunds = tx.child_transaction_ids.filtered(
            lambda t: t.operation == "refund" and t.state not in REFUSED
        )
        return tx.amount + sum(refunds.mapped("amount"))  # refunds are negative

    def _rma_refund_in_flight(self, note):
        """Refunds of ``note`` asked for but not booked yet (no payment)."""
        refunds = self.sudo().rma_refund_transaction_ids.filtered(
            lambda t: note in t.invoice_ids and t.state not in REFUSED and not t.payment_id
        )
        return -sum(refunds.mapped("amount"))

    def _rma_provider_label(self):
        """'your Visa ending 4242': the payment method of the refunded transactions."""
        self.ensure_one()
        tx = self.sudo().rma_refund_transaction_ids.filtered(lambda t: t.state == "done")[-1:]
        if not tx:
            return False
        method = tx.payment_method_id.name
        digits = "".join(c for c in (tx.token_id.payment_details or "") if c.isdigit())[-4:]
        if digits:
            return self.env._("your %(method)s ending %(digits)s", method=method, digits=digits)
        return self.env._("your %(method)s", method=method)
