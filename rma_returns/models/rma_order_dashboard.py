from odoo import api, fields, models

from .rma_order import OPEN_STATES


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_sla_days = fields.Integer(
        string="Return Handling Target (days)",
        default=3,
        help="An open return waiting longer than this is shown late on the returns board.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_sla_days = fields.Integer(related="company_id.rma_sla_days", readonly=False)


class RmaOrder(models.Model):
    """What the returns board and its analysis show: the first product, how
    long a return has waited, its refund status and the money refunded."""

    _inherit = "rma.order"

    # === FIELDS === #
    first_product_id = fields.Many2one(
        "product.product", string="Product", compute="_compute_first_line"
    )
    first_reason_id = fields.Many2one("rma.reason", string="Reason", compute="_compute_first_line")
    days_waiting = fields.Integer(
        compute="_compute_days_waiting",
        help="Days since the return was submitted (requested, for drafts), while it is open.",
    )
    sla_status = fields.Selection(
        [("ok", "On Time"), ("warning", "Due Today"), ("late", "Late")],
        string="Handling Time",
        compute="_compute_days_waiting",
    )
    awaiting_inspection = fields.Boolean(
        compute="_compute_awaiting_inspection",
        help="Goods arrived and wait for the inspection's dispositions.",
    )
    amount_refunded = fields.Monetary(
        compute="_compute_amount_refunded",
        store=True,
        help="Total of the posted credit notes of the return.",
    )
    days_to_refund = fields.Integer(
        string="Days to Refund",
        compute="_compute_amount_refunded",
        store=True,
        aggregator="avg",
        help="Days from the submission to the first posted credit note.",
    )

    # === COMPUTE METHODS === #
    @api.depends("line_ids.product_id", "line_ids.reason_id")
    def _compute_first_line(self):
        for rma in self:
            line = rma.line_ids[:1]
            rma.first_product_id = line.product_id
            rma.first_reason_id = line.reason_id

    @api.depends("state", "date_submitted", "create_date", "company_id.rma_sla_days")
    def _compute_days_waiting(self):
        now = fields.Datetime.now()
        for rma in self:
            since = rma.date_submitted or rma.create_date
            if rma.state not in OPEN_STATES or not since:
                rma.days_waiting = 0
                rma.sla_status = False
                continue
            days = (now - since).days
            sla = rma.company_id.rma_sla_days
            rma.days_waiting = days
            if not sla or days < sla:
                rma.sla_status = "ok" if not sla or days < sla - 1 else "warning"
            else:
                rma.sla_status = "late" if days > sla else "warning"

    @api.depends("state", "inspection_required", "can_apply_disposition")
    def _compute_awaiting_inspection(self):
        for rma in self:
            rma.awaiting_inspection = (
                rma.state in ("approved", "received")
                and rma.inspection_required
                and rma.can_apply_disposition
            )

    @api.depends(
        "credit_note_ids.state",
        "credit_note_ids.amount_total",
        "credit_note_ids.invoice_date",
        "date_submitted",
    )
    def _compute_amount_refunded(self):
        for rma in self:
            posted = rma.credit_note_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_refund"
            )
            rma.amount_refunded = sum(
                move.currency_id._convert(
                    move.amount_total,
                    rma.currency_id or move.currency_id,
                    move.company_id,
                    move.invoice_date or fields.Date.context_today(rma),
                )
                for move in posted
            )
            first = min((m.invoice_date or m.date for m in posted), default=None)
            start = rma.date_submitted or rma.create_date
            if first and start:  # in the user's day, as the credit note's date
                start_day = fields.Date.context_today(rma, timestamp=start)
                rma.days_to_refund = max((first - start_day).days, 0)
            else:
                rma.days_to_refund = 0
