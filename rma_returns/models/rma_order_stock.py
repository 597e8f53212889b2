from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_warehouse import great_circle_km, partner_coordinates

WAREHOUSE_RULES = [
    ("distance", "Nearest by distance"),
    ("state", "Same country and state"),
    ("country", "Same country"),
    ("default", "Company default"),
    ("manual", "Chosen by an agent"),
]


class RmaOrder(models.Model):
    _inherit = "rma.order"

    # === FIELDS === #
    warehouse_rule = fields.Selection(
        WAREHOUSE_RULES,
        string="Routing Rule",
        readonly=True,
        copy=False,
        help="Why the return warehouse was chosen.",
    )
    warehouse_distance = fields.Float(
        string="Distance (km)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Great-circle distance between the pickup address and the warehouse, "
        "when both have coordinates.",
    )
    replacement_picking_count = fields.Integer(compute="_compute_replacement_picking_count")
    can_apply_disposition = fields.Boolean(
        compute="_compute_can_apply_disposition",
        help="Received goods are waiting for their disposition.",
    )

    # === COMPUTE METHODS === #
    @api.depends("picking_ids.picking_type_code")
    def _compute_replacement_picking_count(self):
        """Outgoing transfers of the return (replacements and exchanges)."""
        for rma in self:
            rma.replacement_picking_count = len(
                rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
            )

    @api.depends("state", "line_ids.qty_received", "line_ids.qty_disposed")
    def _compute_can_apply_disposition(self):
        """True when some received quantity has no disposition yet."""
        for rma in self:
            rma.can_apply_disposition = rma.state in ("approved", "received", "done") and any(
                line._rma_qty_to_dispose() > 0 for line in rma.line_ids
            )

    # === CRUD METHODS === #
    def write(self, vals):
        if "warehouse_id" in vals and not self.env.context.get("rma_auto_route"):
            locked = self.filtered(
                lambda r: (
                    r.state not in ("draft", "submitted")
                    and r.warehouse_id.id != vals["warehouse_id"]
                )
            )
            if locked:
                raise UserError(
                    self.env._(
                        "The return warehouse of %(names)s cannot change any more: the "
                        "return is already approved and its receipt exists.",
                        names=", ".join(locked.mapped("name")),
                    )
                )
            res = super().write(vals)
            for rma in self:
                rma.with_context(rma_auto_route=True).write(
                    rma._rma_route_vals(rma.warehouse_id, "manual")
                )
            return res
        return super().write(vals)

    # === ACTION METHODS === #
    def action_receive(self):
        """Receive the goods: validates the pending return transfers for the full
        quantity (as the warehouse would), then approved → received."""
        todo = self._start_transition("receive")
        todo._rma_pending_receipts().with_context(rma_receiving=True)._rma_validate_full()
        res = super().action_receive()
        todo._on_receive()
        return res

    def action_cancel(self):
        """Withdraw the return; an approved one also cancels its open transfers and
        draft credit notes, and is refused once goods came back or money moved."""
        todo = self._start_transition("cancel")
        approved = todo.filtered(lambda r: r.state == "approved")
        received = approved.filtered(
            lambda r: (
                any(p.state == "done" for p in r.picking_ids)
                or any(line.qty_received for line in r.line_ids)
            )
        )
        if received:
            raise UserError(
                self.env._(
                    "%(names)s cannot be cancelled: goods were already received or "
                    "shipped. Finish the return instead.",
                    names=", ".join(received.mapped("name")),
                )
            )
        posted = approved.credit_note_ids.filtered(lambda m: m.state == "posted")
        if posted:
            raise UserError(
                self.env._(
                    "%(names)s cannot be cancelled: credit note %(moves)s is posted. "
                    "Reverse it first.",
                    names=", ".join(posted.rma_order_id.mapped("name")),
                    moves=", ".join(posted.mapped("name")),
                )
            )
        approved.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()
        approved.credit_note_ids.filtered(lambda m: m.state == "draft").button_cancel()
        return super().action_cancel()

    def action_view_replacements(self):
        pickings = self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        return self._open_records(pickings, self.env._("Replacements"))

    def action_apply_disposition(self):
        """Move the received goods where each line's disposition says (restock,
        scrap, refurbish, return to vendor); refunds after inspection follow."""
        wrong = self.filtered(lambda r: r.state not in ("approved", "received", "done"))
        if wrong:
            raise UserError(
                self.env._(
                    "Goods of %(names)s have not been received.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self._lock_for_update()
        self.line_ids._rma_apply_disposition()
        self._on_disposition()
        return True

    # === BUSINESS METHODS === #
    def _on_submit(self):
        """Propose the nearest warehouse as soon as the return is submitted, so
        that an agent can override it before approval."""
        res = super()._on_submit()
        self._rma_route_warehouses(raise_if_none=False)
        return res

    def _on_approve(self):
        """Everything approval triggers, in the caller's transaction: routing,
        return transfers, replacements and exchanges, fast refunds."""
        res = super()._on_approve()
        todo = self.filtered(lambda r: r.state == "approved")
        if not todo:
            return res
        todo._rma_route_warehouses()
        todo.warehouse_id._rma_check_ready()
        todo._rma_create_return_pickings()
        todo._rma_create_replacements()
        todo.filtered(lambda r: r.refund_timing == "approval")._rma_refund()
        return res

    def _on_receive(self):
        """Run after the goods are received: refunds on receipt, then closing."""
        received = self.filtered(lambda r: r.state == "received")
        received.filtered(lambda r: r.refund_timing == "receipt")._rma_refund()
        received._rma_check_done()

    def _on_disposition(self):
        """Run after dispositions: refunds after inspection, then closing."""
        done_inspecting = self.filtered(
            lambda r: (
                r.state == "received"
                and r.refund_timing == "inspection"
                and not any(line._rma_qty_to_dispose() > 0 for line in r.line_ids)
            )
        )
        done_inspecting._rma_refund()
        self._rma_check_done()

    def _rma_route_vals(self, warehouse, rule, distance=None):
        """Values recording the warehouse, why it was chosen and how far it is."""
        self.ensure_one()
        pickup = self.partner_shipping_id or self.partner_id
        if distance is None:
            origin = partner_coordinates(pickup)
            point = warehouse and partner_coordinates(warehouse.partner_id)
            distance = round(great_circle_km(*origin, *point), 1) if origin and point else 0.0
        # same countries as the policy's cross-border rule (_rma_cross_border_countries)
        country = (warehouse.partner_id or self.company_id.partner_id).country_id
        return {
            "warehouse_id": warehouse.id,
            "warehouse_rule": rule if warehouse else False,
            "warehouse_distance": distance,
            "is_cross_border": bool(
                warehouse and pickup.country_id and country and pickup.country_id != country
            ),
        }

    def _rma_route_warehouses(self, raise_if_none=True):
        """Route returns without a warehouse to the accepting warehouse nearest to
        the pickup address (distance, then state, country, company default)."""
        todo = self.filtered(lambda r: not r.warehouse_id)
        if not todo:
            return
        Warehouse = self.env["stock.warehouse"]
        accepting = Warehouse.search(
            [("rma_accept_returns", "=", True), ("company_id", "in", todo.company_id.ids)]
        )
        for rma in todo:
            candidates = accepting.filtered(lambda w, r=rma: w.company_id == r.company_id)
            pickup = rma.partner_shipping_id or rma.partner_id
            warehouse, rule, distance = Warehouse._rma_nearest(pickup, candidates)
            if not warehouse:
                warehouse, rule, distance = rma.company_id.rma_default_warehouse_id, "default", None
            if not warehouse:
                if not raise_if_none:
                    continue
                raise UserError(
                    self.env._(
                        "No warehouse of %(company)s accepts returns for %(name)s: tick "
                        "'Accepts Returns' on a warehouse or set the company's default "
                        "return warehouse.",
                        company=rma.company_id.name,
                        name=rma.name,
                    )
                )
            rma.with_context(rma_auto_route=True).write(
                rma._rma_route_vals(warehouse, rule, distance)
            )

    def _rma_returnable_lines(self):
        """Lines that come back: not rejected by the policy."""
        return self.line_ids.filtered(lambda line: line.decision != "reject")

    def _rma_prepare_return_picking_vals(self):
        self.ensure_one()
        warehouse = self.warehouse_id
        picking_type = warehouse.rma_return_type_id
        pickup = self.partner_shipping_id or self.partner_id
        return {
            "picking_type_id": picking_type.id,
            "partner_id": pickup.id,
            "location_id": pickup.property_stock_customer.id,
            "location_dest_id": warehouse._rma_return_entry_location().id,
            "origin": self.name,
            "rma_order_id": self.id,
            "company_id": self.company_id.id,
            "user_id": False,
        }

    def _rma_create_return_pickings(self):
        """One incoming transfer per return into its warehouse, with moves tied to
        the delivered moves; lines already on a transfer are skipped."""
        lines = self._rma_returnable_lines().filtered(
            lambda line: not line.move_ids.filtered(lambda m: m.state != "cancel")
        )
        if not lines:
            return self.env["stock.picking"]
        missing = lines.filtered(lambda line: not line.move_id)
        if missing:
            raise UserError(
                self.env._(
                    "%(product)s on %(name)s was never delivered: it cannot come back.",
                    product=missing[0].product_id.display_name,
                    name=missing[0].rma_id.name,
                )
            )
        rmas = lines.rma_id
        pickings = self.env["stock.picking"].create(
            [rma._rma_prepare_return_picking_vals() for rma in rmas]
        )
        picking_of = dict(zip(rmas.ids, pickings, strict=True))
        self.env["stock.move"].create(
            [line._rma_prepare_return_move_vals(picking_of[line.rma_id.id]) for line in lines]
        )
        pickings.action_confirm()
        pickings.action_assign()
        return pickings

    def _rma_replacement_warehouse(self, line, warehouses, free):
        """Nearest warehouse of the company having the goods free in stock, else
        the return's warehouse. ``free``: {(warehouse id, product id): qty}."""
        product = line._rma_outgoing_product()
        pickup = self.partner_shipping_id or self.partner_id
        qty = line.product_uom_id._compute_quantity(line.product_uom_qty, product.uom_id)
        for warehouse in self.env["stock.warehouse"]._rma_ranked(pickup, warehouses):
            if free.get((warehouse.id, product.id), 0.0) >= qty:
                free[warehouse.id, product.id] -= qty
                return warehouse
        return self.warehouse_id

    def _rma_create_replacements(self):
        """Ship replacements (same product, counted as delivered again on the sale
        line) and exchanges (another product) through the warehouse's delivery
        route, one procurement group per return; skip lines already shipping."""
        lines = self._rma_returnable_lines().filtered(
            lambda line: (
                line.resolution in ("replacement", "exchange")
                and not line.replacement_move_ids.filtered(lambda m: m.state != "cancel")
            )
        )
        if not lines:
            return
        no_product = lines.filtered(lambda line: not line._rma_outgoing_product())
        if no_product:
            raise UserError(
                self.env._(
                    "Choose the product to send in exchange for %(product)s on %(name)s.",
                    product=no_product[0].product_id.display_name,
                    name=no_product[0].rma_id.name,
                )
            )
        rmas = lines.rma_id
        warehouses = self.env["stock.warehouse"].search([("company_id", "in", rmas.company_id.ids)])
        products = self.env["product.product"].concat(
            *(line._rma_outgoing_product() for line in lines)
        )
        free = {}
        for warehouse in warehouses:
            for product in products.with_context(location=warehouse.lot_stock_id.id):
                free[warehouse.id, product.id] = product.free_qty
        groups = self.env["procurement.group"].create(
            [
                {
                    "name": rma.name,
                    "sale_id": rma.sale_order_id.id,
                    "partner_id": (rma.partner_shipping_id or rma.partner_id).id,
                    "move_type": "direct",
                }
                for rma in rmas
            ]
        )
        group_of = dict(zip(rmas.ids, groups, strict=True))
        Procurement = self.env["procurement.group"].Procurement
        procurements = []
        for line in lines:
            rma = line.rma_id
            warehouse = rma._rma_replacement_warehouse(line, warehouses, free)
            product = line._rma_outgoing_product()
            pickup = rma.partner_shipping_id or rma.partner_id
            values = {
                "group_id": group_of[rma.id],
                "warehouse_id": warehouse,
                "partner_id": pickup.id,
                "company_id": rma.company_id,
                "date_planned": fields.Datetime.now(),
                "rma_replacement_line_id": line.id,
                "location_final_id": pickup.property_stock_customer,
            }
            if line.resolution == "replacement":
                values["sale_line_id"] = line.sale_line_id.id
            procurements.append(
                Procurement(
                    product,
                    line.product_uom_qty,
                    line.product_uom_id,
                    pickup.property_stock_customer,
                    product.display_name,
                    rma.name,
                    rma.company_id,
                    values,
                )
            )
        self.env["procurement.group"].run(procurements)
        moves = self.env["stock.move"].search([("group_id", "in", groups.ids)])
        for group, rma in zip(groups, rmas, strict=True):
            moves.filtered(lambda m, g=group: m.group_id == g).picking_id.write(
                {"rma_order_id": rma.id}
            )

    def _rma_check_done(self):
        """Close the received returns whose lines are all resolved."""
        ready = self.filtered(
            lambda r: r.state == "received" and all(line._rma_is_resolved() for line in r.line_ids)
        )
        if ready:
            ready._start_transition("done")
            ready._finish_transition("done")
