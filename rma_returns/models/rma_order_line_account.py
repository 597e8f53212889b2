from odoo import Command, api, fields, models
from odoo.tools import float_compare, float_is_zero


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
        if rma._rma_refund_before_receipt():
            due = self.product_uom_qty
        elif force or rma.state in ("received", "done"):
            due = self.qty_received
        else:
            due = 0.0
        if self.resolution == "exchange":
            return 0.0
        return max(due - self.qty_refunded, 0.0)

    def _rma_invoice_lines(self):
        """Posted customer invoice lines of the sale line, newest first: resolved
        when the refund is made, so that an order invoiced after the return was
        approved, or in several invoices, is credited right."""
        self.ensure_one()
        return (
            self.sale_line_id.sudo()
            .invoice_lines.filtered(
                lambda aml: aml.move_id.move_type == "out_invoice" and aml.move_id.state == "posted"
            )
            .sorted(
                lambda aml: (aml.move_id.invoice_date or aml.move_id.date, aml.id), reverse=True
            )
        )

    def _rma_prepare_refund_line_vals(self, source, qty):
        """Credit note line: the invoice line ``source`` (price, discount, taxes,
        account, analytic) for ``qty`` in its unit."""
        self.ensure_one()
        return {
            "product_id": source.product_id.id,
            "name": source.name,
            "quantity": qty,
            "product_uom_id": source.product_uom_id.id,
            "price_unit": source.price_unit,
            "discount": source.discount,
            "tax_ids": [Command.set(source.tax_ids.ids)],
            "account_id": source.account_id.id,
            "analytic_distribution": source.analytic_distribution,
            "sale_line_ids": [Command.set(source.sale_line_ids.ids)],
            "rma_line_id": self.id,
            "rma_reversed_line_id": source.id,
        }

    def _rma_exchange_difference(self):
        """What the new item costs now minus what the customer paid for the
        returned one, for the line's quantity, in the order's currency: both
        priced like with like, with the order's pricelist and the original
        line's discount rules (a discount given by hand applies to the new item
        too)."""
        self.ensure_one()
        sale_line = self.sale_line_id.sudo()
        paid = sale_line.price_unit * (1 - (sale_line.discount or 0.0) / 100.0)
        SaleLine = self.env["sale.order.line"].sudo()
        common = {
            "order_id": sale_line.order_id.id,
            "product_uom_qty": self.product_uom_qty,
            "product_uom": self.product_uom_id.id,
        }
        as_sold_now = SaleLine.new({**common, "product_id": self.product_id.id})
        new_item = SaleLine.new({**common, "product_id": self.exchange_product_id.id})
        discount = new_item.discount
        if float_compare(sale_line.discount, as_sold_now.discount, precision_digits=2):
            discount = sale_line.discount  # set by hand on the order
        new_unit = new_item.price_unit * (1 - (discount or 0.0) / 100.0)
        return self.currency_id.round((new_unit - paid) * self.product_uom_qty)

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
        if float_compare(self.qty_disposed, self.qty_received, precision_rounding=rounding) < 0:
            return self.env._(
                "%(product)s waits for its disposition (inspection).",
                product=self.product_id.display_name,
            )
        settlements = self.refund_line_ids.move_id.filtered(lambda m: m.state != "cancel")
        if settlements.filtered(lambda m: m.state == "draft"):
            return self.env._(
                "post credit note or invoice %(moves)s.",
                moves=", ".join(
                    settlements.filtered(lambda m: m.state == "draft")._rma_display_names()
                ),
            )
        if self.resolution == "refund":
            sale_line = self.sale_line_id
            if (
                self._rma_invoice_lines()
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
