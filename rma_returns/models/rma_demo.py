from odoo import Command, api, models


class RmaOrder(models.Model):
    _inherit = "rma.order"

    @api.model
    def _load_rma_demo(self):
        """Demo: delivered and invoiced orders, and one return in each state.

        Called once from demo/rma_demo.xml; works through the real flows (sale
        confirmation, delivery validation, invoice posting, return actions).
        """
        ref = self.env.ref
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        products = ref("rma_returns.product_shoes_demo") | ref("rma_returns.product_jacket_demo")
        products |= ref("rma_returns.product_socks_demo")
        for product in products:
            self.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 100.0
            )
        customers = [
            ref("base.partner_demo_portal"),
            ref("rma_returns.partner_anna_demo"),
            ref("rma_returns.partner_lucas_demo"),
        ]
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": customers[i % len(customers)].id,
                    # a salesperson of the shop: the returns to review are theirs
                    "user_id": ref("base.user_admin").id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 2.0})
                        for product in products
                    ],
                }
                for i in range(7)
            ]
        )
        orders.action_confirm()
        for picking in orders.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
        orders.picking_ids.button_validate()
        invoices = orders._create_invoices()
        invoices.action_post()

        wrong_size = ref("rma_returns.rma_reason_wrong_size")
        changed_mind = ref("rma_returns.rma_reason_changed_mind")
        # "Defective" needs a photo: without one the policy sends those returns
        # to review (1 stays submitted, 5 gets rejected by an agent); the other
        # returns are approved by the default policy as soon as submitted.
        defective = ref("rma_returns.rma_reason_defective")
        reasons = [
            wrong_size,
            defective,
            changed_mind,
            wrong_size,
            changed_mind,
            defective,
            changed_mind,
        ]
        rmas = self.create(
            [
                {
                    "sale_order_id": order.id,
                    "description": "Demo return",
                    "line_ids": [
                        Command.create(
                            {
                                "sale_line_id": line.id,
                                "product_uom_qty": 1.0,
                                "reason_id": reasons[i].id,
                            }
                        )
                        for line in order.order_line[:2]
                    ],
                }
                for i, order in enumerate(orders)
            ]
        )
        # rmas[0] stays a draft; each next one goes one step further. The policy
        # sets the refund timing on submission; refunding rmas[3] after inspection
        # keeps it "received" once its receipt is validated; rmas[4] is refunded
        # on receipt, which closes it.
        steps = {
            1: ["action_submit"],
            2: ["action_submit", "action_approve"],
            3: ["action_submit", "action_approve", "inspection", "action_receive"],
            4: ["action_submit", "action_approve", "action_receive", "action_done"],
            5: ["action_submit", "action_reject"],
            6: ["action_cancel"],
        }
        # the customer of rmas[4] already paid: its credit note is "to refund"
        self._rma_demo_pay(orders[4].invoice_ids)
        rmas[5].reject_reason = "The product was used: we can only take back unworn items."
        for index, actions in steps.items():
            for action in actions:
                if action == "inspection":
                    rmas[index].refund_timing = "inspection"
                else:
                    getattr(rmas[index], action)()
        self._rma_demo_more_returns(warehouse)
        return rmas

    @api.model
    def _rma_demo_pay(self, invoices):
        """Register the full payment of ``invoices`` (when a bank journal exists)."""
        journal = self.env["account.journal"].search(
            [("type", "in", ("bank", "cash")), ("company_id", "=", self.env.company.id)], limit=1
        )
        invoices = invoices.filtered(lambda m: m.state == "posted" and m.amount_residual)
        if not journal or not invoices:
            return
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"journal_id": journal.id})._create_payments()

    @api.model
    def _rma_demo_more_returns(self, warehouse):
        """Returns of dearer and cheaper products: a cross-border one from the
        United Kingdom (products with HS code and origin: the slip carries the
        customs block), and one from Berlin that goes to the Berlin warehouse."""
        ref = self.env.ref
        parka = ref("rma_returns.product_parka_demo")
        mat = ref("rma_returns.product_mat_demo")
        for product in parka | mat:
            self.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 50.0
            )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": ref("rma_returns.partner_oliver_demo").id,
                    "user_id": ref("base.user_admin").id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create({"product_id": parka.id, "product_uom_qty": 1.0}),
                        Command.create({"product_id": mat.id, "product_uom_qty": 3.0}),
                    ],
                },
                {
                    "partner_id": ref("rma_returns.partner_anna_demo").id,
                    "user_id": ref("base.user_admin").id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create({"product_id": parka.id, "product_uom_qty": 1.0}),
                    ],
                },
            ]
        )
        orders.action_confirm()
        for move in orders.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
        orders.picking_ids.move_ids.picked = True
        orders.picking_ids.button_validate()
        orders._create_invoices().action_post()
        reason = ref("rma_returns.rma_reason_wrong_size")
        rmas = self.create(
            [
                {
                    "sale_order_id": order.id,
                    "description": "Demo return",
                    "line_ids": [
                        Command.create(
                            {
                                "sale_line_id": line.id,
                                "product_uom_qty": line.product_uom_qty,
                                "reason_id": reason.id,
                            }
                        )
                        for line in order.order_line
                    ],
                }
                for order in orders
            ]
        )
        rmas.action_submit()
        rmas.filtered(lambda r: r.state == "submitted").action_approve()
        return rmas
