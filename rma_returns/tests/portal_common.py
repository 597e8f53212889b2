import secrets

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user

from .common import RmaCommon


class RmaPortalCommon(RmaCommon, HttpCase):
    """Two portal customers with delivered and invoiced orders, and helpers to
    drive the portal over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a = new_test_user(
            cls.env,
            login="rma_portal_a",
            groups="base.group_portal",
            name="Alice Portal",
            email="alice.portal@example.com",
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="rma_portal_b",
            groups="base.group_portal",
            name="Bob Portal",
            email="bob.portal@example.com",
        )
        cls.partner_a = cls.portal_a.partner_id
        cls.partner_b = cls.portal_b.partner_id
        cls.order_a = cls._create_order(
            [(cls.product_a, 2.0), (cls.product_b, 1.0)], partner=cls.partner_a
        )
        cls.order_b = cls._create_order([(cls.product_a, 1.0)], partner=cls.partner_b)
        cls.line_a_boots = cls.order_a.order_line.filtered(
            lambda line: line.product_id == cls.product_a
        )
        cls.line_a_fleece = cls.order_a.order_line.filtered(
            lambda line: line.product_id == cls.product_b
        )

    # --- helpers -------------------------------------------------------------
    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _anonymous(self):
        self.authenticate(None, None)

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _return_url(self, order, token=None):
        url = f"/my/orders/{order.id}/return"
        return f"{url}?access_token={token}" if token else url

    def _post_return(self, order, lines, step="submit", token=None, files=None, **extra):
        """POST the return form of ``order``.

        ``lines``: {sale line: (qty, reason, resolution)}.
        """
        data = {"csrf_token": self._csrf(), "step": step, **extra}
        if step == "submit":
            # the one-time token the confirmation page carries
            data.setdefault("submit_token", self._submit_token())
        for sale_line, (qty, reason, resolution) in lines.items():
            data.update(
                {
                    f"qty_{sale_line.id}": str(qty),
                    f"reason_{sale_line.id}": str(reason.id),
                    f"condition_{sale_line.id}": "unopened",
                    f"resolution_{sale_line.id}": resolution,
                }
            )
        return self.url_open(
            self._return_url(order, token), data=data, files=files, allow_redirects=False
        )

    def _submit_token(self):
        """A new one-time token, as the confirmation page renders one."""
        return secrets.token_urlsafe(24)

    def _returns_of(self, order):
        return self.env["rma.order"].search([("sale_order_id", "=", order.id)])

    def _approved_rma(self, order, quantities):
        rma = self._create_rma(order, quantities)
        rma.action_submit()
        if rma.state == "submitted":
            rma.action_approve()
        return rma

    def _attach_credit_note(self, rma):
        """A posted credit note of ``rma`` (as the refund automation would make)."""
        invoice = rma.sale_order_id.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        credit_note = invoice._reverse_moves()
        credit_note.rma_order_id = rma
        credit_note.action_post()
        return credit_note

    def _attach_replacement(self, rma):
        """A replacement delivery of ``rma``."""
        line = rma.line_ids[:1]
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "partner_id": rma.partner_id.id,
                "rma_order_id": rma.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": line.product_id.display_name,
                            "product_id": line.product_id.id,
                            "product_uom_qty": line.product_uom_qty,
                            "product_uom": line.product_uom_id.id,
                            "location_id": self.warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        return picking
