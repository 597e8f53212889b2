import secrets

from odoo import api, fields, models

RMA_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("received", "Received"),
    ("done", "Done"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# Groups that may read returns: agents, accountants (credit notes), warehouse staff.
RMA_READERS = "rma_returns.group_rma_user,account.group_account_invoice,stock.group_stock_user"
# States in which a return still holds on to the quantities it asks for.
OPEN_STATES = ("draft", "submitted", "approved", "received")
# States whose kanban column is folded: nothing left to do there.
CLOSED_STATES = ("done", "rejected", "cancelled")

DECISIONS = [("approve", "Approve"), ("review", "To Review"), ("reject", "Reject")]
REFUND_TIMINGS = [
    ("approval", "On Approval"),
    ("receipt", "On Receipt"),
    ("inspection", "After Inspection"),
]

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "submit": (("draft",), "submitted"),
    "approve": (("submitted",), "approved"),
    "reject": (("draft", "submitted"), "rejected"),
    "receive": (("approved",), "received"),
    "done": (("received",), "done"),
    "cancel": (("draft", "submitted", "approved"), "cancelled"),
    "draft": (("rejected", "cancelled"), "draft"),
}
# Milestone date written when a return enters a state.
STATE_DATES = {
    "submitted": "date_submitted",
    "approved": "date_approved",
    "received": "date_received",
    "done": "date_done",
    "rejected": "date_rejected",
    "cancelled": "date_cancelled",
}
# Milestone date written at an event that is not a state (rma_order_mail.py,
# _rma_notify): what a webhook rule on "refunded" or "replacement shipped"
# watches (rma_returns_webhook).
EVENT_DATES = {
    "refunded": "date_refunded",
    "replacement_shipped": "date_replacement_shipped",
}


# Passed in the context by ``_rma_set_state`` (rma_order_workflow.py), the only
# writer of ``state``: an object identity, which no RPC call can forge.
_STATE_WRITER = object()
# Fixed once the return is submitted: reset it to draft to change them.
LOCKED_ONCE_SUBMITTED = ("sale_order_id", "partner_id", "company_id")
# Fixed once approved, except for the flow: the transfers, the slip and the
# credit notes are made from them.
LOCKED_ONCE_APPROVED = (
    "partner_shipping_id",
    "warehouse_id",
    "warehouse_rule",
    "warehouse_distance",
    "is_cross_border",
    "restocking_fee",
    "shipping_fee",
)
# Fixed once the goods are received: the refund is due from then on.
LOCKED_ONCE_RECEIVED = ("refund_timing", "auto_post_refund")
# Written by the flow only (the policy, refunds, e-mails, slips), as superuser.
FLOW_FIELDS = (
    "decision",
    "decision_explanation",
    "decision_explanation_public",
    "return_rate",
    "policy_id",
    "override_reason",
    "override_user_id",
    "refund_blocked",
    "refund_block_reason",
    "rma_notified_events",
    "slip_token",
    *STATE_DATES.values(),
    *EVENT_DATES.values(),
)
RMA_MANAGER = "rma_returns.group_rma_manager"


def _new_slip_token(_records=None):
    """Random, unguessable token (192 bits) printed in the return slip's QR code."""
    return secrets.token_urlsafe(24)


