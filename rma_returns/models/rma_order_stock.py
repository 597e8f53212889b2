from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .rma_geo import approximate_location, great_circle_km, partner_coordinates

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
    inspection_required = fields.Boolean(
        compute="_compute_inspection_required",
        store=True,
        help="Received goods wait in the return location until someone inspects "
        "them and applies the dispositions (refund after inspection, or a warehouse "
        "that inspects returns). Otherwise the dispositions apply on arrival.",
    )
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

    @api.depends("refund_timing", "warehouse_id.rma_inspect_returns")
    def _compute_inspection_required(self):
        """Refunding after inspection, or a warehouse that inspects every return."""
        for rma in self:
            rma.inspection_required = (
                rma.refund_timing == "inspection" or rma.warehouse_id.rma_inspect_returns
            )

    @api.depends("state", "line_ids.qty_received", "line_ids.qty_disposed")
    def _compute_can_apply_disposition(self):
        """True when some received quantity has no disposition yet."""
        for rma in self:
            rma.can_apply_disposition = rma.state in ("approved", "received") and any(
                line._rma_qty_to_dispose() > 0 for line in rma.line_ids
            )

    # === CRUD METHODS === #
    def write(self, vals):
        """An agent choosing the warehouse by hand: recorded as the manual rule,
        refused once the return's receipt exists. Routing writes its own rule."""
        if "warehouse_id" not in vals or "warehouse_rule" in vals:
            return super().write(vals)
        locked = self.filtered(
            lambda r: (
                r.state not in ("draft", "submitted") and r.warehouse_id.id != vals["warehouse_id"]
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
            rma.write(rma._rma_route_vals(rma.warehouse_id, "manual"))
        return res

    # === ACTION METHODS === #
    def action_view_replacements(self):
        pickings = self.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        return self._open_records(pickings, self.env._("Replacements"))

    # === STEPS === #
    def _rma_pending_transfers(self):
        """Reception transfers of these returns (receipt, quality control,
        storage) still waiting to be validated."""
        return self.line_ids.move_ids.filtered(
            lambda m: m.state not in ("done", "cancel")
        ).picking_id

    def _rma_goods_arrived(self):
        """True when no reception step is pending and goods reached the return
        location (the last step is done)."""
        self.ensure_one()
        lines = self._rma_returnable_lines()
        return (
            bool(lines)
            and not lines.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
            and any(line.qty_received for line in lines)
        )

    def _rma_dispose_uninspected(self):
        """Goods of returns that need no inspection go where their disposition
        says (restock by default) as soon as they reach the return location."""
        self.filtered(
            lambda r: r.state in ("approved", "received") and not r.inspection_required
        ).line_ids._rma_apply_disposition()

    def _rma_cancel_transfers(self):
        self.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).action_cancel()

    def _rma_route_vals(self, warehouse, rule, distance=None):
        """Values recording the warehouse, why it was chosen and how far it is."""
        self.ensure_one()
        pickup = self.partner_shipping_id or self.partner_id
        if distance is None:
            origin = partner_coordinates(pickup)
            point = warehouse and approximate_location(warehouse.partner_id)[0]
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
        routes = defaultdict(list)  # one write per warehouse and route
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
            vals = rma._rma_route_vals(warehouse, rule, distance)
            routes[tuple(sorted(vals.items()))].append(rma.id)
        for vals, ids in routes.items():
            self.browse(ids).write(dict(vals))

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
        missing = lines.filtered(lambda line: not line._rma_delivered_moves())
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
        taken = {}
        self.env["stock.move"].create(
            [
                line._rma_prepare_return_move_vals(picking_of[line.rma_id.id], move, qty)
                for line in lines
                for move, qty in line._rma_split_over_deliveries(taken)
            ]
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
        # Exchanges ship outside the sale order: Odoo would add the new product
        # to the order (and bill it) when a delivery of the order ships it.
        keys = list(dict.fromkeys((line.rma_id, line.resolution) for line in lines))
        groups = self.env["procurement.group"].create(
            [
                {
                    "name": rma.name,
                    "sale_id": rma.sale_order_id.id if resolution == "replacement" else False,
                    "partner_id": (rma.partner_shipping_id or rma.partner_id).id,
                    "move_type": "direct",
                }
                for rma, resolution in keys
            ]
        )
        group_of = dict(zip(keys, groups, strict=True))
        Procurement = self.env["procurement.group"].Procurement
        procurements = []
        for line in lines:
            rma = line.rma_id
            warehouse = rma._rma_replacement_warehouse(line, warehouses, free)
            product = line._rma_outgoing_product()
            pickup = rma.partner_shipping_id or rma.partner_id
            values = {
                "group_id": group_of[rma, line.resolution],
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
        for group, (rma, _resolution) in zip(groups, keys, strict=True):
            moves.filtered(lambda m, g=group: m.group_id == g).picking_id.write(
                {"rma_order_id": rma.id}
            )
