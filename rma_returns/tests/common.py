from contextlib import contextmanager

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user


class RmaCommon(TransactionCase):
    """Shared fixtures: a customer, storable products in stock, a returns agent,
    and helpers that go through the real sale → delivery → invoice flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        # the demo's other return warehouses do not take the tests' returns
        cls.env["stock.warehouse"].search(
            [("rma_accept_returns", "=", True), ("id", "!=", cls.warehouse.id)]
        ).rma_accept_returns = False
        cls.customer = cls.env["res.partner"].create(
            {"name": "Ruth Returner", "email": "ruth@example.com"}
        )
        cls.product_a = cls._create_product("Hiking Boots", 100.0)
        cls.product_b = cls._create_product("Fleece Jacket", 60.0)
        cls.service = cls.env["product.product"].create(
            {"name": "Gift Wrapping", "type": "service", "list_price": 5.0}
        )
        cls.agent = new_test_user(
            cls.env,
            login="rma_agent",
            groups="base.group_user,rma_returns.group_rma_user",
            name="Returns Agent",
        )
        cls.reason = cls.env.ref("rma_returns.rma_reason_wrong_size")

    def _real_pdf_context(self):
        """The context that renders real PDFs in a test. wkhtmltopdf fetches
        the report's styles from this server; Odoo's own runner runs the tests
        holding the registries' lock, so the server answers in test mode only
        (on this test's cursor, as for an HttpCase)."""
        if self.registry.test_cr is None:
            self.registry.enter_test_mode(self.cr)
            self.addCleanup(self.registry.leave_test_mode)
        return {"force_report_rendering": True}

    @classmethod
    def _create_product(cls, name, price, company=None):
        product = cls.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "list_price": price,
                "invoice_policy": "delivery",
                "company_id": company.id if company else False,
            }
        )
        return product

    @classmethod
    def _stock(cls, product, qty, warehouse=None):
        warehouse = warehouse or cls.warehouse
        cls.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, qty)

    @classmethod
    def _deliver(cls, order, quantities=None):
        """Validate the order's open deliveries, shipping ``quantities``
        ({product: qty}) or everything."""
        pickings = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in pickings.move_ids:
            qty = move.product_uom_qty
            if quantities is not None:
                qty = quantities.get(move.product_id, 0.0)
            move.quantity = qty
            move.picked = True
        result = pickings.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form(cls.env["stock.backorder.confirmation"].with_context(**result["context"]))
            wizard.save().process()
        return pickings

    @classmethod
    def _create_order(cls, lines, partner=None, deliver=True, invoice=True, company=None):
        """Confirmed order with ``lines`` [(product, qty)], delivered and invoiced."""
        company = company or cls.company
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        for product, qty in lines:
            if product.is_storable:
                cls._stock(product, qty, warehouse)
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "company_id": company.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                        for product, qty in lines
                    ],
                }
            )
        )
        order.action_confirm()
        if deliver:
            cls._deliver(order)
        if deliver and invoice:
            order._create_invoices().action_post()
        return order

    @contextmanager
    def assertRaisesRegex(self, exception, regex, msg=None):
        """unittest's assertRaisesRegex without Odoo's savepoint would keep
        what the failed call wrote; go through Odoo's assertRaises instead."""
        with self.assertRaises(exception, msg=msg) as cm:
            yield cm
        self.assertRegex(str(cm.exception), regex)

    def _flush_tracking(self):
        """Write the chatter's tracking messages now, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _create_rma(self, order, quantities, user=None, picking=None):
        """Create a return through the wizard, as an agent would.

        ``quantities``: {product: qty}; lines not named are left out (quantity 0).
        """
        wizard_model = self.env["rma.create.wizard"].with_user(user or self.agent)
        ctx = {"default_sale_order_id": order.id}
        if picking:
            ctx["default_picking_id"] = picking.id
        form = Form(wizard_model.with_context(**ctx))
        form.reason_id = self.reason
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.quantity = quantities.get(line.product_id, 0.0)
        action = form.save().action_create_rma()
        return self.env["rma.order"].browse(action["res_id"])
