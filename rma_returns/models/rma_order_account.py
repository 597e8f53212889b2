from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, format_date


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
                r.refund_timing == "approval"
                or (r.refund_timing == "receipt" and r.state in ("received", "done"))
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
        if not refund_lines.filtered("invoice_line_id"):
            return self.env._(
                "the order is not invoiced: its invoicing is reduced by the return instead."
            )
        if any(line._rma_qty_to_refund(force=True) > 0 for line in refund_lines):
            return ""
        if not any(line.qty_received for line in refund_lines) and self.refund_timing != (
            "approval"
        ):
            return self.env._("the goods are not received yet.")
        return self.env._("everything due is already refunded.")

    def _rma_refund(self, force=False):
        """Credit notes reversing the original invoice lines for the quantities
        due, one per return and invoice, with the return's fees as separate
        lines; and the settlement of exchanges. Nothing is created twice.

        :param force: refund whatever is due now, whatever the refund timing.
        """
        refund_qty = {}
        lines = self._rma_returnable_lines().filtered(
            lambda line: line.resolution == "refund" and line.invoice_line_id
        )
        # Never credit more than is invoiced on the sale line: goods delivered
        # but not invoiced yet come off the order's invoicing instead.
        invoiced = {sale_line: sale_line.qty_invoiced for sale_line in lines.sale_line_id}
        for line in lines:
            sale_uom = line.sale_line_id.product_uom
            qty = line.product_uom_id._compute_quantity(
                line._rma_qty_to_refund(force=force), sale_uom
            )
            qty = min(qty, max(invoiced[line.sale_line_id], 0.0))
            invoiced[line.sale_line_id] -= qty
            qty = sale_uom._compute_quantity(qty, line.product_uom_id)
            if not float_is_zero(qty, precision_rounding=line.product_uom_id.rounding):
                refund_qty[line] = qty
        groups = defaultdict(list)
        for line, qty in refund_qty.items():
            groups[line.rma_id, line.invoice_line_id.move_id].append((line, qty))
        fees_done = self.credit_note_ids.filtered(
            lambda m: m.state != "cancel" and m.line_ids.filtered("rma_fee")
        ).rma_order_id
        vals_list = []
        for (rma, invoice), items in groups.items():
            vals = rma._rma_prepare_credit_note_vals(invoice, items)
            if rma not in fees_done:
                vals["invoice_line_ids"] += rma._rma_prepare_fee_lines(items[0][0].invoice_line_id)
                fees_done |= rma
            vals_list.append(vals)
        vals_list += self._rma_prepare_exchange_settlements(force=force)
        if not vals_list:
            return self.env["account.move"]
        self._rma_check_journals(vals_list)
        # Agents approve and receive returns; the documents that follow are the
        # system's, whatever the agent's accounting rights.
        moves = self.env["account.move"].sudo().create(vals_list)
        negative = moves.filtered(lambda m: m.currency_id.compare_amounts(m.amount_total, 0) < 0)
        if negative:
            raise UserError(
                self.env._(
                    "The fees of %(name)s exceed the refunded amount: lower the "
                    "restocking or return shipping fee.",
                    name=negative[0].rma_order_id.name,
                )
            )
        to_post = moves.filtered(lambda m: m.rma_order_id.auto_post_refund)
        self._rma_check_lock_dates(to_post)
        to_post.action_post()
        return moves

    def _rma_prepare_credit_note_vals(self, invoice, items):
        """Credit note header reversing ``invoice`` and one line per (return
        line, quantity) in ``items``, copied from the original invoice line."""
        self.ensure_one()
        return {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "partner_shipping_id": invoice.partner_shipping_id.id,
            "currency_id": invoice.currency_id.id,
            "journal_id": invoice.journal_id.id,
            "company_id": invoice.company_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_user_id": invoice.invoice_user_id.id,
            "team_id": invoice.team_id.id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_origin": invoice.invoice_origin,
            "ref": self.env._("Return %(rma)s of %(invoice)s", rma=self.name, invoice=invoice.name),
            "reversed_entry_id": invoice.id,
            "rma_order_id": self.id,
            "invoice_line_ids": [
                Command.create(line._rma_prepare_refund_line_vals(qty)) for line, qty in items
            ],
        }

    def _rma_prepare_fee_lines(self, template_line):
        """Restocking and return-shipping fees as separate, labelled negative lines
        (amounts in the return's currency, deducted from the refund as they are)."""
        self.ensure_one()
        fees = [
            (self.restocking_fee, self.env._("Restocking fee (%(rma)s)", rma=self.name)),
            (self.shipping_fee, self.env._("Return shipping fee (%(rma)s)", rma=self.name)),
        ]
        return [
            Command.create(
                {
                    "name": label,
                    "quantity": 1.0,
                    "price_unit": -amount,
                    "account_id": template_line.account_id.id,
                    "tax_ids": [Command.clear()],
                    "analytic_distribution": template_line.analytic_distribution,
                    "rma_fee": True,
                }
            )
            for amount, label in fees
            if not self.currency_id.is_zero(amount)
        ]

    def _rma_prepare_exchange_settlements(self, force=False):
        """The price difference of exchanges due now: a credit note when the new
        product is cheaper, an invoice when it is dearer, one line per return line."""
        lines = self._rma_returnable_lines().filtered(
            lambda line: (
                line.resolution == "exchange"
                and line.exchange_product_id
                and not line.refund_line_ids.filtered(lambda aml: aml.move_id.state != "cancel")
                and (
                    force
                    or line.rma_id.refund_timing == "approval"
                    or line.rma_id.state in ("received", "done")
                )
            )
        )
        vals_list = []
        for line in lines:
            difference = line._rma_exchange_difference()
            if line.currency_id.is_zero(difference):
                continue
            source = line.invoice_line_id
            order = line.rma_id.sale_order_id
            vals_list.append(
                {
                    "move_type": "out_refund" if difference < 0 else "out_invoice",
                    "partner_id": (source.move_id.partner_id or order.partner_invoice_id).id,
                    "currency_id": line.currency_id.id,
                    "company_id": line.company_id.id,
                    "fiscal_position_id": order.fiscal_position_id.id,
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_origin": order.name,
                    "ref": self.env._("Exchange %(rma)s", rma=line.rma_id.name),
                    "reversed_entry_id": source.move_id.id if difference < 0 else False,
                    "rma_order_id": line.rma_id.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "Price difference: %(old)s exchanged for %(new)s",
                                    old=line.product_id.display_name,
                                    new=line.exchange_product_id.display_name,
                                ),
                                "product_id": line.exchange_product_id.id,
                                "quantity": line.product_uom_qty,
                                "product_uom_id": line.product_uom_id.id,
                                "price_unit": abs(difference) / line.product_uom_qty,
                                "tax_ids": [Command.set(line.sale_line_id.tax_id.ids)],
                                "rma_line_id": line.id,
                            }
                        )
                    ],
                }
            )
        return vals_list

    def _rma_check_journals(self, vals_list):
        """Refuse clearly when a company has no sales journal for new documents."""
        companies = self.env["res.company"].browse(
            {vals["company_id"] for vals in vals_list if not vals.get("journal_id")}
        )
        journals = (
            self.env["account.journal"]
            .sudo()
            .search([("type", "=", "sale"), ("company_id", "in", companies.ids)])
        )
        missing = companies - journals.company_id
        if missing:
            raise UserError(
                self.env._(
                    "%(company)s has no sales journal: create one in Accounting > "
                    "Configuration > Journals.",
                    company=missing[0].name,
                )
            )

    def _rma_check_lock_dates(self, moves):
        """Refuse clearly, before posting, documents whose accounting date falls
        in a locked period (lock dates of the company, or the user's exceptions)."""
        for move in moves:
            locks = move.company_id._get_lock_date_violations(
                move.date, fiscalyear=True, sale=True, purchase=False, tax=False, hard=True
            )
            if locks:
                raise UserError(
                    self.env._(
                        "The credit note of %(name)s cannot be posted on %(date)s: the "
                        "accounting period is locked (%(locks)s). Ask an accountant to "
                        "move the lock date before %(date)s in Accounting > Configuration "
                        "> Settings, or to grant you a lock date exception, then try again.",
                        name=move.rma_order_id.name,
                        date=format_date(self.env, move.date),
                        locks=self.env["res.company"]._format_lock_dates(locks),
                    )
                )

    def _rma_reconcile_credit_notes(self, moves):
        """Reconcile posted credit notes with their still unpaid invoice (a paid
        invoice leaves the credit to the customer)."""
        for move in moves.filtered(lambda m: m.move_type == "out_refund" and m.reversed_entry_id):
            invoice = move.reversed_entry_id
            if invoice.state != "posted" or invoice.currency_id.is_zero(invoice.amount_residual):
                continue
            receivable = (invoice.line_ids | move.line_ids).filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
            )
            receivable.reconcile()
