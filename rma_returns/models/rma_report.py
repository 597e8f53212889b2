from odoo import fields, models, tools
from odoo.tools import SQL

from .rma_order import RMA_STATES
from .rma_order_line import CONDITIONS, RESOLUTIONS
from .rma_order_line_stock import DISPOSITIONS


class RmaReport(models.Model):
    """Returns analysis: one read-only row per returned line (an SQL view).

    Amounts are in the company's currency: returned value and fees converted
    at the sale order's rate, refunds as the posted credit note lines booked
    them (``account_move_line.rma_line_id``, signed: an exchange settlement
    invoice lowers the refund), the cost of the goods as the stock valuation of
    the return moves, else the product's cost times the quantity.
    """

    _name = "rma.report"
    _description = "Returns Analysis"
    _auto = False
    _order = "date_requested desc, id desc"
    _rec_name = "rma_id"

    # === FIELDS === #
    rma_id = fields.Many2one("rma.order", string="Return", readonly=True)
    state = fields.Selection(RMA_STATES, string="Status", readonly=True)
    date_requested = fields.Datetime(string="Requested On", readonly=True)
    date_approved = fields.Datetime(string="Approved On", readonly=True)
    date_received = fields.Datetime(string="Received On", readonly=True)
    date_refunded = fields.Date(string="Refunded On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one("res.country", string="Customer Country", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    product_id = fields.Many2one("product.product", string="Variant", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    reason_id = fields.Many2one("rma.reason", readonly=True)
    condition = fields.Selection(CONDITIONS, readonly=True)
    resolution = fields.Selection(RESOLUTIONS, readonly=True)
    disposition = fields.Selection(DISPOSITIONS, readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Return Warehouse", readonly=True)
    is_cross_border = fields.Boolean(string="Cross-Border", readonly=True)
    qty_requested = fields.Float(digits="Product Unit of Measure", readonly=True)
    qty_received = fields.Float(digits="Product Unit of Measure", readonly=True)
    qty_refunded = fields.Float(digits="Product Unit of Measure", readonly=True)
    amount_returned = fields.Monetary(
        string="Returned Value", readonly=True, help="Untaxed sale value of the requested quantity."
    )
    amount_refunded = fields.Monetary(
        string="Refunded", readonly=True, help="Untaxed amount of the posted credit note lines."
    )
    amount_fees = fields.Monetary(
        string="Fees",
        readonly=True,
        help="Restocking and return shipping fees of the return, shared among its lines by value.",
    )
    amount_shipping_fee = fields.Monetary(
        string="Return Shipping",
        readonly=True,
        help="Return shipping fee kept from the refund, shared among the return's lines by value.",
    )
    amount_cost = fields.Monetary(string="Cost of Goods", readonly=True)
    amount_restocked = fields.Monetary(
        string="Restocked Value",
        readonly=True,
        help="Cost of the goods put back in stock (restock disposition).",
    )
    amount_scrapped = fields.Monetary(
        string="Scrapped Value", readonly=True, help="Cost of the goods scrapped."
    )
    days_to_approve = fields.Float(
        string="Days to Approval", aggregator="avg", readonly=True, digits=(16, 1)
    )
    days_to_receive = fields.Float(
        string="Days to Receipt", aggregator="avg", readonly=True, digits=(16, 1)
    )
    days_to_refund = fields.Float(
        string="Days to Refund", aggregator="avg", readonly=True, digits=(16, 1)
    )
    line_count = fields.Integer(string="# Lines", readonly=True)

    # === SQL === #
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._rma_query())
        )

    def _rma_query(self):
        """One row per return line; refunds and valuations pre-aggregated per line."""
        days = SQL("86400.0")
        return SQL(
            """
            SELECT
                l.id AS id,
                l.rma_id AS rma_id,
                r.state AS state,
                COALESCE(r.date_submitted, r.create_date) AS date_requested,
                r.date_approved AS date_approved,
                r.date_received AS date_received,
                refund.date_refunded AS date_refunded,
                r.company_id AS company_id,
                company.currency_id AS currency_id,
                r.commercial_partner_id AS partner_id,
                COALESCE(ship.country_id, customer.country_id) AS country_id,
                so.user_id AS user_id,
                so.team_id AS team_id,
                so.id AS sale_order_id,
                l.product_id AS product_id,
                pp.product_tmpl_id AS product_tmpl_id,
                pt.categ_id AS categ_id,
                l.reason_id AS reason_id,
                l.condition AS condition,
                l.resolution AS resolution,
                l.disposition AS disposition,
                r.warehouse_id AS warehouse_id,
                COALESCE(r.is_cross_border, FALSE) AS is_cross_border,
                l.product_uom_qty AS qty_requested,
                l.qty_received AS qty_received,
                l.qty_refunded AS qty_refunded,
                l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount_returned,
                COALESCE(refund.amount, 0.0) AS amount_refunded,
                (COALESCE(r.restocking_fee, 0) + COALESCE(r.shipping_fee, 0)) * share.fee
                    AS amount_fees,
                COALESCE(r.shipping_fee, 0) * share.fee AS amount_shipping_fee,
                cost.value AS amount_cost,
                CASE WHEN l.disposition = 'restock' THEN cost.value ELSE 0.0 END
                    AS amount_restocked,
                CASE WHEN l.disposition = 'scrap' THEN cost.value ELSE 0.0 END
                    AS amount_scrapped,
                EXTRACT(EPOCH FROM r.date_approved - r.date_submitted) / %(days)s
                    AS days_to_approve,
                EXTRACT(EPOCH FROM r.date_received - r.date_submitted) / %(days)s
                    AS days_to_receive,
                (refund.date_refunded - r.date_submitted::date) AS days_to_refund,
                1 AS line_count
            FROM rma_order_line l
            JOIN rma_order r ON r.id = l.rma_id
            JOIN res_company company ON company.id = r.company_id
            JOIN sale_order so ON so.id = r.sale_order_id
            JOIN product_product pp ON pp.id = l.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN res_partner customer ON customer.id = r.commercial_partner_id
            LEFT JOIN res_partner ship ON ship.id = r.partner_shipping_id
            LEFT JOIN (
                SELECT aml.rma_line_id,
                       SUM(aml.balance) AS amount,
                       MAX(aml.date) FILTER (WHERE am.move_type = 'out_refund') AS date_refunded
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                 WHERE aml.rma_line_id IS NOT NULL AND am.state = 'posted'
              GROUP BY aml.rma_line_id
            ) refund ON refund.rma_line_id = l.id
            LEFT JOIN (
                SELECT sm.rma_line_id, SUM(svl.value) AS value
                  FROM stock_valuation_layer svl
                  JOIN stock_move sm ON sm.id = svl.stock_move_id
                  JOIN stock_location src ON src.id = sm.location_id
                 WHERE sm.rma_line_id IS NOT NULL AND src.usage = 'customer'
              GROUP BY sm.rma_line_id
            ) valuation ON valuation.rma_line_id = l.id
            CROSS JOIN LATERAL (
                SELECT CASE WHEN COALESCE(r.amount_total, 0) = 0 THEN 0.0
                            ELSE l.price_total / r.amount_total
                                 / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       END AS fee
            ) share
            CROSS JOIN LATERAL (
                SELECT COALESCE(
                    valuation.value,
                    COALESCE((pp.standard_price ->> r.company_id::text)::numeric, 0.0)
                    * COALESCE(NULLIF(l.qty_received, 0), l.product_uom_qty)
                ) AS value
            ) cost
            """,
            days=days,
        )
