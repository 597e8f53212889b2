from odoo import api, fields, models
from odoo.exceptions import UserError


class RmaOrder(models.Model):
    """Money back: credit notes reversing the invoice lines, settlements of
    exchanges, and refunds that the accounting refuses (blocked, retried)."""

    _inherit = "rma.order"

    # === FIELDS === #
    refund_blocked = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="A refund was due but could not be made: the reason says why; an "
        "accountant is asked to fix the cause and refund again.",
    )
    refund_block_reason = fields.Text(readonly=True, copy=False, groups="base.group_user")
    can_refund = fields.Boolean(
        compute="_compute_can_refund",
        help="A credit note or an exchange settlement is due now.",
    )

    # === COMPUTE METHODS === #
    @api.depends(
        "state",
        "refund_timing",
        "line_ids.qty_received",
        "line_ids.qty_refunded",
        "line_ids.resolution",
    )
    def _compute_can_refund(self):
        """Something is due now: see _rma_nothing_to_refund_reason for why not."""
        for rma in self:
            rma.can_refund = not rma._rma_nothing_to_refund_reason()

    # === STEPS === #
    def _rma_refund_due(self):
        """Step: make the credit notes the refund timing calls for now (on
        approval; on receipt; after inspection, once every line is disposed of).
        A refund that cannot be made never fails the step: the return shows the
        reason and an accountant gets an activity (see _rma_block_refund)."""
        due = self.filtered(
            lambda r: (
                r._rma_refund_before_receipt()
                # every timing but inspection refunds on receipt at the latest
                or (r.refund_timing != "inspection" and r.state in ("received", "done"))
                or (
                    r.refund_timing == "inspection"
                    and r.state in ("received", "done")
                    and not r.can_apply_disposition
                )
            )
        )
        if not due:
            return
        # the chatter's tracking so far is kept whatever a rolled back refund does
        self.env.flush_all()
        self.env.cr.precommit.run()
        try:
            with self.env.cr.savepoint():
                due._rma_refund()
        except UserError:
            for rma in due:
                try:
                    with self.env.cr.savepoint():
                        rma._rma_refund()
                except UserError as error:
                    rma._rma_block_refund(error)
                else:
                    rma._rma_refund_unblock()
        else:
            due._rma_refund_unblock()

    def _rma_refund_before_receipt(self):
        """Hook: the requested quantities are credited without waiting for the
        goods (fast refund on approval). Bridges add their own moments, e.g.
        the carrier's first scan of the parcel."""
        self.ensure_one()
        return self.refund_timing == "approval"

    def _rma_block_refund(self, error):
        """The refund of this return cannot be made: say why, ask an accountant."""
        self.ensure_one()
        reason = error.args[0] if error.args else str(error)
        self.sudo().write({"refund_blocked": True, "refund_block_reason": reason})
        accountant = self._rma_accountant()
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=accountant.id,
            summary=self.env._("Refund blocked: %(name)s", name=self.name),
            note=reason,
        )
        self.message_post(
            body=self.env._("The refund is blocked: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )

    def _rma_refund_unblock(self):
        blocked = self.filtered("refund_blocked")
        if blocked:
            blocked.sudo().write({"refund_blocked": False, "refund_block_reason": False})
            blocked.sudo().activity_feedback(
                ["mail.mail_activity_data_todo"],
                feedback=self.env._("Refund made."),
            )

    def _rma_accountant(self):
        """Who fixes a blocked refund: an accounting manager of the company, else
        the return's responsible."""
        self.ensure_one()
        group = self.env.ref("account.group_account_manager", raise_if_not_found=False)
        users = group.sudo().users if group else self.env["res.users"]
        accountant = users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        ).sorted("id")[:1]
        return accountant or self.user_id or self.env.user

    def _rma_cancel_draft_credit_notes(self):
        """Step of cancelling: draft credit notes go with the return (the agent
        may cancel the return, whatever their accounting rights)."""
        self.sudo().credit_note_ids.filtered(lambda m: m.state == "draft").button_cancel()

    def _rma_is_refunded(self):
        """Every refund line is credited for what is due (nothing more to do)."""
        self.ensure_one()
        lines = self._rma_returnable_lines().filtered(lambda line: line.resolution == "refund")
        return bool(self.credit_note_ids) and not any(
            line._rma_qty_to_refund(force=True) > 0 for line in lines
        )

    def _rma_nothing_to_refund_reason(self):
        """Why nothing can be refunded now, or "" when something is due."""
        self.ensure_one()
        if self.state not in ("approved", "received", "done"):
            return self.env._("the return is not approved.")
        lines = self._rma_returnable_lines()
        refund_lines = lines.filtered(lambda line: line.resolution == "refund")
        exchanges = lines.filtered(lambda line: line.resolution == "exchange")
        if exchanges and self._rma_prepare_exchange_settlements(force=True):
            return ""
        if not refund_lines:
            return self.env._("no line is refunded: the goods are replaced or exchanged.")
        if not any(line._rma_invoice_lines() for line in refund_lines):
            return self.env._(
                "the order is not invoiced: its invoicing is reduced by the return instead."
            )
        if any(line._rma_qty_to_refund(force=True) > 0 for line in refund_lines):
            return ""
        if (
            not any(line.qty_received for line in refund_lines)
            and not self._rma_refund_before_receipt()
        ):
            return self.env._("the goods are not received yet.")
        return self.env._("everything due is already refunded.")

    def _rma_reconcile_credit_notes(self, moves):
        """Reconcile posted credit notes with their still unpaid invoice (a paid
        invoice leaves the credit to the customer): one reconciliation for the
        whole batch, the credit notes of an invoice matched together."""
        groups = {}
        for move in moves.filtered(lambda m: m.move_type == "out_refund" and m.reversed_entry_id):
            invoice = move.reversed_entry_id
            if invoice.state != "posted" or invoice.currency_id.is_zero(invoice.amount_residual):
                continue
            if invoice not in groups:
                groups[invoice] = invoice.line_ids.filtered(_open_receivable)
            groups[invoice] |= move.line_ids.filtered(_open_receivable)
        if groups:
            self.env["account.move.line"]._reconcile_plan(list(groups.values()))


def _open_receivable(aml):
    return aml.account_id.account_type == "asset_receivable" and not aml.reconciled
