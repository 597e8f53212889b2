from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """Check returned lots, then let validated return receipts and
        replacement deliveries drive their returns."""
        self.move_ids._rma_check_returned_lots()
        res = super()._action_done()
        done = self.filtered(lambda p: p.state == "done" and p.rma_order_id)
        if done:
            done._rma_after_done()
        return res

    def _rma_after_done(self):
        rmas = self.rma_order_id.sudo()
        receipts = self.filtered(lambda p: p.picking_type_code == "incoming")
        received = receipts.rma_order_id.sudo().filtered(
            lambda r: r.state == "approved" and not r._rma_pending_receipts()
        )
        if received and not self.env.context.get("rma_receiving"):
            received.action_receive()
        shipped = self.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.rma_replacement_line_id
                and m.location_dest_id.usage == "customer"
            )
        ).rma_replacement_line_id.rma_id.sudo()
        if shipped:
            shipped._rma_notify("replacement_shipped")
        (rmas - received)._rma_check_done()

    def _create_backorder(self, backorder_moves=None):
        backorders = super()._create_backorder(backorder_moves=backorder_moves)
        for backorder in backorders.filtered(lambda b: b.backorder_id.rma_order_id):
            backorder.rma_order_id = backorder.backorder_id.rma_order_id
        return backorders

    def _rma_validate_full(self):
        """Validate these transfers for their full demand (the lots proposed from
        the delivery), as an agent marking a return received does."""
        if not self:
            return
        self.action_assign()
        for move in self.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            if move.product_id.tracking == "none" or not move.move_line_ids:
                move.quantity = move.product_uom_qty
        self.move_ids.picked = True
        result = self.with_context(skip_backorder=True, cancel_backorder=False).button_validate()
        if isinstance(result, dict):
            raise UserError(
                self.env._(
                    "%(names)s cannot be validated at once: open the transfer and "
                    "validate it there.",
                    names=", ".join(self.mapped("name")),
                )
            )


class StockMove(models.Model):
    _inherit = "stock.move"

    rma_replacement_line_id = fields.Many2one(
        "rma.order.line",
        string="Replaced Return Line",
        index="btree_not_null",
        copy=False,
        help="The return line this move ships a replacement or exchange for.",
    )
    rma_disposition_line_id = fields.Many2one(
        "rma.order.line",
        string="Disposed Return Line",
        index="btree_not_null",
        copy=False,
        help="The return line whose received goods this move restocks, scraps, "
        "refurbishes or sends to the vendor.",
    )

    def _prepare_move_split_vals(self, qty):
        vals = super()._prepare_move_split_vals(qty)
        vals["rma_line_id"] = self.rma_line_id.id
        vals["rma_replacement_line_id"] = self.rma_replacement_line_id.id
        return vals

    def _rma_reserve_lots(self, lots):
        """Confirm these disposition moves and reserve, for each, the returned
        lot it moves (``lots``, aligned with ``self``; empty for untracked
        products) rather than any lot lying in the return location."""
        self._action_confirm(merge=False)
        untracked = self.browse()
        for move, lot in zip(self, lots, strict=True):
            if lot:
                move._update_reserved_quantity(move.product_qty, move.location_id, lot_id=lot)
            else:
                untracked |= move
        untracked._action_assign()
        (self - untracked)._recompute_state()

    def _rma_check_returned_lots(self):
        """A returned lot or serial number must be one that was delivered."""
        for move in self.filtered(lambda m: m.rma_line_id and m.product_id.tracking != "none"):
            delivered = move.origin_returned_move_id.move_line_ids.lot_id
            wrong = move.move_line_ids.filtered(lambda ml: ml.quantity and ml.lot_id).lot_id
            wrong -= delivered
            if wrong:
                raise UserError(
                    self.env._(
                        "%(lots)s of %(product)s was not delivered with %(delivery)s: "
                        "only delivered lots can come back.",
                        lots=", ".join(wrong.mapped("name")),
                        product=move.product_id.display_name,
                        delivery=move.origin_returned_move_id.picking_id.name,
                    )
                )


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        return [*super()._get_custom_move_fields(), "rma_replacement_line_id"]
