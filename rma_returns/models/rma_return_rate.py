from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

# States whose returns count in a return rate: requested and not refused.
RATE_STATES = ("submitted", "approved", "received", "done")

# dimension -> (grouped field on rma.order.line, grouped field on sale.order.line)
RATE_DIMENSIONS = {
    "product": ("product_id", "product_id"),
    "template": ("rma_product_tmpl_id", "rma_product_tmpl_id"),
    "category": ("rma_categ_id", "rma_categ_id"),
    "customer": ("rma_commercial_partner_id", "rma_commercial_partner_id"),
    "salesperson": ("rma_salesman_id", "salesman_id"),
    "team": ("rma_team_id", "rma_team_id"),
}


def rate_percent(returned, delivered):
    """``returned`` over ``delivered`` in percent, within 0-100. Nothing
    delivered: 0% when nothing came back either, else 100% (never a division
    by zero)."""
    if delivered > 0:
        return min(max(100.0 * returned / delivered, 0.0), 100.0)
    return 100.0 if returned > 0.005 else 0.0


class RmaReturnRate(models.AbstractModel):
    """The one computation of return rates, used by the analytics (products,
    customers, the daily refresh) and by the return policy's gates.

    Returned: lines of returns submitted in the period, not rejected nor
    cancelled, at their requested quantity and value with taxes. Delivered:
    what was shipped to the customer on the sale lines of orders dated in the
    period, before any return (a unit that came back still counts as
    delivered), at the sale price with taxes. Values are converted to the
    company's currency at today's rate.
    """

    _name = "rma.return.rate"
    _description = "Return Rates"

    @api.model
    def _rma_rates(
        self, dimension, date_from, date_to=None, keys=None, company=None, company_ids=None
    ):
        """Return rates per ``dimension`` for the period [date_from, date_to).

        Two grouped reads (returns, deliveries) for the whole batch, whatever
        the number of keys. Reads every company's documents the caller's
        companies allow (sudo: a rate is a statistic, not a document).

        :param dimension: a key of ``RATE_DIMENSIONS``
        :param date_from: start of the period (datetime, included), or None
        :param date_to: end of the period (datetime, excluded), or None
        :param keys: ids of the records of the dimension to compute, or None for all
        :param company: currency of the values (default: the current company)
        :param company_ids: only the documents of these companies (default: all)
        :return: {record id: {"returned_qty", "returned_value", "delivered_qty",
            "delivered_value", "rate_qty", "rate_value" (percents)}}
        """
        rma_field, sale_field = RATE_DIMENSIONS[dimension]
        company = company or self.env.company
        scope = [("company_id", "in", list(company_ids))] if company_ids is not None else []
        returned = self._rma_returned_totals(rma_field, date_from, date_to, keys, company, scope)
        delivered = self._rma_delivered_totals(sale_field, date_from, date_to, keys, company, scope)
        result = {}
        for key in set(returned) | set(delivered):
            ret_qty, ret_value = returned.get(key, (0.0, 0.0))
            dlv_qty, dlv_value = delivered.get(key, (0.0, 0.0))
            result[key] = {
                "returned_qty": ret_qty,
                "returned_value": ret_value,
                "delivered_qty": dlv_qty,
                "delivered_value": dlv_value,
                "rate_qty": rate_percent(ret_qty, dlv_qty),
                "rate_value": rate_percent(ret_value, dlv_value),
            }
        return result

    @api.model
    def _rma_returned_domain(self, date_from=None, date_to=None):
        """Return lines that count as returned in the period."""
        domain = [("state", "in", RATE_STATES), ("decision", "!=", "reject")]
        if date_from:
            domain.append(("rma_id.date_submitted", ">=", date_from))
        if date_to:
            domain.append(("rma_id.date_submitted", "<", date_to))
        return domain

    @api.model
    def _rma_returned_totals(self, field, date_from, date_to, keys, company, scope=()):
        domain = [*self._rma_returned_domain(date_from, date_to), *scope]
        if keys is not None:
            domain.append((field, "in", list(keys)))
        groups = (
            self.env["rma.order.line"]
            .sudo()
            ._read_group(domain, [field, "currency_id"], ["product_uom_qty:sum", "price_total:sum"])
        )
        return self._rma_sum_converted(groups, company)

    @api.model
    def _rma_delivered_totals(self, field, date_from, date_to, keys, company, scope=()):
        domain = [("state", "=", "sale"), ("rma_qty_shipped", "!=", 0.0), *scope]
        if date_from:
            domain.append(("order_id.date_order", ">=", date_from))
        if date_to:
            domain.append(("order_id.date_order", "<", date_to))
        if keys is not None:
            domain.append((field, "in", list(keys)))
        groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                domain, [field, "currency_id"], ["rma_qty_shipped:sum", "rma_shipped_amount:sum"]
            )
        )
        return self._rma_sum_converted(groups, company)

    @api.model
    def _rma_sum_converted(self, groups, company):
        """{key id: (qty, value in ``company``'s currency)} from rows
        (key, currency, qty, value)."""
        today = fields.Date.context_today(self)
        totals = defaultdict(lambda: [0.0, 0.0])
        for key, currency, qty, value in groups:
            if not key:
                continue
            total = totals[key.id]
            total[0] += qty
            total[1] += currency._convert(value, company.currency_id, company, today)
        return {key: tuple(total) for key, total in totals.items()}

    # === SCHEDULED REFRESH === #
    @api.model
    def _cron_refresh_rates(self):
        """Store the rates of the company's period on variants, templates and
        customers, and flag the templates with a high return rate."""
        company = self.env.company
        since = fields.Datetime.now() - timedelta(days=max(company.rma_rate_days, 1))
        self = self.sudo()
        for model, dimension, rate_key in (
            ("product.product", "product", "rate_qty"),
            ("product.template", "template", "rate_qty"),
            ("res.partner", "customer", "rate_value"),
        ):
            rates = self._rma_rates(dimension, since, company=company)
            self._rma_store_rates(self.env[model], rates, rate_key)
            if model == "product.template":
                templates = self.env[model].with_context(active_test=False)
                candidates = templates.browse(list(rates)) | templates.search(
                    [("rma_high_return_rate", "=", True)]
                )
                candidates._rma_flag_high_return_rates(rates, company, since)

    @api.model
    def _rma_store_rates(self, records, rates, rate_key):
        """Write ``rates`` on ``records``' model, and zero the records that had a
        rate and no longer have one; one write per distinct value."""
        stale = records.with_context(active_test=False).search(
            [
                ("id", "not in", list(rates)),
                "|",
                ("rma_delivered_qty", "!=", 0.0),
                ("rma_return_qty", "!=", 0.0),
            ]
        )
        by_values = defaultdict(list)
        for record_id, values in rates.items():
            key = (values["returned_qty"], values["delivered_qty"], values[rate_key])
            by_values[key].append(record_id)
        by_values[0.0, 0.0, 0.0].extend(stale.ids)
        for (returned, delivered, rate), ids in by_values.items():
            records.browse(ids).write(
                {
                    "rma_return_qty": returned,
                    "rma_delivered_qty": delivered,
                    "rma_return_rate": rate,
                }
            )