class RmaOrder(models.Model):
    """One customer return request for one sale order."""

    _name = "rma.order"
    _description = "Return Order"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # === FIELDS === #
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    state = fields.Selection(
        RMA_STATES,
        required=True,
        default="draft",
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_state",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('state', '=', 'sale')]",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    partner_shipping_id = fields.Many2one(
        "res.partner",
        string="Pickup Address",
        compute="_compute_partner_shipping_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Where the parcel is picked up or sent back from.",
    )
    currency_id = fields.Many2one(related="sale_order_id.currency_id", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    origin_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        check_company=True,
        help="The delivery the return was started from, if any.",
    )
    line_ids = fields.One2many("rma.order.line", "rma_id", string="Lines", copy=True)
    description = fields.Text(string="Customer Comment")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Return Warehouse",
        check_company=True,
        tracking=True,
        help="Where the goods come back to.",
    )
    tracking_ref = fields.Char(string="Tracking Reference", tracking=True)
    carrier_name = fields.Char(string="Carrier")
    decision = fields.Selection(
        DECISIONS,
        readonly=True,
        copy=False,
        tracking=True,
        help="What the return policy decided when the return was submitted.",
    )
    # the shop's reasoning (limits, return rate): customers read decision_explanation_public
    decision_explanation = fields.Text(readonly=True, copy=False, groups="base.group_user")
    reject_reason = fields.Text(copy=False, tracking=True)
    refund_timing = fields.Selection(
        REFUND_TIMINGS,
        required=True,
        default="receipt",
        tracking=True,
        help="When the credit note is created: on approval (fast refund), once the "
        "goods are received, or after inspection and disposition.",
    )
    restocking_fee = fields.Monetary(
        copy=False, help="Deducted from the refund as a separate credit note line."
    )
    shipping_fee = fields.Monetary(
        string="Return Shipping Fee",
        copy=False,
        help="Return shipping paid by the customer, deducted from the refund.",
    )
    auto_post_refund = fields.Boolean(
        string="Post Credit Notes", default=True, help="Post the credit notes as soon as created."
    )
    is_cross_border = fields.Boolean(
        string="Cross-Border",
        copy=False,
        help="The pickup country differs from the warehouse country: the slip "
        "carries customs data.",
    )
    slip_token = fields.Char(
        default=_new_slip_token, copy=False, readonly=True, groups="base.group_user"
    )
    date_submitted = fields.Datetime(readonly=True, copy=False)
    date_approved = fields.Datetime(readonly=True, copy=False)
    date_received = fields.Datetime(readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)
    date_rejected = fields.Datetime(readonly=True, copy=False)
    date_cancelled = fields.Datetime(readonly=True, copy=False)
    date_refunded = fields.Datetime(
        string="Last Refunded On",
        readonly=True,
        copy=False,
        help="When a credit note or refund of the return was last posted or paid.",
    )
    date_replacement_shipped = fields.Datetime(
        string="Replacement Last Shipped On",
        readonly=True,
        copy=False,
        help="When goods replacing the returned ones were last sent to the customer.",
    )
    picking_ids = fields.One2many("stock.picking", "rma_order_id", string="Transfers")
    picking_count = fields.Integer(compute="_compute_picking_count", compute_sudo=True)
    credit_note_ids = fields.One2many("account.move", "rma_order_id", string="Credit Notes")
    credit_note_count = fields.Integer(compute="_compute_credit_note_count", compute_sudo=True)
    invoice_ids = fields.Many2many(
        "account.move",
        compute="_compute_invoice_ids",
        compute_sudo=True,
        string="Invoices",
        help="The invoices of the returned lines.",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids", compute_sudo=True)
    delivery_ids = fields.Many2many(
        "stock.picking",
        compute="_compute_delivery_ids",
        compute_sudo=True,
        string="Deliveries",
        help="The deliveries the returned goods were shipped with.",
    )
    delivery_count = fields.Integer(compute="_compute_delivery_ids", compute_sudo=True)
    qty_total = fields.Float(
        string="Quantity", compute="_compute_totals", store=True, digits="Product Unit of Measure"
    )
    amount_total = fields.Monetary(
        string="Value",
        compute="_compute_totals",
        store=True,
        help="Value of the returned quantities at the sale price, taxes included.",
    )

    _sql_constraints = [
        ("slip_token_uniq", "unique(slip_token)", "The slip token must be unique."),
    ]

    # === COMPUTE METHODS === #
    @api.depends("sale_order_id")
    def _compute_company_id(self):
        for rma in self:
            rma.company_id = rma.sale_order_id.company_id or rma.company_id or self.env.company

    @api.depends("sale_order_id")
    def _compute_partner_id(self):
        for rma in self:
            rma.partner_id = rma.sale_order_id.partner_id or rma.partner_id

    @api.depends("partner_id", "sale_order_id")
    def _compute_partner_shipping_id(self):
        for rma in self:
            rma.partner_shipping_id = rma.sale_order_id.partner_shipping_id or rma.partner_id

    def _compute_access_url(self):  # pylint: disable=missing-return  # computes return nothing
        super()._compute_access_url()
        for rma in self:
            rma.access_url = f"/my/returns/{rma.id}"

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for rma in self:
            rma.picking_count = len(rma.picking_ids)

    @api.depends("credit_note_ids")
    def _compute_credit_note_count(self):
        for rma in self:
            rma.credit_note_count = len(rma.credit_note_ids)

    @api.depends("line_ids.invoice_line_id")
    def _compute_invoice_ids(self):
        for rma in self:
            rma.invoice_ids = rma.line_ids.invoice_line_id.move_id
            rma.invoice_count = len(rma.invoice_ids)

    @api.depends("line_ids.move_id", "origin_picking_id")
    def _compute_delivery_ids(self):
        for rma in self:
            rma.delivery_ids = rma.line_ids.move_id.picking_id | rma.origin_picking_id
            rma.delivery_count = len(rma.delivery_ids)

    @api.depends("line_ids.product_uom_qty", "line_ids.price_total")
    def _compute_totals(self):
        for rma in self:
            rma.qty_total = sum(rma.line_ids.mapped("product_uom_qty"))
            rma.amount_total = sum(rma.line_ids.mapped("price_total"))

    @api.model
    def _group_expand_state(self, states, domain):
        return [key for key, _label in RMA_STATES]

    @api.model
    def _read_group_fill_results(
        self, domain, groupby, annoted_aggregates, read_group_result, read_group_order=None
    ):
        """Fold the closed states' kanban columns, as a stage's ``fold`` does for
        a many2one: Odoo fills ``__fold`` only for relational groups."""
        result = super()._read_group_fill_results(
            domain, groupby, annoted_aggregates, read_group_result, read_group_order
        )
        if groupby == "state":
            for row in result:
                row["__fold"] = row["state"] in CLOSED_STATES
        return result

    # === CRUD METHODS === #
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("rma.order")
                    or "/"
                )
        return super().create(vals_list)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Return %(name)s", name=self.name)

    # === ACTION METHODS === #
    def action_view_sale_order(self):
        return self._open_records(self.sale_order_id, self.env._("Sale Order"))

    def action_view_pickings(self):
        return self._open_records(self.picking_ids, self.env._("Transfers"))

    def action_view_deliveries(self):
        return self._open_records(self.delivery_ids, self.env._("Deliveries"))

    def action_view_invoices(self):
        return self._open_records(self.invoice_ids, self.env._("Invoices"))

    def action_view_credit_notes(self):
        return self._open_records(self.credit_note_ids, self.env._("Credit Notes"))

    # === BUSINESS METHODS === #
    def _rma_pending_receipts(self):
        """Incoming transfers of these returns still waiting to be validated."""
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
        )

    def _rma_window_action(self, name):
        """Window action on these returns (form when there is one)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_returns.rma_order_action")
        action["name"] = name
        if len(self) == 1:
            action.update(views=[(False, "form")], res_id=self.id, view_mode="form")
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    def _open_records(self, records, name):
        """Window action on ``records`` (form when there is one), for a caller who
        may read the return and the records themselves."""
        self.check_access("read")
        records.check_access("read")
        action = {"type": "ir.actions.act_window", "name": name, "res_model": records._name}
        if len(records) == 1:
            action.update(view_mode="form", res_id=records.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", records.ids)])
        return action
