from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, float_repr, float_round

from .rma_order import DECISIONS, OPEN_STATES

CONDITIONS = [
    ("unopened", "Unopened"),
    ("opened", "Opened"),
    ("damaged", "Damaged"),
    ("defective", "Defective"),
]
RESOLUTIONS = [
    ("refund", "Refund"),
    ("replacement", "Replacement"),
    ("exchange", "Exchange"),
]


def _format_qty(qty, precision):
    """3.0 -> "3", 2.50 -> "2.5": quantities as a person writes them."""
    text = float_repr(float_round(qty, precision_digits=precision), precision)
    return text.rstrip("0").rstrip(".") if "." in text else text


class RmaOrderLine(models.Model):
    """One returned product of a return, tied to the sale line it was sold on."""

    _name = "rma.order.line"
    _description = "Return Line"
    _order = "rma_id, sequence, id"
    _check_company_auto = True

    # === FIELDS === #
    rma_id = fields.Many2one(
        "rma.order", string="Return", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="rma_id.company_id", store=True, index=True)
    state = fields.Selection(related="rma_id.state", store=True, index=True)
    partner_id = fields.Many2one(related="rma_id.partner_id", store=True)
    currency_id = fields.Many2one(related="rma_id.currency_id")
    sale_line_id = fields.Many2one(
        "sale.order.line",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('order_id', '=', parent.sale_order_id)]",
    )
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True, index=True)
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom", string="Unit")
    product_uom_qty = fields.Float(
        string="Quantity", required=True, default=1.0, digits="Product Unit of Measure"
    )
    qty_returnable = fields.Float(
        string="Returnable",
        compute="_compute_qty_returnable",
        digits="Product Unit of Measure",
        help="Delivered quantity minus what is already returned or requested on "
        "other open returns of the same sale line.",
    )
    move_id = fields.Many2one(
        "stock.move",
        string="Delivered Move",
        compute="_compute_move_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="The delivery move the goods come back against.",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        compute="_compute_invoice_line_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="The posted invoice line the refund reverses.",
    )
    reason_id = fields.Many2one("rma.reason", index=True)
    decision = fields.Selection(
        DECISIONS,
        readonly=True,
        copy=False,
        help="The policy's decision for this line; a rejected line is never received nor refunded.",
    )
    condition = fields.Selection(CONDITIONS, default="unopened", required=True)
    resolution = fields.Selection(RESOLUTIONS, default="refund", required=True)
    exchange_product_id = fields.Many2one(
        "product.product",
        string="Exchange For",
        help="The product sent instead, for an exchange.",
    )
    move_ids = fields.One2many("stock.move", "rma_line_id", string="Return Moves")
    qty_received = fields.Float(
        compute="_compute_qty_received",
        store=True,
        digits="Product Unit of Measure",
        help="Quantity whose return move is done.",
    )
    qty_pending = fields.Float(
        compute="_compute_qty_pending",
        store=True,
        digits="Product Unit of Measure",
        help="Quantity this line still holds on its sale line (open returns only).",
    )
    price_unit = fields.Float(related="sale_line_id.price_unit", digits="Product Price")
    discount = fields.Float(related="sale_line_id.discount")
    price_subtotal = fields.Monetary(compute="_compute_amounts", store=True, string="Subtotal")
    price_total = fields.Monetary(compute="_compute_amounts", store=True, string="Total")

    # === COMPUTE METHODS === #
    @api.depends("sale_line_id", "product_uom_qty")
    def _compute_qty_returnable(self):
        available = self.sale_line_id._origin._rma_returnable_qty()
        for line in self:
            own = line._origin.qty_pending if line._origin else 0.0
            line.qty_returnable = available.get(line.sale_line_id._origin.id, 0.0) + own

    @api.depends("sale_line_id")
    def _compute_move_id(self):
        for line in self:
            moves = line.sale_line_id.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_id.usage == "customer"
            )
            if line.move_id not in moves:
                line.move_id = moves.sorted("date")[-1:]

    @api.depends("sale_line_id.invoice_lines.move_id.state")
    def _compute_invoice_line_id(self):
        """The newest posted invoice line of the sale line (for links; refunds
        resolve every invoice line when they are made)."""
        for line in self:
            line.invoice_line_id = line._rma_invoice_lines()[:1]

    @api.depends(
        "move_ids.state",
        "move_ids.quantity",
        "move_ids.product_uom",
        "move_ids.location_dest_id",
        "rma_id.warehouse_id.rma_return_location_id",
    )
    def _compute_qty_received(self):
        """Quantity that reached the return location: the last reception step."""
        for line in self:
            line.qty_received = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
                for move in line._rma_arrived_moves()
            )

    def _rma_arrived_moves(self):
        """Done moves of these lines that put goods in their return location
        (the receipt in one step, the storage step otherwise)."""
        moves = self.env["stock.move"]
        for line in self:
            location = line.rma_id.warehouse_id.rma_return_location_id
            moves |= line.move_ids.filtered(
                lambda m, loc=location: (
                    m.state == "done"
                    and loc
                    and m.location_dest_id.parent_path.startswith(loc.parent_path)
                )
            )
        return moves

    @api.depends("state", "product_uom_qty", "move_ids.state", "move_ids.quantity")
    def _compute_qty_pending(self):
        """Requested quantity not yet taken back from the customer (the first
        reception step lowers the sale line's delivered quantity)."""
        for line in self:
            if line.state not in OPEN_STATES:
                line.qty_pending = 0.0
                continue
            back = sum(
                move.product_uom._compute_quantity(move.quantity, line.product_uom_id)
                for move in line.move_ids
                if move.state == "done" and move.location_id.usage == "customer"
            )
            line.qty_pending = max(line.product_uom_qty - back, 0.0)

    @api.depends(
        "product_uom_qty",
        "sale_line_id.price_subtotal",
        "sale_line_id.price_total",
        "sale_line_id.product_uom_qty",
    )
    def _compute_amounts(self):
        for line in self:
            sold = line.sale_line_id.product_uom_qty
            ratio = line.product_uom_qty / sold if sold else 0.0
            line.price_subtotal = line.currency_id.round(line.sale_line_id.price_subtotal * ratio)
            line.price_total = line.currency_id.round(line.sale_line_id.price_total * ratio)

    # === CONSTRAINT METHODS === #
    @api.constrains("product_uom_qty")
    def _check_positive_qty(self):
        for line in self:
            if line.product_uom_qty <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity to return of %(product)s must be positive.",
                        product=line.product_id.display_name,
                    )
                )

    @api.constrains("sale_line_id", "rma_id")
    def _check_sale_line(self):
        for line in self:
            if line.sale_line_id.order_id != line.rma_id.sale_order_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s was not sold on %(order)s: a return only takes "
                        "lines of its own sale order.",
                        product=line.sale_line_id.product_id.display_name,
                        order=line.rma_id.sale_order_id.name,
                    )
                )

    @api.constrains("product_uom_qty", "sale_line_id")
    def _check_returnable_qty(self):
        """A return never asks for more than was delivered and is not yet
        returned or requested on other open returns, per sale line."""
        self.filtered(lambda line: line.state in OPEN_STATES)._check_qty_available()

    def _check_qty_available(self):
        """Raise when these lines ask for more than their sale lines can still
        give back, whatever the lines' state (used before reopening a return).

        The sale lines are locked and written before anything is counted, so
        that two returns asking at the same time cannot both take the last
        returnable unit (see ``_rma_lock_sale_lines``).
        """
        lines = self
        if not lines:
            return
        sale_lines = lines.sale_line_id
        lines._rma_lock_sale_lines()
        available = sale_lines._rma_returnable_qty(exclude_lines=lines)
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        requested_of = defaultdict(float)  # one pass: linear in the batch
        for line in lines:
            requested_of[line.sale_line_id] += max(line.product_uom_qty - line.qty_received, 0.0)
        for sale_line in sale_lines:
            requested = requested_of[sale_line]
            maximum = available[sale_line.id]
            if float_compare(requested, maximum, precision_digits=precision) > 0:
                raise ValidationError(
                    self.env._(
                        "You cannot return %(qty)s %(uom)s of %(product)s from %(order)s: "
                        "at most %(max)s %(uom)s can still be returned.",
                        qty=_format_qty(requested, precision),
                        uom=sale_line.product_uom.name,
                        product=sale_line.product_id.display_name,
                        order=sale_line.order_id.name,
                        max=_format_qty(maximum, precision),
                    )
                )

    def _rma_lock_sale_lines(self):
        """Serialize the transactions that count what these lines' sale lines
        can still give back.

        A bare ``SELECT ... FOR UPDATE`` is not enough under Odoo's REPEATABLE
        READ isolation: the second transaction waits for the lock, then reads
        its old snapshot, which misses the return the first one committed.
        Writing the locked rows (a no-op update) makes PostgreSQL refuse the
        second transaction's lock with a serialization failure instead; Odoo
        retries the request in a new transaction, which sees the first return.
        Rows are taken in id order, so that two batches never deadlock.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order_line SET write_date = write_date WHERE id IN ("
                " SELECT id FROM sale_order_line WHERE id IN %s ORDER BY id FOR UPDATE)",
                tuple(self.sale_line_id.ids),
            )
        )
