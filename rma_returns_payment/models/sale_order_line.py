from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _rma_portal_resolutions(self):
        """An exchange for another variant in stock ("size 44") is offered
        first, before money back, where the policy allows exchanges."""
        result = super()._rma_portal_resolutions()
        in_stock = self._rma_portal_exchange_in_stock()
        for line_id, codes in result.items():
            if in_stock.get(line_id) and "exchange" in codes:
                codes.remove("exchange")
                codes.insert(0, "exchange")
        return result

    def _rma_portal_exchange_in_stock(self):
        """The first other variant in stock of each line (the exchange the
        portal suggests), if any.

        :return: {sale line id: product.product (empty when none in stock)}
        """
        return {
            line_id: variants.sudo()[:1].filtered(lambda p: p.qty_available > 0)
            for line_id, variants in self._rma_portal_exchange_products().items()
        }
