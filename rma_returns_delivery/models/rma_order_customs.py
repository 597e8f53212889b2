from collections import defaultdict

from odoo import models


class RmaOrder(models.Model):
    """Customs data of a cross-border return's label: HS code, country of
    origin and declared value (in the order's currency) of each product. A
    return that needs them and lacks some is held before any label is bought."""

    _inherit = "rma.order"

    def _rma_needs_customs(self):
        """Cross-border, under a policy that asks for customs data."""
        self.ensure_one()
        return self.is_cross_border and (not self.policy_id or self.policy_id.customs_required)

    def _rma_customs_lines(self):
        """One entry per returned product, as a carrier declares it.

        :return: list of {"product", "hs_code", "origin" (country code), "qty",
            "unit_value", "value", "currency" (ISO code of the order's currency)}
        """
        self.ensure_one()
        currency = self._rma_currency()
        by_product = defaultdict(lambda: self.env["rma.order.line"])
        for line in self._rma_returnable_lines():
            by_product[line.product_id] |= line
        customs = []
        for product, lines in by_product.items():
            qty = sum(lines.mapped("product_uom_qty"))
            value = currency.round(sum(lines.mapped("price_subtotal")))
            customs.append(
                {
                    "product": product,
                    "hs_code": product.rma_hs_code or product.hs_code or "",
                    "origin": (product.rma_origin_country_id or product.country_of_origin).code
                    or "",
                    "qty": qty,
                    "unit_value": currency.round(value / qty) if qty else 0.0,
                    "value": value,
                    "currency": currency.name,
                }
            )
        return customs

    def _rma_customs_missing(self):
        """What the label's customs declaration lacks, in words: "Hiking
        Boots: HS code, country of origin; ...", or "" when nothing is missing
        (or the return needs no customs data)."""
        self.ensure_one()
        if not self._rma_needs_customs():
            return ""
        labels = {"hs_code": self.env._("HS code"), "origin": self.env._("country of origin")}
        missing = []
        for entry in self._rma_customs_lines():
            lacking = [label for key, label in labels.items() if not entry[key]]
            if lacking:
                missing.append(f"{entry['product'].display_name}: {', '.join(lacking)}")
        return "; ".join(missing)


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    def _get_commodities_from_stock_move_lines(self, move_lines):
        """Commodities of a return receipt carry the return's customs data: HS
        code (``hs_code``), country of origin, and the declared value per unit
        in the order's currency (``currency_code``) rather than the cost."""
        commodities = super()._get_commodities_from_stock_move_lines(move_lines)
        rma = move_lines.picking_id.rma_order_id[:1]
        if not rma:
            return commodities
        customs = {entry["product"]: entry for entry in rma._rma_customs_lines()}
        for commodity in commodities:
            entry = customs.get(commodity.product_id)
            if not entry:
                continue
            commodity.hs_code = entry["hs_code"]
            commodity.country_of_origin = entry["origin"] or commodity.country_of_origin
            commodity.monetary_value = entry["unit_value"]
            commodity.currency_code = entry["currency"]
        return commodities
