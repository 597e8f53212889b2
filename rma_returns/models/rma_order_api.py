"""The returns API of an external web shop (README.md, "External API").

Five public methods, called over XML-RPC/JSON-RPC by the API-key user of the
"Returns API" group: list a customer's returnable lines, preview the policy's
decision, create and submit a return, fetch its slip, follow its status.
That user is a portal user: it reads no partner, order or invoice of the
shop; each method checks the group, then works as the system on what the
caller named and answers with plain values.
"""

import base64

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

API_GROUP = "rma_returns.group_rma_api"
SLIP_REPORT = "rma_returns.action_report_rma_slip"
SLIP_STATES = ("approved", "received", "done")
# An exchange needs the variant the customer wants: the portal's item picker.
API_RESOLUTIONS = ("refund", "replacement")
# without an order number, the returnable lines of the customer's latest orders
API_MAX_ORDERS = 20


def _is_id(value):
    """A record id as a client sends it: a positive whole number."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === API METHODS === #
    @api.model
    def rma_api_returnable_lines(self, customer_email, order_name=None):
        """The lines a customer can still return, with the quantity of each.

        :param customer_email: the customer's e-mail, as the web shop knows it
        :param order_name: only this order of the customer (optional; without
                           it, the customer's 20 latest orders)
        :return: [{order, sale_line_id, product, default_code, qty, uom}]
        """
        self._rma_api_check()
        orders = self._rma_api_orders(customer_email, order_name)[:API_MAX_ORDERS]
        result = []
        for order in orders:
            lines, returnable = order._rma_portal_returnable_lines()
            result += [
                {
                    "order": order.name,
                    "sale_line_id": line.id,
                    "product": line.product_id.display_name,
                    "default_code": line.product_id.default_code or "",
                    "qty": returnable[line.id],
                    "uom": line.product_uom.name,
                }
                for line in lines
            ]
        return result

    @api.model
    def rma_api_preview(self, customer_email, order_name, lines):
        """What the return policy would decide on these lines, creating nothing.

        :param lines: [{sale_line_id, qty, reason (code), resolution (optional)}]
        :return: {decision, explanation, refund_amount, fees}
        """
        self._rma_api_check()
        vals = self._rma_api_vals(customer_email, order_name, lines)
        vals["name"] = self.env._("Preview")  # keeps the sequence untouched
        savepoint = self.env.cr.savepoint()
        try:
            rma = self._rma_api_model(vals).create(vals)
            evaluation = rma._rma_evaluate()[rma.id]
            preview = {
                "decision": evaluation.get("decision") or False,
                "explanation": evaluation.get("explanation_public")
                or evaluation.get("explanation")
                or "",
                "refund_amount": evaluation.get("refund_amount") or 0.0,
                "fees": evaluation.get("fees") or 0.0,
                "currency": rma.currency_id.name,
            }
        finally:
            # the draft, its lines and whatever the policy wrote go away
            savepoint.close(rollback=True)
        self.env.invalidate_all()
        return preview

    @api.model
    def rma_api_submit(self, customer_email, order_name, lines, description=None):
        """Create the return of these lines for the customer and submit it:
        the policy decides at once where it can.

        :return: the return's status (see rma_api_status)
        """
        self._rma_api_check()
        vals = self._rma_api_vals(customer_email, order_name, lines)
        vals["description"] = description or False
        rma = self._rma_api_model(vals).create(vals)
        rma._portal_ensure_token()
        rma.action_submit()
        return rma._rma_api_status()[0]

    @api.model
    def rma_api_slip(self, rma_id):
        """The return slip the customer prints and puts in the parcel.

        :return: {name, filename, format ("pdf"), content (base64)}
        """
        self._rma_api_check()
        rma = self._rma_api_browse([rma_id] if _is_id(rma_id) else None)
        if not rma:
            raise UserError(self.env._("This return does not exist."))
        rma.check_access("read")
        rma = rma.sudo()
        if rma.state not in SLIP_STATES:
            raise UserError(self.env._("A return has a slip once it is approved."))
        content, fmt = self.env["ir.actions.report"].sudo()._render_qweb_pdf(SLIP_REPORT, rma.ids)
        return {
            "name": rma.name,
            "filename": f"{rma.name.replace('/', '-')}.{fmt}",
            # "pdf"; "html" only under Odoo's test runner, which renders no PDF
            "format": fmt,
            "content": base64.b64encode(content).decode(),
        }

    @api.model
    def rma_api_status(self, rma_ids):
        """Where each return stands.

        :return: [{id, name, state, state_label, decision, explanation, order,
                   amount_total, currency, lines: [{product, qty, qty_received}]}]
        """
        self._rma_api_check()
        if _is_id(rma_ids):
            rma_ids = [rma_ids]
        rmas = self._rma_api_browse(rma_ids)
        rmas.check_access("read")
        return rmas.sudo()._rma_api_status()

    # === MECHANICS === #
    @api.model
    def _rma_api_browse(self, rma_ids):
        """The existing returns of ``rma_ids`` (a list of ids from the client;
        anything else is refused with a clear error, not a database error)."""
        if not isinstance(rma_ids, list | tuple) or not all(map(_is_id, rma_ids)):
            raise UserError(self.env._("Give the return ids as whole numbers."))
        return self.browse(rma_ids).exists()

    def _rma_api_check(self):
        if not self.env.user.has_group(API_GROUP):
            raise AccessError(self.env._("Only users of the Returns API group may use it."))

    def _rma_api_model(self, vals):
        return (
            self.sudo().with_company(vals["company_id"]).with_context(mail_create_nosubscribe=True)
        )

    def _rma_api_orders(self, customer_email, order_name=None):
        """The confirmed orders of the customer with this e-mail, in the
        caller's companies (sudo)."""
        email = email_normalize(customer_email) if isinstance(customer_email, str) else False
        if order_name is not None and not isinstance(order_name, str):
            raise UserError(self.env._("Give the order number as text, e.g. S00042."))
        if not email:
            raise UserError(self.env._("Give the customer's e-mail address."))
        domain = [
            ("partner_id.email_normalized", "=", email),
            ("state", "=", "sale"),
            ("company_id", "in", self.env.companies.ids),
        ]
        if order_name:
            domain.append(("name", "=", order_name))
        return self.env["sale.order"].sudo().search(domain, order="date_order desc, id desc")

    def _rma_api_vals(self, customer_email, order_name, lines):
        """Values of a return of ``lines`` of the customer's order; refuses
        lines of other orders, unknown reasons and quantities below one unit."""
        order = self._rma_api_orders(customer_email, order_name)[:1]
        if not order_name or not order:
            raise UserError(
                self.env._("%(order)s is not an order of this customer.", order=order_name)
            )
        if not lines or not isinstance(lines, list):
            raise UserError(self.env._("Choose at least one product and the quantity to return."))
        reasons = (
            self.env["rma.reason"]
            .sudo()
            .search(
                [
                    ("code", "!=", False),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", order.company_id.id),
                ]
            )
        )
        by_code = {reason.code: reason for reason in reasons}
        commands = []
        for item in lines:
            item = item if isinstance(item, dict) else {}
            sale_line = order.order_line.filtered(
                lambda sl, item=item: sl.id == item.get("sale_line_id")
            )
            code = item.get("reason")
            reason = by_code.get(code) if isinstance(code, str) else None
            qty = item.get("qty")
            if not sale_line:
                raise UserError(self.env._("A line is not a line of %(order)s.", order=order.name))
            if not reason:
                raise UserError(
                    self.env._("Unknown return reason: %(reason)s", reason=item.get("reason"))
                )
            if isinstance(qty, bool) or not isinstance(qty, int | float) or qty <= 0:
                raise UserError(self.env._("The quantity to return must be above zero."))
            line_vals = {
                "sale_line_id": sale_line.id,
                "product_uom_qty": qty,
                "reason_id": reason.id,
            }
            resolution = item.get("resolution")
            if resolution:
                if resolution not in API_RESOLUTIONS:
                    raise UserError(
                        self.env._("Unknown resolution: %(resolution)s", resolution=resolution)
                    )
                line_vals["resolution"] = resolution
            commands.append(Command.create(line_vals))
        return {
            "sale_order_id": order.id,
            "partner_id": order.partner_id.id,
            "company_id": order.company_id.id,
            "user_id": order.user_id.id,
            "line_ids": commands,
        }

    def _rma_api_status(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        return [
            {
                "id": rma.id,
                "name": rma.name,
                "state": rma.state,
                "state_label": labels[rma.state],
                "decision": rma.decision or False,
                "explanation": rma.decision_explanation_public or "",
                "order": rma.sale_order_id.name,
                "amount_total": rma.amount_total,
                "currency": rma.currency_id.name,
                "lines": [
                    {
                        "sale_line_id": line.sale_line_id.id,
                        "product": line.product_id.display_name,
                        "qty": line.product_uom_qty,
                        "qty_received": line.qty_received,
                    }
                    for line in rma.line_ids
                ],
            }
            for rma in self
        ]
