from datetime import timedelta

from odoo import Command, fields, models

from .rma_order_line import RESOLUTIONS


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
        if lines:
            picker = lines._rma_portal_picker()
            lines = lines.filtered(lambda line: not picker[line.id]["blocked"])
        return lines, returnable

    def _rma_portal_picker_lines(self):
        """The goods of the order as the item picker lists them.

        :return: (sale.order.line recordset, {line id: see _rma_portal_picker})
        """
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "consu"
        )
        return lines, lines._rma_portal_picker()

    def _rma_portal_can_return(self):
        """True when the customer can start a return of this order on the portal."""
        self.ensure_one()
        return bool(self._rma_portal_returnable_lines()[0])


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # === BUSINESS METHODS === #
    def _rma_portal_picker(self):
        """What the item picker says of each line: why it cannot be returned
        (empty when it can), and the last day it can be returned.

        :return: {line id: {"blocked": str or "", "return_by": date or False}}
        """
        returnable = self._rma_returnable_qty()
        policies = self._rma_portal_policies()
        today = fields.Date.context_today(self)
        result = {}
        for line in self:
            policy = policies.get(line.id)
            delivered = line.move_ids.filtered(
                lambda m: m.state == "done" and m.picking_code == "outgoing"
            )
            delivered_at = max(delivered.mapped("date"), default=False)
            return_by = False
            if policy and policy.return_days and delivered_at:
                return_by = fields.Date.context_today(self, delivered_at) + timedelta(
                    days=policy.return_days
                )
            if not delivered_at:
                blocked = self.env._("Not delivered yet.")
            elif policy and not policy._rma_is_returnable(line.product_id):
                blocked = self.env._("This item cannot be returned.")
            elif return_by and return_by < today:
                blocked = self.env._("The return period has ended.")
            elif returnable.get(line.id, 0.0) <= 0:
                blocked = self.env._("Already returned.")
            else:
                blocked = ""
            result[line.id] = {"blocked": blocked, "return_by": return_by}
        return result

    def _rma_portal_exchange_products(self):
        """Other sellable variants of the same product template, per line:
        what an exchange can be made for.

        :return: {sale line id: product.product recordset}
        """
        result = {}
        for line in self:
            company = line.order_id.company_id
            result[line.id] = (
                (line.product_id.product_tmpl_id.product_variant_ids - line.product_id)
                .filtered(lambda p, c=company: p.sale_ok and p.company_id in (c, c.browse()))
                .sorted(lambda p: (p.qty_available <= 0, p.display_name))
            )
        return result

    def _rma_portal_policies(self):
        """The return policy that would judge a return of each line, as for a
        return of these lines (same order) made now.

        :return: {sale line id: rma.policy (sudo), empty when none applies}
        """
        result = {}
        for order in self.order_id:
            lines = self.filtered(lambda line, order=order: line.order_id == order)
            draft = (
                self.env["rma.order"]
                .sudo()
                .with_company(order.company_id)
                .new(
                    {
                        "sale_order_id": order.id,
                        "line_ids": [Command.create({"sale_line_id": line.id}) for line in lines],
                    }
                )
            )
            for rma_line, policy in draft._rma_line_policies().items():
                result[rma_line.sale_line_id.id] = policy
        return result

    def _rma_portal_resolutions(self):
        """Resolutions a customer may choose on the portal, per line: the ones
        the line's return policy allows (all when no policy applies), exchange
        only when the product has other variants.

        :return: {sale line id: list of resolution codes}
        """
        exchanges = self._rma_portal_exchange_products()
        policies = self._rma_portal_policies()
        result = {}
        for line in self:
            policy = policies.get(line.id)
            result[line.id] = [
                code
                for code, _label in RESOLUTIONS
                if (not policy or policy[f"allow_{code}"])
                and (code != "exchange" or exchanges[line.id])
            ]
        return result
