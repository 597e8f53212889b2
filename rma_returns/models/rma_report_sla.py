from odoo import fields, models, tools
from odoo.tools import SQL

from .rma_order import RMA_STATES

# measure field -> (column of days it reads, percentile)
PERCENTILES = {
    "approve_median": ("days_to_approve", 0.5),
    "approve_p90": ("days_to_approve", 0.9),
    "receive_median": ("days_to_receive", 0.5),
    "receive_p90": ("days_to_receive", 0.9),
    "refund_median": ("days_to_refund", 0.5),
    "refund_p90": ("days_to_refund", 0.9),
}


class RmaReportSla(models.Model):
    """Service levels: one read-only row per submitted return (an SQL view).

    The median and 90th percentile measures are computed by PostgreSQL's
    ``percentile_cont`` over the returns of each pivot cell, whatever the
    grouping (warehouse, month, company...): a percentile is never averaged
    from the percentiles of sub-groups. Days of a step not reached yet are
    empty, so they neither count nor pull the figures down.
    """

    _name = "rma.report.sla"
    _description = "Returns Service Levels"
    _auto = False
    _order = "date_requested desc, id desc"
    _rec_name = "rma_id"

    # === FIELDS === #
    rma_id = fields.Many2one("rma.order", string="Return", readonly=True)
    state = fields.Selection(RMA_STATES, string="Status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Return Warehouse", readonly=True)
    date_requested = fields.Datetime(string="Requested On", readonly=True)
    days_to_approve = fields.Float(
        string="Days to Approval (avg)", aggregator="avg", readonly=True, digits=(16, 1)
    )
    days_to_receive = fields.Float(
        string="Days to Receipt (avg)", aggregator="avg", readonly=True, digits=(16, 1)
    )
    days_to_refund = fields.Float(
        string="Days to Refund (avg)", aggregator="avg", readonly=True, digits=(16, 1)
    )
    approve_median = fields.Float(
        string="Days to Approval (median)", aggregator="max", readonly=True, digits=(16, 1)
    )
    approve_p90 = fields.Float(
        string="Days to Approval (90th pct.)", aggregator="max", readonly=True, digits=(16, 1)
    )
    receive_median = fields.Float(
        string="Days to Receipt (median)", aggregator="max", readonly=True, digits=(16, 1)
    )
    receive_p90 = fields.Float(
        string="Days to Receipt (90th pct.)", aggregator="max", readonly=True, digits=(16, 1)
    )
    refund_median = fields.Float(
        string="Days to Refund (median)", aggregator="max", readonly=True, digits=(16, 1)
    )
    refund_p90 = fields.Float(
        string="Days to Refund (90th pct.)", aggregator="max", readonly=True, digits=(16, 1)
    )
    return_count = fields.Integer(string="# Returns", readonly=True)

    # === SQL === #
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._rma_query())
        )

    def _rma_query(self):
        """One row per submitted return; the refund is its first posted credit note."""
        return SQL(
            """
            SELECT
                r.id AS id,
                r.id AS rma_id,
                r.state AS state,
                r.company_id AS company_id,
                r.warehouse_id AS warehouse_id,
                r.date_submitted AS date_requested,
                approve.days AS days_to_approve,
                receive.days AS days_to_receive,
                refund.days AS days_to_refund,
                approve.days AS approve_median,
                approve.days AS approve_p90,
                receive.days AS receive_median,
                receive.days AS receive_p90,
                refund.days AS refund_median,
                refund.days AS refund_p90,
                1 AS return_count
            FROM rma_order r
            LEFT JOIN (
                SELECT am.rma_order_id AS rma_id,
                       MIN(COALESCE(am.invoice_date, am.date)) AS date_refunded
                  FROM account_move am
                 WHERE am.rma_order_id IS NOT NULL
                   AND am.state = 'posted' AND am.move_type = 'out_refund'
              GROUP BY am.rma_order_id
            ) first_refund ON first_refund.rma_id = r.id
            CROSS JOIN LATERAL (
                SELECT EXTRACT(EPOCH FROM r.date_approved - r.date_submitted) / 86400.0 AS days
            ) approve
            CROSS JOIN LATERAL (
                SELECT EXTRACT(EPOCH FROM r.date_received - r.date_submitted) / 86400.0 AS days
            ) receive
            CROSS JOIN LATERAL (
                SELECT (first_refund.date_refunded - r.date_submitted::date)::float AS days
            ) refund
            WHERE r.date_submitted IS NOT NULL
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        """Percentile measures: ``percentile_cont`` over the group's returns."""
        fname = aggregate_spec.split(":")[0]
        if fname in PERCENTILES:
            column, fraction = PERCENTILES[fname]
            # checks the access to the measure, then reads the days' column
            super()._read_group_select(aggregate_spec, query)
            return SQL(
                "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                fraction,
                self._field_to_sql(self._table, column, query),
            )
        return super()._read_group_select(aggregate_spec, query)
