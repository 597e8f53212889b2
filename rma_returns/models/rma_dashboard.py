from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.tools import SQL, html_escape

# count -> domain on rma.order: the returns behind each figure of the overview
DASHBOARD_COUNTS = {
    "to_review": [("state", "=", "submitted")],
    "awaiting_goods": [("state", "=", "approved")],
    "to_inspect": [("state", "=", "received"), ("inspection_required", "=", True)],
    "to_refund": [
        "|",
        ("refund_blocked", "=", True),
        "&",
        ("state", "=", "received"),
        ("inspection_required", "=", False),
    ],
    "overdue": [("is_overdue", "=", True)],
}
TOP_DAYS = 30
TOP_LIMIT = 5


class RmaDashboard(models.Model):
    """The returns manager's morning overview: one card per company (an SQL
    view over the companies, isolated by a record rule), its figures computed
    on read by grouped reads, never per return."""

    _name = "rma.dashboard"
    _description = "Returns Overview"
    _auto = False
    _rec_name = "company_id"

    # === FIELDS === #
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    count_to_review = fields.Integer(string="To Review", compute="_compute_counts")
    count_awaiting_goods = fields.Integer(string="Awaiting Goods", compute="_compute_counts")
    count_to_inspect = fields.Integer(string="To Inspect", compute="_compute_counts")
    count_to_refund = fields.Integer(string="To Refund", compute="_compute_counts")
    count_overdue = fields.Integer(string="Overdue", compute="_compute_counts")
    rate_this_month = fields.Float(
        string="Return Rate This Month (%)", compute="_compute_months", digits=(16, 1)
    )
    rate_last_month = fields.Float(
        string="Return Rate Last Month (%)", compute="_compute_months", digits=(16, 1)
    )
    refunded_this_month = fields.Monetary(compute="_compute_months")
    refunded_last_month = fields.Monetary(compute="_compute_months")
    top_html = fields.Html(
        string="Top Products and Reasons", compute="_compute_top", sanitize=False
    )
    flagged_html = fields.Html(string="Flagged Products", compute="_compute_top", sanitize=False)

    # === SQL === #
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (SELECT id, id AS company_id FROM res_company)",
                SQL.identifier(self._table),
            )
        )

    # === COMPUTE METHODS === #
    def _compute_counts(self):
        """One grouped read per count, by company, for all the cards."""
        returns = self.env["rma.order"]
        for kind, domain in DASHBOARD_COUNTS.items():
            counts = dict(
                returns._read_group(
                    [*domain, ("company_id", "in", self.company_id.ids)],
                    ["company_id"],
                    ["__count"],
                )
            )
            for card in self:
                card[f"count_{kind}"] = counts.get(card.company_id, 0)

    @api.model
    def _rma_month_bounds(self):
        """(start of last month, start of this month, start of next month), in
        the user's day."""
        today = fields.Date.context_today(self)
        this_month = datetime.combine(today.replace(day=1), time.min)
        return (
            this_month - relativedelta(months=1),
            this_month,
            this_month + relativedelta(months=1),
        )

    def _compute_months(self):
        last, this, following = self._rma_month_bounds()
        report = self.env["rma.report"]
        rates = self.env["rma.return.rate"]
        refunded = {}
        for start, end in ((last, this), (this, following)):
            for company, amount in report._read_group(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("date_refunded", ">=", start.date()),
                    ("date_refunded", "<", end.date()),
                ],
                ["company_id"],
                ["amount_refunded:sum"],
            ):
                refunded[company.id, start] = amount
        for card in self:
            company = card.company_id
            for start, end, rate_field in (
                (last, this, "rate_last_month"),
                (this, following, "rate_this_month"),
            ):
                per_categ = rates._rma_rates(
                    "category", start, end, company=company, company_ids=company.ids
                )
                returned = sum(values["returned_qty"] for values in per_categ.values())
                shipped = sum(values["delivered_qty"] for values in per_categ.values())
                card[rate_field] = 100.0 * returned / shipped if shipped > 0 else 0.0
            card.refunded_last_month = refunded.get((company.id, last), 0.0)
            card.refunded_this_month = refunded.get((company.id, this), 0.0)

    def _compute_top(self):
        since = fields.Datetime.now() - relativedelta(days=TOP_DAYS)
        report = self.env["rma.report"]
        domain = [
            ("company_id", "in", self.company_id.ids),
            ("date_requested", ">=", since),
            ("state", "in", ("submitted", "approved", "received", "done")),
        ]
        tops = {}
        for field in ("product_tmpl_id", "reason_id"):
            rows = report._read_group(
                domain,
                ["company_id", field],
                ["qty_requested:sum"],
                order="qty_requested:sum desc",
            )
            for company, record, qty in rows:
                tops.setdefault((company.id, field), [])
                if record and len(tops[company.id, field]) < TOP_LIMIT:
                    tops[company.id, field].append((record.display_name, qty))
        templates = self.env["product.template"]
        flagged = templates.search(
            [
                ("rma_high_return_rate", "=", True),
                ("company_id", "in", [False, *self.company_id.ids]),
            ],
            order="rma_return_rate desc, id",
        )
        for card in self:
            key = card.company_id.id
            card.top_html = card._rma_lists_html(
                [
                    (self.env._("Top products (30 days)"), tops.get((key, "product_tmpl_id"), [])),
                    (self.env._("Top reasons (30 days)"), tops.get((key, "reason_id"), [])),
                ]
            )
            mine = flagged.filtered(
                lambda t, c=card.company_id: not t.company_id or t.company_id == c
            )[:TOP_LIMIT]
            card.flagged_html = Markup("").join(
                Markup("<p><strong>%s</strong> (%s%%)<br/>%s</p>")
                % (
                    template.display_name,
                    round(template.rma_return_rate, 1),
                    Markup("<br/>").join((template.rma_return_insight or "").splitlines()),
                )
                for template in mine
            ) or Markup("<p class='text-muted'>%s</p>") % self.env._("No flagged product.")

    def _rma_lists_html(self, lists):
        parts = []
        for title, rows in lists:
            items = Markup("").join(
                Markup("<li>%s <span class='text-muted'>%s</span></li>")
                % (name, html_escape(round(qty, 2)))
                for name, qty in rows
            ) or Markup("<li class='text-muted'>%s</li>") % self.env._("Nothing returned.")
            parts.append(Markup("<h6>%s</h6><ul>%s</ul>") % (title, items))
        return Markup("").join(parts)

    # === ACTION METHODS === #
    def _rma_open(self, kind):
        """The returns behind one figure of the card, as a list."""
        self.ensure_one()
        self.env["rma.order"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_returns.rma_order_action")
        action["domain"] = [*DASHBOARD_COUNTS[kind], ("company_id", "=", self.company_id.id)]
        action["view_mode"] = "list,kanban,form"
        action["views"] = [(False, "list"), (False, "kanban"), (False, "form")]
        action["context"] = {}
        return action

    def action_open_to_review(self):
        return self._rma_open("to_review")

    def action_open_awaiting_goods(self):
        return self._rma_open("awaiting_goods")

    def action_open_to_inspect(self):
        return self._rma_open("to_inspect")

    def action_open_to_refund(self):
        return self._rma_open("to_refund")

    def action_open_overdue(self):
        return self._rma_open("overdue")
