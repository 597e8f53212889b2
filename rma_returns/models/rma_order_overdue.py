from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.models import READ_GROUP_AGGREGATE
from odoo.osv import expression
from odoo.tools import SQL

# state -> (date the return entered it, company setting of its allowed days)
OVERDUE_STATES = {
    "submitted": ("date_submitted", "rma_overdue_days_submitted"),
    "approved": ("date_approved", "rma_overdue_days_approved"),
    "received": ("date_received", "rma_overdue_days_received"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_overdue_days_submitted = fields.Integer(
        string="Days to Review",
        default=2,
        help="A submitted return waiting longer than this for a decision is overdue (0: never).",
    )
    rma_overdue_days_approved = fields.Integer(
        string="Days to Receive",
        default=14,
        help="An approved return whose goods have not arrived after this many days is "
        "overdue (0: never).",
    )
    rma_overdue_days_received = fields.Integer(
        string="Days to Close",
        default=3,
        help="Received goods not inspected and refunded after this many days make the "
        "return overdue (0: never).",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_overdue_days_submitted = fields.Integer(
        related="company_id.rma_overdue_days_submitted", readonly=False
    )
    rma_overdue_days_approved = fields.Integer(
        related="company_id.rma_overdue_days_approved", readonly=False
    )
    rma_overdue_days_received = fields.Integer(
        related="company_id.rma_overdue_days_received", readonly=False
    )


class RmaOrder(models.Model):
    """Returns past their company's allowed days in their current state, dated
    by the milestone of that state (``date_submitted``, ``date_approved``,
    ``date_received``)."""

    _inherit = "rma.order"

    # periods of rates, service levels and the overview filter on it (see bench/)
    date_submitted = fields.Datetime(index=True)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Waiting in its current state longer than the days set in the Returns settings.",
    )

    # === COMPUTE METHODS === #
    @api.depends("state", "date_submitted", "date_approved", "date_received")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for rma in self:
            date_field, days_field = OVERDUE_STATES.get(rma.state, (None, None))
            since = date_field and rma[date_field]
            days = days_field and rma.company_id[days_field]
            rma.is_overdue = bool(since and days and now - since > timedelta(days=days))

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("The overdue filter only checks whether a return is late."))
        now = fields.Datetime.now()
        domains = []
        for company in self.env.companies:
            for state, (date_field, days_field) in OVERDUE_STATES.items():
                days = company[days_field]
                if days > 0:
                    domains.append(
                        [
                            ("company_id", "=", company.id),
                            ("state", "=", state),
                            (date_field, "<", now - timedelta(days=days)),
                        ]
                    )
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    # === READ GROUP === #
    def _read_group_select(self, aggregate_spec, query):
        """Days to refund aggregate only the refunded returns: the others store
        0, which would pull an average down."""
        fname, _prop, func = aggregate_spec.partition(":")
        if fname == "days_to_refund" and func in READ_GROUP_AGGREGATE:
            super()._read_group_select(aggregate_spec, query)  # access check
            column = self._field_to_sql(self._table, "days_to_refund", query)
            refunded = self._field_to_sql(self._table, "amount_refunded", query)
            value = SQL("(CASE WHEN %s <> 0 THEN %s END)", refunded, column)
            return READ_GROUP_AGGREGATE[func](self._table, value)
        return super()._read_group_select(aggregate_spec, query)
