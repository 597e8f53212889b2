import math

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_round

# Beyond this, a quantity is no quantity of goods (and overflows the rounding).
MAX_QTY = 1e12


class RmaOrderLine(models.Model):
    """Returned quantities respect the unit of measure they are sold in."""

    _inherit = "rma.order.line"

    # === CONSTRAINTS METHODS === #
    @api.constrains("product_uom_qty", "sale_line_id")
    def _check_qty_uom(self):
        for line in self:
            uom = line.product_uom_id
            if uom and not self._rma_qty_fits_uom(line.product_uom_qty, uom):
                raise ValidationError(
                    self.env._(
                        "%(product)s: %(qty)s %(uom)s cannot be returned: %(rule)s",
                        product=line.product_id.display_name,
                        qty=line.product_uom_qty,
                        uom=uom.name,
                        rule=self._rma_uom_rule(uom),
                    )
                )

    # === BUSINESS METHODS === #
    @api.model
    def _rma_qty_fits_uom(self, qty, uom):
        """Whether ``qty`` ``uom`` can be returned: a multiple of the unit's
        rounding and, for units counted in pieces (the Unit category), a whole
        number of pieces (half a dozen is 6 pieces, half a unit is nothing)."""
        if not math.isfinite(qty) or abs(qty) > MAX_QTY:
            return False
        if float_compare(
            float_round(qty, precision_rounding=uom.rounding), qty, precision_digits=9
        ):
            return False
        if uom.category_id == self.env.ref("uom.product_uom_categ_unit", raise_if_not_found=False):
            reference = uom.category_id.uom_ids.filtered(lambda u: u.uom_type == "reference")[:1]
            pieces = uom._compute_quantity(qty, reference, round=False) if reference else qty
            return not float_compare(pieces, round(pieces), precision_digits=6)
        return True

    @api.model
    def _rma_uom_rule(self, uom):
        """What the customer must enter in ``uom``, as a sentence."""
        if uom.category_id == self.env.ref("uom.product_uom_categ_unit", raise_if_not_found=False):
            return self.env._("please enter a whole number of pieces.")
        return self.env._(
            "please enter a multiple of %(rounding)s %(uom)s.",
            rounding=uom.rounding,
            uom=uom.name,
        )
