from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === BUSINESS METHODS === #
    def _rma_portal_returnable_lines(self):
        """Lines of the order a customer can still return on the portal, with
        the quantity each can still give back.

        :return: (sale.order.line recordset, {sale line id: returnable quantity})
        """
        self.ensure_one()
        if self.state != "sale":
            return self.env["sale.order.line"], {}
        lines = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "consu"
        )
        returnable = lines._rma_returnable_qty()
        lines = lines.filtered(lambda line: returnable.get(line.id, 0.0) > 0)
        return lines, returnable

    def _rma_portal_can_return(self):
        """True when the customer can start a return of this order on the portal."""
        self.ensure_one()
        return bool(self._rma_portal_returnable_lines()[0])


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # === BUSINESS METHODS === #
    def _rma_portal_exchange_products(self):
        """Other sellable variants of the same product template, per line:
        what an exchange can be made for.

        :return: {sale line id: product.product recordset}
        """
        result = {}
        for line in self:
            company = line.order_id.company_id
            result[line.id] = (
                line.product_id.product_tmpl_id.product_variant_ids - line.product_id
            ).filtered(lambda p, c=company: p.sale_ok and p.company_id in (c, c.browse()))
        return result

    def _rma_portal_resolutions(self):
        """Resolutions a customer may choose on the portal, per line. Refund and
        replacement always; exchange when the product has other variants.
        Return policies narrow this down by overriding this method.

        :return: {sale line id: list of resolution codes}
        """
        exchanges = self._rma_portal_exchange_products()
        return {
            line.id: ["refund", "replacement"] + (["exchange"] if exchanges[line.id] else [])
            for line in self
        }
