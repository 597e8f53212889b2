from odoo import Command, fields, models
from odoo.exceptions import UserError


class RmaOrder(models.Model):
    """Store credit: the credit note's open amount goes to the customer's
    eWallet (``loyalty``), plus the policy's bonus. The accounting follows: an
    entry moves the receivable to the store credit liability (the bonus is an
    expense), and is reconciled with the credit note, so no cash is owed."""

    _inherit = "rma.order"

    # === FIELDS === #
    rma_store_credit_move_ids = fields.Many2many(
        "account.move",
        "rma_order_store_credit_move_rel",
        "rma_id",
        "move_id",
        string="Store Credit Entries",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
    )
    rma_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        string="eWallet",
        readonly=True,
        copy=False,
        help="The customer's eWallet the store credit went to.",
    )
    rma_store_credit_amount = fields.Monetary(
        string="Store Credit Granted",
        readonly=True,
        copy=False,
        help="Store credit added to the eWallet, bonus included.",
    )

    # === STEPS === #
    def _rma_credit_store(self, notes):
        """Credit the open amount of the posted credit notes ``notes`` to the
        customer's eWallet; a missing setting leaves the credit note open and
        asks an accountant (retry once fixed)."""
        self.ensure_one()
        notes = notes.filtered(
            lambda m: m.state == "posted" and not m.currency_id.is_zero(m.amount_residual)
        )
        if not notes:
            return
        try:
            with self.env.cr.savepoint():
                granted = sum(self._rma_credit_store_note(note) for note in notes)
        except UserError as error:
            self._rma_set_money_back_state("failed", errors=[error.args[0]])
            return
        self.sudo().rma_store_credit_amount += granted
        self._rma_set_money_back_state(
            "done",
            label=self.env._(
                "your store credit (%(program)s)",
                program=self.company_id.rma_ewallet_program_id.name,
            ),
        )

    def _rma_credit_store_note(self, note):
        """Book and credit one credit note's open amount; returns the credit granted."""
        self.ensure_one()
        company = note.company_id
        program, liability, journal = self._rma_store_credit_settings(company, note)
        bonus_rate = (self.sudo().policy_id.store_credit_bonus or 0.0) / 100.0
        amount = note.amount_residual
        currency = note.currency_id
        bonus = currency.round(amount * bonus_rate)
        if bonus and not company.rma_store_credit_bonus_account_id:
            raise UserError(
                self.env._(
                    "The store credit bonus of %(name)s needs a bonus expense account: set "
                    "it in Returns > Configuration > Settings.",
                    name=self.name,
                )
            )
        receivable = note.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        )
        partner = note.commercial_partner_id
        debit = -sum(receivable.mapped("amount_residual"))  # in the company's currency
        bonus_balance = company.currency_id.round(bonus * debit / amount)
        label = self.env._("Store credit of return %(name)s", name=self.name)
        line_vals = [
            {
                "name": label,
                "account_id": receivable[:1].account_id.id,
                "partner_id": partner.id,
                "balance": debit,
                "amount_currency": amount,
                "currency_id": currency.id,
            },
            {
                "name": label,
                "account_id": liability.id,
                "partner_id": partner.id,
                "balance": -(debit + bonus_balance),
                "amount_currency": -(amount + bonus),
                "currency_id": currency.id,
            },
        ]
        if bonus:
            line_vals.append(
                {
                    "name": self.env._("Store credit bonus of return %(name)s", name=self.name),
                    "account_id": company.rma_store_credit_bonus_account_id.id,
                    "partner_id": partner.id,
                    "balance": bonus_balance,
                    "amount_currency": bonus,
                    "currency_id": currency.id,
                }
            )
        entry = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "company_id": company.id,
                    "date": fields.Date.context_today(self),
                    "ref": label,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        entry.action_post()
        counterpart = entry.line_ids.filtered(lambda aml: aml.account_id in receivable.account_id)
        (receivable | counterpart).reconcile()
        self.sudo().rma_store_credit_move_ids = [Command.link(entry.id)]
        self._rma_add_ewallet_points(program, amount + bonus, note)
        return amount + bonus

    def _rma_store_credit_settings(self, company, note):
        """(eWallet program, liability account, journal), or a clear UserError."""
        program = company.rma_ewallet_program_id
        liability = company.rma_store_credit_account_id
        if not program or not liability:
            raise UserError(
                self.env._(
                    "Store credit is not set up for %(company)s: choose the eWallet "
                    "program and the store credit liability account in Returns > "
                    "Configuration > Settings.",
                    company=company.name,
                )
            )
        if program.currency_id != note.currency_id:
            raise UserError(
                self.env._(
                    "The credit note %(note)s is in %(currency)s, the eWallet %(program)s "
                    "in %(program_currency)s: refund it as money instead.",
                    note=note.name,
                    currency=note.currency_id.name,
                    program=program.name,
                    program_currency=program.currency_id.name,
                )
            )
        journal = company.rma_store_credit_journal_id or self.env["account.journal"].sudo().search(
            [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
        )
        if not journal:
            raise UserError(
                self.env._("%(company)s has no miscellaneous journal.", company=company.name)
            )
        return program, liability, journal

    def _rma_add_ewallet_points(self, program, points, note):
        """Add ``points`` to the customer's eWallet of ``program`` (created if
        needed), with a history line naming the return."""
        self.ensure_one()
        Card = self.env["loyalty.card"].sudo()
        card = self.rma_loyalty_card_id.filtered(lambda c: c.program_id == program)
        card = card or Card.search(
            [("program_id", "=", program.id), ("partner_id", "=", self.partner_id.id)],
            order="id",
            limit=1,
        )
        if not card:
            card = Card.create({"program_id": program.id, "partner_id": self.partner_id.id})
        card.points += points
        self.env["loyalty.history"].sudo().create(
            {
                "card_id": card.id,
                "description": self.env._(
                    "Store credit of return %(name)s (credit note %(note)s)",
                    name=self.name,
                    note=note.name,
                ),
                "issued": points,
                "order_model": self._name,
                "order_id": self.id,
            }
        )
        self.sudo().rma_loyalty_card_id = card
