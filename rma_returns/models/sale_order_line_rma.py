from collections import defaultdict

from odoo import api, fields, models

from .rma_order import RMA_READERS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # === FIELDS === #
    rma_line_ids = fields.One2many(
        "rma.order.line", "sale_line_id", string="Return Lines", groups=RMA_READERS
    )

    # === COMPUTE METHODS === #
    @api.depends(
        "rma_line_ids.qty_received",
        "rma_line_ids.qty_refunded",
        "rma_line_ids.resolution",
        "rma_line_ids.decision",
    )
    def _compute_qty_to_invoice(self):
        """Lines invoiced on ordered quantities do not bill what came back on a
        refund return: Odoo lowers the delivered quantity of returned goods,
        not the ordered one, so the returned quantity is taken off here. Once
        credited, the credit note lowers the invoiced quantity instead, and
        nothing is proposed for invoicing again."""
        res = super()._compute_qty_to_invoice()
        returned = self._rma_qty_returned()
        for line in self:
            if (
                line.state == "sale"
                and not line.display_type
                and line.product_id.invoice_policy == "order"
                and returned.get(line.id)
            ):
                line.qty_to_invoice -= returned[line.id]
        return res

    # === BUSINESS METHODS === #
    def _rma_qty_returned(self):
        """Quantity of each line taken back for a refund: received, or already
        credited when the credit note came first (refund on approval).

        :return: {sale line id: quantity in the sale line's unit}
        """
        returned = defaultdict(float)
        for line in self.sudo():
            for rma_line in line.rma_line_ids:
                if (
                    rma_line.resolution != "refund"
                    or rma_line.decision == "reject"
                    or rma_line.state == "cancelled"
                ):
                    continue
                qty = max(rma_line.qty_received, rma_line.qty_refunded)
                returned[line.id] += rma_line.product_uom_id._compute_quantity(
                    qty, line.product_uom
                )
        return returned

    def _rma_returnable_qty(self, exclude_lines=None):
        """Goods swapped on an exchange are gone from the customer although the
        sale line stays delivered (the sale stands, for another product): the
        received quantity of exchange lines cannot be returned a second time."""
        result = super()._rma_returnable_qty(exclude_lines=exclude_lines)
        groups = (
            self.env["rma.order.line"]
            .sudo()
            ._read_group(
                [
                    ("sale_line_id", "in", self.ids),
                    ("resolution", "=", "exchange"),
                    ("state", "!=", "cancelled"),
                    ("qty_received", ">", 0),
                ],
                ["sale_line_id"],
                ["qty_received:sum"],
            )
        )
        for sale_line, qty in groups:
            result[sale_line.id] = max(result[sale_line.id] - qty, 0.0)
        return result
