from odoo import models

from .rma_order import OPEN_STATES


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _rma_returnable_qty(self, exclude_lines=None):
        """Quantity of each line that can still be returned, in the line's unit.

        Delivered quantity (already net of goods that came back, as Odoo counts
        it) minus what open returns still ask for, ignoring ``exclude_lines``.
        Services are never returnable. Reads every customer's returns (sudo): the
        limit holds whoever asks.

        :return: {sale line id: returnable quantity}
        """
        domain = [("sale_line_id", "in", self.ids), ("state", "in", OPEN_STATES)]
        if exclude_lines:
            domain.append(("id", "not in", exclude_lines.ids))
        groups = (
            self.env["rma.order.line"]
            .sudo()
            ._read_group(domain, ["sale_line_id"], ["qty_pending:sum"])
        )
        pending = {sale_line.id: qty for sale_line, qty in groups}
        return {
            line.id: 0.0
            if line.product_id.type == "service"
            else max(line.qty_delivered - pending.get(line.id, 0.0), 0.0)
            for line in self
        }
