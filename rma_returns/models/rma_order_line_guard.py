from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

INTERNAL = "base.group_user"
RMA_USER = "rma_returns.group_rma_user"
RMA_MANAGER = "rma_returns.group_rma_manager"

# field -> states of the return in which it may still change; a manager may
# change the fields of MANAGER_STATES in those states too.
EDITABLE_IN = {
    "sale_line_id": ("draft",),
    "product_uom_qty": ("draft",),
    "resolution": ("draft",),
    "exchange_product_id": ("draft",),
    "reason_id": ("draft", "submitted"),
    "condition": ("draft", "submitted"),
    # the warehouse decides what happens to the goods it receives
    "disposition": ("draft", "submitted", "approved", "received"),
}
MANAGER_STATES = {
    "resolution": ("submitted",),
    "exchange_product_id": ("submitted",),
}
# Set when the return is created or by the flow (superuser) only.
FLOW_FIELDS = ("rma_id", "move_id", "invoice_line_id", "decision", "policy_id")
# What a warehouse clerk (no returns group) may write: the disposition.
CLERK_FIELDS = {"disposition"}


class RmaOrderLine(models.Model):
    """What may change on a returned product, and when.

    Once the return is submitted, its lines are fixed: no line is added or
    removed, and what is returned (sale line, quantity) and how it is
    resolved (refund, replacement, exchange) stay as the customer asked and
    the policy judged. An agent still corrects the reason and condition until
    the return is approved, a manager the resolution until then, and the
    warehouse chooses the disposition until the goods are dealt with.
    """

    _inherit = "rma.order.line"

    # === FIELDS === #
    # the shop's bookkeeping of the line: customers do not read it
    policy_id = fields.Many2one(groups=INTERNAL)
    move_id = fields.Many2one(groups=INTERNAL)
    invoice_line_id = fields.Many2one(groups=INTERNAL)
    refund_line_ids = fields.One2many(groups=INTERNAL)
    disposition = fields.Selection(groups=INTERNAL)
    disposition_move_ids = fields.One2many(groups=INTERNAL)
    replacement_move_ids = fields.One2many(groups=INTERNAL)
    qty_disposed = fields.Float(groups=INTERNAL)
    qty_pending = fields.Float(groups=INTERNAL)

    # === CRUD METHODS === #
    @api.model_create_multi
    def create(self, vals_list):
        rmas = self.env["rma.order"].browse(
            {vals["rma_id"] for vals in vals_list if vals.get("rma_id")}
        )
        rmas.check_access("write")
        rmas._rma_check_lines_open(adding=True)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")  # who may not write learns that first
            self._rma_check_writer(vals)
        self._rma_check_editable(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self.rma_id._rma_check_lines_open(adding=False)

    # === BUSINESS METHODS === #
    def _rma_check_writer(self, vals):
        """Clerks write the disposition only; nobody writes the flow's fields
        of a submitted return by hand."""
        if not self.env.user.has_group(RMA_USER) and set(vals) - CLERK_FIELDS:
            raise AccessError(
                self.env._(
                    "Only returns agents may change returned products, except their disposition."
                )
            )
        flow = [fname for fname in FLOW_FIELDS if fname in vals]
        submitted = self.filtered(lambda line: line.rma_id.state != "draft")
        if flow and submitted:
            raise AccessError(
                self.env._(
                    "%(fields)s of the products of %(names)s are set by the return's "
                    "flow, not by hand.",
                    fields=self.rma_id._rma_field_labels_of(self, flow),
                    names=", ".join(submitted.rma_id.mapped("name")),
                )
            )

    def _rma_check_editable(self, vals):
        """Refuse changing a field of a line outside the states it is open in."""
        fnames = [fname for fname in EDITABLE_IN if fname in vals]
        if not fnames:
            return
        manager = self.env.user.has_group(RMA_MANAGER)
        for line in self:
            state = line.rma_id.state
            changed = [
                fname
                for fname in fnames
                if state not in EDITABLE_IN[fname]
                and not (manager and state in MANAGER_STATES.get(fname, ()))
                and line[fname]
                != line._fields[fname].convert_to_record(
                    line._fields[fname].convert_to_cache(vals[fname], line), line
                )
            ]
            if changed:
                rma = line.rma_id
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: the %(fields)s of %(product)s can no longer "
                        "change. Reset it to draft (possible once rejected or cancelled) or "
                        "ask a returns manager.",
                        name=rma.name,
                        state=rma._rma_state_label(),
                        fields=rma._rma_field_labels_of(self, changed),
                        product=line.product_id.display_name,
                    )
                )
