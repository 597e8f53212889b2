from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, format_date


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === ACTION METHODS === #
    def action_refund(self):
        """Create (and post, per the return's setting) the credit notes still due:
        approved returns refund what they ask for, received ones what came back."""
        wrong = self.filtered(lambda r: r.state not in ("approved", "received", "done"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only approved or received returns can be refunded: %(names)s.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self._lock_for_update()
        self._rma_refund(force=True)
        self._rma_check_done()
        return True

    def action_done(self):
        """Close the return: goods still waiting get their disposition (restock by
        default), refunds still due are made, then every line must be resolved."""
        todo = self._start_transition("done")
        todo.line_ids._rma_apply_disposition()
        todo._rma_refund(force=True)
        for rma in todo:
            reason = next(
                (reason for line in rma.line_ids if (reason := line._rma_unresolved_reason())),
                None,
            )
            if reason:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be closed: %(reason)s", name=rma.name, reason=reason
                    )
                )
        return super().action_done()

    # === BUSINESS METHODS === #
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

    def _rma_after_refund_posted(self, moves):
        """Reconcile posted credit notes with their still unpaid invoice (a paid
        invoice leaves the credit to the customer), then tell the customer."""
        for move in moves.filtered(lambda m: m.move_type == "out_refund" and m.reversed_entry_id):
            invoice = move.reversed_entry_id
            if invoice.state != "posted" or invoice.currency_id.is_zero(invoice.amount_residual):
                continue
            receivable = (invoice.line_ids | move.line_ids).filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
            )
            receivable.reconcile()
        if moves.filtered(lambda m: m.move_type == "out_refund"):
            self._rma_notify("refunded")
        self._rma_check_done()


class RmaOrderLine(models.Model):
    _inherit = "rma.order.line"

    refund_line_ids = fields.One2many(
        "account.move.line", "rma_line_id", string="Credit Note Lines", readonly=True
    )
    qty_refunded = fields.Float(
        compute="_compute_qty_refunded",
        store=True,
        digits="Product Unit of Measure",
        help="Quantity on credit notes (not cancelled), in the line's unit.",
    )

    @api.depends(
        "refund_line_ids.quantity", "refund_line_ids.move_id.state", "refund_line_ids.move_type"
    )
    def _compute_qty_refunded(self):
        """Quantity credited for this line on credit notes that are not cancelled."""
        for line in self:
            refunds = line.refund_line_ids.filtered(
                lambda aml: aml.move_id.state != "cancel" and aml.move_id.move_type == "out_refund"
            )
            line.qty_refunded = sum(
                aml.product_uom_id._compute_quantity(aml.quantity, line.product_uom_id)
                for aml in refunds
            )

    def _rma_qty_to_refund(self, force=False):
        """Quantity to credit now: the requested one when refunding on approval,
        the received one otherwise; minus what is already credited."""
        self.ensure_one()
        rma = self.rma_id
        if rma.refund_timing == "approval":
            due = self.product_uom_qty
        elif force or rma.state in ("received", "done"):
            due = self.qty_received
        else:
            due = 0.0
        if self.resolution == "exchange":
            return 0.0
        return max(due - self.qty_refunded, 0.0)

    def _rma_prepare_refund_line_vals(self, qty):
        """Credit note line: the original invoice line (price, discount, taxes,
        account, analytic) for ``qty`` of this return line."""
        self.ensure_one()
        source = self.invoice_line_id
        return {
            "product_id": source.product_id.id,
            "name": source.name,
            "quantity": self.product_uom_id._compute_quantity(qty, source.product_uom_id),
            "product_uom_id": source.product_uom_id.id,
            "price_unit": source.price_unit,
            "discount": source.discount,
            "tax_ids": [Command.set(source.tax_ids.ids)],
            "account_id": source.account_id.id,
            "analytic_distribution": source.analytic_distribution,
            "sale_line_ids": [Command.set(source.sale_line_ids.ids)],
            "rma_line_id": self.id,
        }

    def _rma_exchange_difference(self):
        """Untaxed price of the exchange product minus the returned one's, for
        the line's quantity, in the order's currency (pricelist prices)."""
        self.ensure_one()
        order = self.rma_id.sale_order_id
        sale_line = self.sale_line_id
        old_unit = sale_line.price_unit * (1 - (sale_line.discount or 0.0) / 100.0)
        if order.pricelist_id:
            new_unit = order.pricelist_id._get_product_price(
                self.exchange_product_id, self.product_uom_qty, currency=order.currency_id
            )
        else:
            new_unit = self.exchange_product_id.lst_price
        return self.currency_id.round((new_unit - old_unit) * self.product_uom_qty)

    def _rma_unresolved_reason(self):
        """Why the line is not resolved yet, or "" when it is."""
        self.ensure_one()
        if self.decision == "reject":
            return ""
        rounding = self.product_uom_id.rounding
        open_moves = self.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        if open_moves or float_is_zero(self.qty_received, precision_rounding=rounding):
            return self.env._(
                "%(product)s has not come back.", product=self.product_id.display_name
            )
        settlements = self.refund_line_ids.move_id.filtered(lambda m: m.state != "cancel")
        if settlements.filtered(lambda m: m.state == "draft"):
            return self.env._(
                "post credit note or invoice %(moves)s.",
                moves=", ".join(settlements.filtered(lambda m: m.state == "draft").mapped("name")),
            )
        if self.resolution == "refund":
            sale_line = self.sale_line_id
            if (
                self.invoice_line_id
                and float_compare(self.qty_refunded, self.qty_received, precision_rounding=rounding)
                < 0
                and float_compare(
                    sale_line.qty_invoiced, 0.0, precision_rounding=sale_line.product_uom.rounding
                )
                > 0
            ):
                return self.env._(
                    "%(product)s is not refunded yet.", product=self.product_id.display_name
                )
            return ""
        if float_compare(self.qty_replaced, self.product_uom_qty, precision_rounding=rounding) < 0:
            return self.env._(
                "the %(kind)s of %(product)s is not delivered yet.",
                kind=dict(self._fields["resolution"]._description_selection(self.env))[
                    self.resolution
                ].lower(),
                product=self.product_id.display_name,
            )
        if (
            self.resolution == "exchange"
            and not settlements
            and not self.currency_id.is_zero(self._rma_exchange_difference())
        ):
            return self.env._(
                "the price difference of %(product)s is not settled.",
                product=self.product_id.display_name,
            )
        return ""

    def _rma_is_resolved(self):
        return not self._rma_unresolved_reason()
