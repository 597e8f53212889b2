from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

DISPOSITIONS = [
    ("restock", "Restock"),
    ("scrap", "Scrap"),
    ("refurbish", "Refurbish"),
    ("vendor", "Return to Vendor"),
]


class RmaOrderLine(models.Model):
    _inherit = "rma.order.line"

    # === FIELDS === #
    disposition = fields.Selection(
        DISPOSITIONS,
        default="restock",
        required=True,
        help="What happens to the received goods once inspected.",
    )
    disposition_move_ids = fields.One2many(
        "stock.move", "rma_disposition_line_id", string="Disposition Moves"
    )
    qty_disposed = fields.Float(
        compute="_compute_qty_disposed",
        store=True,
        digits="Product Unit of Measure",
        help="Received quantity already restocked, scrapped, refurbished or sent to the vendor.",
    )
    replacement_move_ids = fields.One2many(
        "stock.move", "rma_replacement_line_id", string="Replacement Moves"
    )
    qty_replaced = fields.Float(
        string="Shipped Back",
        compute="_compute_qty_replaced",
        store=True,
        digits="Product Unit of Measure",
        help="Replacement or exchange quantity delivered to the customer.",
    )

    # === COMPUTE METHODS === #
    @api.depends("disposition_move_ids.state", "disposition_move_ids.quantity")
    def _compute_qty_disposed(self):
        """Quantity of done disposition moves, in the line's unit."""
        for line in self:
            line.qty_disposed = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
                for move in line.disposition_move_ids.filtered(lambda m: m.state == "done")
            )

    @api.depends(
        "replacement_move_ids.state",
        "replacement_move_ids.quantity",
        "replacement_move_ids.location_dest_id",
    )
    def _compute_qty_replaced(self):
        """Quantity of done replacement moves that reached the customer."""
        for line in self:
            moves = line.replacement_move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
            )
            line.qty_replaced = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
                for move in moves
            )

    # === BUSINESS METHODS === #
    def _rma_outgoing_product(self):
        """The product shipped to the customer: the same one for a replacement,
        the chosen one for an exchange."""
        self.ensure_one()
        if self.resolution == "exchange":
            return self.exchange_product_id
        return self.product_id

    def _rma_delivered_moves(self):
        """Done moves of the sale line that reached the customer, newest first:
        every shipment of a line delivered in several."""
        self.ensure_one()
        return self.sale_line_id.move_ids.filtered(
            lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
        ).sorted(lambda m: (m.date, m.id), reverse=True)

    def _rma_split_over_deliveries(self, taken):
        """[(delivered move, quantity in the line's unit)] this line comes back
        against, as Odoo's return wizard splits a return per original move: each
        move gives back at most what it delivered minus what already came back
        from it. ``taken``: {move id: quantity already allotted in this batch,
        in the move's unit}, updated."""
        self.ensure_one()
        rounding = self.product_uom_id.rounding
        remaining = self.product_uom_qty
        split = []
        for move in self._rma_delivered_moves():
            returned = sum(
                m.product_uom._compute_quantity(m.product_uom_qty, move.product_uom)
                for m in move.returned_move_ids
                if m.state != "cancel"
            )
            free = move.quantity - returned - taken.get(move.id, 0.0)
            free = move.product_uom._compute_quantity(free, self.product_uom_id)
            qty = min(remaining, free)
            if float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
                continue
            split.append((move, qty))
            taken[move.id] = taken.get(move.id, 0.0) + self.product_uom_id._compute_quantity(
                qty, move.product_uom
            )
            remaining -= qty
            if float_compare(remaining, 0.0, precision_rounding=rounding) <= 0:
                break
        if float_compare(remaining, 0.0, precision_rounding=rounding) > 0:
            # never more than delivered: the rest goes against the latest shipment
            move = self._rma_delivered_moves()[:1]
            if split and split[0][0] == move:
                split[0] = (move, split[0][1] + remaining)
            elif move:
                split.append((move, remaining))
        return split

    def _rma_prepare_return_move_vals(self, picking, origin_move, qty):
        """Values of an incoming move bringing ``qty`` of this line back against
        the delivered ``origin_move``, as Odoo's return wizard does
        (``origin_returned_move_id``, ``move_orig_ids``, ``to_refund``): the sale
        line's delivered quantity goes down, and the delivered lots are proposed.
        An exchange keeps the sale line delivered: the customer keeps buying,
        another product."""
        self.ensure_one()
        warehouse = picking.picking_type_id.warehouse_id
        vals = {
            "name": self.rma_id.name,
            "product_id": self.product_id.id,
            "product_uom_qty": qty,
            "product_uom": self.product_uom_id.id,
            "picking_id": picking.id,
            "picking_type_id": picking.picking_type_id.id,
            "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id,
            "location_final_id": False,
            "warehouse_id": warehouse.id,
            "origin_returned_move_id": origin_move.id,
            "move_orig_ids": [Command.link(origin_move.id)],
            "procure_method": "make_to_stock",
            "group_id": self.rma_id.sale_order_id.procurement_group_id.id,
            "sale_line_id": self.sale_line_id.id,
            "to_refund": self.resolution != "exchange",
            "rma_line_id": self.id,
            "partner_id": picking.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.rma_id.name,
        }
        if warehouse.reception_steps != "one_step":
            vals["route_ids"] = [Command.link(warehouse.rma_return_route_id.id)]
        return vals

    def _rma_qty_to_dispose(self):
        """Received quantity still waiting for its disposition."""
        self.ensure_one()
        return max(self.qty_received - self.qty_disposed, 0.0)

    def _rma_disposition_destination(self):
        """Location the line's disposition sends the goods to (not for scrap)."""
        self.ensure_one()
        warehouse = self.rma_id.warehouse_id
        if self.disposition == "restock":
            return warehouse.lot_stock_id
        if self.disposition == "refurbish":
            if not warehouse.rma_refurbish_location_id:
                raise UserError(
                    self.env._(
                        "Set a refurbish location on warehouse %(wh)s before sending "
                        "%(product)s to refurbishment.",
                        wh=warehouse.name,
                        product=self.product_id.display_name,
                    )
                )
            return warehouse.rma_refurbish_location_id
        seller = self.product_id._select_seller(quantity=None)
        return seller.partner_id.property_stock_supplier or self.env.ref(
            "stock.stock_location_suppliers"
        )

    def _rma_disposition_lots(self):
        """[(lot, quantity in the line's unit)] of the received goods still
        waiting for their disposition: one entry per returned lot for tracked
        products (received lots minus those already disposed of)."""
        self.ensure_one()
        if self.product_id.tracking == "none":
            return [(self.env["stock.lot"], self._rma_qty_to_dispose())]
        balance = defaultdict(float)
        arrived = self._rma_arrived_moves()
        for moves, sign in ((arrived, 1), (self.disposition_move_ids, -1)):
            for ml in moves.filtered(lambda m: m.state == "done").move_line_ids:
                qty = ml.product_uom_id._compute_quantity(ml.quantity, self.product_uom_id)
                balance[ml.lot_id] += sign * qty
        rounding = self.product_uom_id.rounding
        return [
            (lot, qty)
            for lot, qty in balance.items()
            if float_compare(qty, 0.0, precision_rounding=rounding) > 0
        ]

    def _rma_apply_disposition(self):
        """Create and validate the disposition moves of the received quantities
        still waiting, per returned lot: internal moves (restock, refurbish,
        vendor) out of the return location, and scrap orders."""
        todo = self.filtered(
            lambda line: line.decision != "reject" and line._rma_qty_to_dispose() > 0
        )
        if not todo:
            return
        todo._rma_check_goods_in_return_location()
        entries = [(line, lot, qty) for line in todo for lot, qty in line._rma_disposition_lots()]
        move_entries = [entry for entry in entries if entry[0].disposition != "scrap"]
        scrap_entries = [entry for entry in entries if entry[0].disposition == "scrap"]
        moves = self.env["stock.move"].create(
            [
                {
                    "name": self.env._(
                        "%(name)s: %(disposition)s",
                        name=line.rma_id.name,
                        disposition=dict(DISPOSITIONS)[line.disposition],
                    ),
                    "product_id": line.product_id.id,
                    "product_uom_qty": qty,
                    "product_uom": line.product_uom_id.id,
                    "location_id": line.rma_id.warehouse_id.rma_return_location_id.id,
                    "location_dest_id": line._rma_disposition_destination().id,
                    "company_id": line.company_id.id,
                    "origin": line.rma_id.name,
                    "rma_disposition_line_id": line.id,
                    "partner_id": line.rma_id.partner_id.id,
                }
                for line, _lot, qty in move_entries
            ]
        )
        if moves:
            moves._rma_reserve_lots([lot for _line, lot, _qty in move_entries])
            short = moves.filtered(
                lambda m: (
                    float_compare(
                        m.quantity, m.product_uom_qty, precision_rounding=m.product_uom.rounding
                    )
                    < 0
                )
            )
            if short:
                raise UserError(
                    self.env._(
                        "%(product)s of %(name)s is not available in the return location.",
                        product=short[0].product_id.display_name,
                        name=short[0].rma_disposition_line_id.rma_id.name,
                    )
                )
            moves.picked = True
            moves._action_done()
        scraps = self.env["stock.scrap"].create(
            [
                {
                    "product_id": line.product_id.id,
                    "scrap_qty": qty,
                    "product_uom_id": line.product_uom_id.id,
                    "location_id": line.rma_id.warehouse_id.rma_return_location_id.id,
                    "company_id": line.company_id.id,
                    "origin": line.rma_id.name,
                    "lot_id": lot.id,
                }
                for line, lot, qty in scrap_entries
            ]
        )
        if scraps:
            scraps.do_scrap()
            for scrap, (line, _lot, _qty) in zip(scraps, scrap_entries, strict=True):
                scrap.move_ids.rma_disposition_line_id = line

    def _rma_check_goods_in_return_location(self):
        """Refuse clearly when goods still travel through the reception steps."""
        Quant = self.env["stock.quant"]
        for line in self:
            location = line.rma_id.warehouse_id.rma_return_location_id
            available = Quant._get_available_quantity(line.product_id, location)
            needed = line.product_uom_id._compute_quantity(
                line._rma_qty_to_dispose(), line.product_id.uom_id
            )
            if (
                float_compare(available, needed, precision_rounding=line.product_id.uom_id.rounding)
                < 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s of %(name)s has not reached %(location)s yet: "
                        "validate the warehouse's storage step first.",
                        product=line.product_id.display_name,
                        name=line.rma_id.name,
                        location=location.display_name,
                    )
                )
