from collections import defaultdict

from markupsafe import escape

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount, format_date


class RmaOrder(models.Model):
    """The documents that move money back: credit notes reversing the invoice
    lines of the returned goods (resolved when the refund is made, so that late
    and split invoices come out right), the fees, and exchange settlements."""

    _inherit = "rma.order"

    # === FIELDS === #
    fees_waived = fields.Monetary(
        readonly=True,
        copy=False,
        help="Fees not charged because they exceeded what the return refunded.",
    )

    # === BUSINESS METHODS === #
    def _rma_refund(self, force=False):
        """Credit notes for the quantities due, one per return and invoice; each
        invoice line is credited for at most what it billed, newest invoice
        first. The return's fees are spread over its credit notes so that none
        is negative. Exchanges get their settlement. Nothing is created twice.

        :param force: refund whatever is due now, whatever the refund timing.
        """
        groups = self._rma_allocate_refunds(force=force)
        vals_list = []
        fees_left = {rma: rma._rma_fees_left() for rma in self}
        for (rma, invoice), items in groups.items():
            vals = rma._rma_prepare_credit_note_vals(invoice, items)
            goods = sum(source._rma_unit_total() * qty for _line, source, qty in items)
            vals["invoice_line_ids"] += rma._rma_prepare_fee_lines(invoice, fees_left[rma], goods)
            vals_list.append(vals)
        vals_list += self._rma_prepare_exchange_settlements(force=force)
        if not vals_list:
            return self.env["account.move"]
        self._rma_check_journals(vals_list)
        self._rma_check_lock_dates(vals_list)
        # The caller's right to make this step was checked by the transition;
        # the documents that follow are the system's, created in the caller's
        # name (create_uid) and logged on the credit note.
        moves = self.env["account.move"].sudo().create(vals_list)
        # one note per credit note, logged for the batch at once
        moves._message_log_batch(
            bodies={
                move.id: escape(
                    self.env._(
                        "Created by return %(rma)s (triggered by %(user)s).",
                        rma=move.rma_order_id.name,
                        user=self.env.user.name,
                    )
                )
                for move in moves
            }
        )
        moves.filtered(lambda m: m.rma_order_id.auto_post_refund).action_post()
        return moves

    def _rma_allocate_refunds(self, force=False):
        """{(return, invoice): [(return line, invoice line, quantity in the
        invoice line's unit)]}: what each credit note reverses."""
        lines = self._rma_returnable_lines().filtered(lambda line: line.resolution == "refund")
        capacity = {}
        # never credit more than is still invoiced on the sale line (its own
        # credit notes included): goods not invoiced come off the invoicing
        invoiced = {sale_line: sale_line.qty_invoiced for sale_line in lines.sale_line_id.sudo()}
        groups = defaultdict(list)
        for line in lines:
            sale_line = line.sale_line_id.sudo()
            sale_uom = sale_line.product_uom
            due = line.product_uom_id._compute_quantity(
                line._rma_qty_to_refund(force=force), sale_uom
            )
            due = min(due, max(invoiced[sale_line], 0.0))
            for source in line._rma_invoice_lines():
                if float_compare(due, 0.0, precision_rounding=sale_uom.rounding) <= 0:
                    break
                if source not in capacity:
                    capacity[source] = source._rma_qty_creditable()
                free = source.product_uom_id._compute_quantity(capacity[source], sale_uom)
                qty = min(due, free)
                if float_compare(qty, 0.0, precision_rounding=sale_uom.rounding) <= 0:
                    continue
                source_qty = sale_uom._compute_quantity(qty, source.product_uom_id)
                capacity[source] -= source_qty
                invoiced[sale_line] -= qty
                due -= qty
                groups[line.rma_id, source.move_id].append((line, source, source_qty))
        return groups

    def _rma_prepare_credit_note_vals(self, invoice, items):
        """Credit note header reversing ``invoice`` and one line per (return
        line, invoice line, quantity) in ``items``."""
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
                Command.create(line._rma_prepare_refund_line_vals(source, qty))
                for line, source, qty in items
            ],
        }

    # --- fees --- #
    def _rma_fee_products(self):
        """[(amount, service product, label)] of the return's fees."""
        self.ensure_one()
        policy = self.sudo().policy_id
        return [
            (
                self.restocking_fee,
                policy.restocking_fee_product_id
                or self.env.ref("rma_returns.product_rma_restocking_fee"),
                self.env._("Restocking fee (%(rma)s)", rma=self.name),
            ),
            (
                self.shipping_fee,
                policy.shipping_fee_product_id
                or self.env.ref("rma_returns.product_rma_shipping_fee"),
                self.env._("Return shipping fee (%(rma)s)", rma=self.name),
            ),
        ]

    def _rma_fees_left(self):
        """[[amount, product, label]] of fees not charged yet on a credit note
        (taxes included, in the return's currency)."""
        self.ensure_one()
        charged = defaultdict(float)
        fee_lines = self.sudo().credit_note_ids.filtered(lambda m: m.state != "cancel").line_ids
        for aml in fee_lines.filtered("rma_fee"):
            charged[aml.product_id] += aml.rma_fee_amount
        left = []
        for amount, product, label in self._rma_fee_products():
            rest = amount - charged.pop(product, 0.0)
            if self.currency_id.compare_amounts(rest, 0.0) > 0:
                left.append([rest, product, label])
        return left

    def _rma_prepare_fee_lines(self, invoice, fees_left, goods_total):
        """Fee lines for a credit note worth ``goods_total`` (taxes included):
        the fees still due, up to that total, so that no credit note is
        negative; what does not fit waits for the next credit note
        (``fees_left`` is updated). Fees are service products taxed as such;
        the amount is what the customer loses, taxes included (to the cent of
        the tax rounding)."""
        self.ensure_one()
        room = goods_total
        commands = []
        for fee in fees_left:
            amount, product, label = fee
            charge = min(amount, room)
            if self.currency_id.compare_amounts(charge, 0.0) <= 0:
                continue
            taxes = product.sudo().taxes_id.filtered(
                lambda t, c=invoice.company_id: t.company_id in c.parent_ids
            )
            taxes = invoice.fiscal_position_id.map_tax(taxes)
            excluded = taxes.filtered(lambda t: not t.price_include)
            # taxes of one unit of price, measured on a large base to keep
            # the currency rounding out of the ratio
            gross_per_unit = (
                excluded.compute_all(1e6, currency=invoice.currency_id)["total_included"] / 1e6
                if excluded
                else 1.0
            )
            commands.append(
                Command.create(
                    {
                        "name": label,
                        "product_id": product.id,
                        "quantity": 1.0,
                        "price_unit": -charge / (gross_per_unit or 1.0),
                        "tax_ids": [Command.set(taxes.ids)],
                        "rma_fee": True,
                        "rma_fee_amount": charge,
                    }
                )
            )
            fee[0] -= charge
            room -= charge
        fees_left[:] = [fee for fee in fees_left if self.currency_id.compare_amounts(fee[0], 0) > 0]
        return commands

    def _rma_waive_fees(self):
        """Step of closing: fees that never fitted on a credit note are waived."""
        for rma in self:
            waived = sum(fee[0] for fee in rma._rma_fees_left())
            if rma.currency_id.is_zero(waived) or not rma.credit_note_ids:
                continue
            rma.sudo().fees_waived = waived
            amount = format_amount(self.env, waived, rma.currency_id)
            rma.message_post(
                body=self.env._(
                    "Fees of %(amount)s waived: they exceed what the return refunded.",
                    amount=amount,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # --- exchanges --- #
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
                    or line.rma_id._rma_refund_before_receipt()
                    or line.rma_id.state in ("received", "done")
                )
            )
        )
        vals_list = []
        for line in lines:
            difference = line._rma_exchange_difference()
            if line.currency_id.is_zero(difference):
                continue
            source = line._rma_invoice_lines()[:1]
            order = line.rma_id.sale_order_id.sudo()
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
                                "tax_ids": [Command.set(line.sale_line_id.sudo().tax_id.ids)],
                                "rma_line_id": line.id,
                            }
                        )
                    ],
                }
            )
        return vals_list

    # --- checks before anything is created --- #
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

    def _rma_check_lock_dates(self, vals_list):
        """Refuse clearly, before creating anything, documents to post whose
        accounting date falls in a locked period (lock dates of the company, or
        the user's exceptions)."""
        for vals in vals_list:
            rma = self.browse(vals["rma_order_id"])
            if not rma.auto_post_refund:
                continue
            company = self.env["res.company"].browse(vals["company_id"])
            date = vals["invoice_date"]
            locks = company._get_lock_date_violations(
                date, fiscalyear=True, sale=True, purchase=False, tax=False, hard=True
            )
            if locks:
                raise UserError(
                    self.env._(
                        "The credit note of %(name)s cannot be posted on %(date)s: the "
                        "accounting period is locked (%(locks)s). Ask an accountant to "
                        "move the lock date before %(date)s in Accounting > Configuration "
                        "> Settings, or to grant you a lock date exception, then try again.",
                        name=rma.name,
                        date=format_date(self.env, date),
                        locks=self.env["res.company"]._format_lock_dates(locks),
                    )
                )
