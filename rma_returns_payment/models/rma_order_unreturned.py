from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import float_compare, formatLang


class RmaOrder(models.Model):
    """Replacements ship at approval, before the goods come back (the
    instant exchange). When the goods have not arrived some days after the
    replacement shipped (the policy's delay), the customer is invoiced for
    what they kept, at the price they paid, and told so."""

    _inherit = "rma.order"

    # === FIELDS === #
    rma_unreturned_invoice_id = fields.Many2one(
        "account.move",
        string="Unreturned Goods Invoice",
        readonly=True,
        copy=False,
        help="Invoice of the goods not returned in time after their replacement shipped.",
    )

    # === STEPS === #
    def _rma_create_replacements(self):
        """Step of approval (and of receipt, see _rma_moves_done): replacements
        ship before the goods come back only when the policy allows it for the
        customer; the others wait for the goods."""
        held = self.filtered(lambda r: r._rma_replacement_waits_for_goods())
        return super(RmaOrder, self - held)._rma_create_replacements()

    def _rma_moves_done(self, moves):
        """The goods arrived: ship the replacements that waited for them."""
        result = super()._rma_moves_done(moves)
        self.filtered(
            lambda r: r.state in ("received", "done") and r._rma_unshipped_replacements()
        )._rma_create_replacements()
        return result

    def _rma_replacement_waits_for_goods(self):
        self.ensure_one()
        if self.state in ("received", "done"):
            return False
        timing = self.sudo().policy_id.replacement_timing or "approval"
        if timing == "trusted":
            return self.refund_timing != "approval"
        return timing == "receipt"

    def _rma_unshipped_replacements(self):
        self.ensure_one()
        return self.line_ids.filtered(
            lambda line: (
                line.resolution in ("replacement", "exchange")
                and not line.replacement_move_ids.filtered(lambda m: m.state != "cancel")
            )
        )

    # === CRON === #
    @api.model
    def _cron_rma_invoice_unreturned(self):
        """Invoice the returns whose replacement shipped more than the policy's
        delay ago while their goods are still not back."""
        rmas = self.search(
            [
                ("state", "=", "approved"),
                ("rma_unreturned_invoice_id", "=", False),
                ("policy_id.unreturned_invoice_days", ">", 0),
                ("line_ids.resolution", "in", ("replacement", "exchange")),
            ]
        )
        now = fields.Datetime.now()
        due = rmas.filtered(
            lambda r: (
                r._rma_replacement_shipped_on()
                and r._rma_replacement_shipped_on()
                <= now - timedelta(days=r.policy_id.unreturned_invoice_days)
            )
        )
        due._rma_invoice_unreturned()

    def _rma_invoice_unreturned(self):
        """One posted invoice per return for the quantities replaced but not
        received, at the sale line's price; the customer is told."""
        for rma in self:
            lines = rma._rma_unreturned_lines()
            if not lines:
                continue
            order = rma.sale_order_id.sudo()
            invoice = (
                self.env["account.move"]
                .sudo()
                .with_company(rma.company_id)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": order.partner_invoice_id.id,
                        "currency_id": order.currency_id.id,
                        "company_id": rma.company_id.id,
                        "fiscal_position_id": order.fiscal_position_id.id,
                        "invoice_origin": order.name,
                        "ref": self.env._("Goods of return %(name)s not returned", name=rma.name),
                        "rma_order_id": rma.id,
                        "invoice_line_ids": [
                            Command.create(line._rma_prepare_unreturned_line_vals(qty))
                            for line, qty in lines
                        ],
                    }
                )
            )
            invoice.action_post()
            rma.sudo().rma_unreturned_invoice_id = invoice
            amount = formatLang(self.env, invoice.amount_total, currency_obj=invoice.currency_id)
            rma.message_post(
                body=self.env._(
                    "The goods of your return %(name)s have not reached us %(days)s days "
                    "after your replacement shipped: they are invoiced (%(invoice)s, "
                    "%(amount)s). Send them back and the invoice will be credited.",
                    name=rma.name,
                    days=rma.policy_id.unreturned_invoice_days,
                    invoice=invoice.name,
                    amount=amount,
                ),
                partner_ids=rma.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )

    # === HELPERS === #
    def _rma_replacement_shipped_on(self):
        """When the last replacement reached the customer (False if none did)."""
        self.ensure_one()
        moves = self.line_ids.replacement_move_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
        )
        return max(moves.mapped("date"), default=False)

    def _rma_unreturned_lines(self):
        """[(line, quantity)] replaced and not received, in the line's unit."""
        self.ensure_one()
        result = []
        for line in self.line_ids.filtered(lambda ln: ln.resolution in ("replacement", "exchange")):
            qty = min(line.qty_replaced, line.product_uom_qty) - line.qty_received
            if float_compare(qty, 0.0, precision_rounding=line.product_uom_id.rounding) > 0:
                result.append((line, qty))
        return result


class RmaOrderLine(models.Model):
    _inherit = "rma.order.line"

    def _rma_prepare_unreturned_line_vals(self, qty):
        """The goods kept: the returned product at the price paid. A replacement
        counted as delivered again on the sale line is invoiced on it; an
        exchange (the new product was paid through its settlement) is not."""
        self.ensure_one()
        sale_line = self.sale_line_id.sudo()
        vals = {
            "product_id": self.product_id.id,
            "name": self.env._(
                "%(product)s not returned (%(rma)s)",
                product=self.product_id.display_name,
                rma=self.rma_id.name,
            ),
            "quantity": qty,
            "product_uom_id": self.product_uom_id.id,
            "price_unit": sale_line.product_uom._compute_price(
                sale_line.price_unit, self.product_uom_id
            ),
            "discount": sale_line.discount,
            "tax_ids": [Command.set(sale_line.tax_id.ids)],
        }
        if self.resolution == "replacement":
            vals["sale_line_ids"] = [Command.set(sale_line.ids)]
        return vals
