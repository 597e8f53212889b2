from odoo import fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """Check returned lots, then tell the returns which of their moves are
        done (one entry point: reception steps and replacements)."""
        self.move_ids._rma_check_returned_lots()
        res = super()._action_done()
        moves = self.move_ids.filtered(
            lambda m: m.state == "done" and (m.rma_line_id or m.rma_replacement_line_id)
        )
        if moves:
            rmas = moves.rma_line_id.rma_id | moves.rma_replacement_line_id.rma_id
            # the user validated the transfer with their own stock rights
            rmas.sudo()._rma_moves_done(moves.sudo())
        return res

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
        for move in self.filtered(
            lambda m: (
                m.rma_line_id and m.origin_returned_move_id and m.product_id.tracking != "none"
            )
        ):
            delivered = move.rma_line_id.sudo()._rma_delivered_moves().move_line_ids.lot_id
            wrong = move.move_line_ids.filtered(lambda ml: ml.quantity and ml.lot_id).lot_id
            wrong -= delivered
            if wrong:
                raise UserError(
                    self.env._(
                        "%(lots)s of %(product)s was not delivered with %(delivery)s: "
                        "only delivered lots can come back.",
                        lots=", ".join(wrong.mapped("name")),
                        product=move.product_id.display_name,
                        delivery=", ".join(
                            move.rma_line_id.sudo()._rma_delivered_moves().picking_id.mapped("name")
                        ),
                    )
                )

    def _search_picking_for_assignation_domain(self):
        """A return's reception steps only share transfers with the same return."""
        domain = super()._search_picking_for_assignation_domain()
        if self.rma_line_id:
            domain += [("rma_order_id", "=", self.rma_line_id.rma_id.id)]
        return domain

    def _get_new_picking_values(self):
        vals = super()._get_new_picking_values()
        rmas = self.rma_line_id.rma_id
        if len(rmas) == 1:
            vals["rma_order_id"] = rmas.id
        return vals


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        return [*super()._get_custom_move_fields(), "rma_replacement_line_id"]

    def _push_prepare_move_copy_values(self, move_to_copy, new_date):
        """The quality-control and storage steps of a return stay its moves."""
        vals = super()._push_prepare_move_copy_values(move_to_copy, new_date)
        if move_to_copy.rma_line_id:
            vals["rma_line_id"] = move_to_copy.rma_line_id.id
        return vals
