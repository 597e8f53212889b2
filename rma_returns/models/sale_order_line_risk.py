from odoo import api, fields, models

RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class ResCompany(models.Model):
    _inherit = "res.company"

    rma_risk_prior_weight = fields.Float(
        string="Risk Prior Weight (units)",
        default=10.0,
        help="How many shipped units the category's rate weighs in a product's predicted "
        "return risk (and the shop's rate in a customer's): a product with few sales "
        "is judged mostly by its category, one with many sales by its own returns.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_risk_prior_weight = fields.Float(related="company_id.rma_risk_prior_weight", readonly=False)


class RmaReturnRate(models.AbstractModel):
    _inherit = "rma.return.rate"

    @api.model
    def _rma_predicted_risks(self, templates, partners, company=None):
        """Predicted return rates, from the rates stored by the daily refresh
        (returned over shipped units of the company's period), smoothed by a
        Beta-binomial estimate: ``(returned + k x prior) / (shipped + k)``, ``k``
        the company's prior weight. A product's prior is its category's rate, a
        customer's the shop's rate over all products.

        Three grouped reads and two batch reads, whatever the number of records.

        :return: ({template id: {"returned", "shipped", "prior", "rate"}},
            {partner id: {"returned", "shipped", "prior", "rate"}}, shop rate, k)
        """
        company = company or self.env.company
        weight = max(company.rma_risk_prior_weight, 0.0)
        Template = self.env["product.template"].sudo().with_context(active_test=False)
        templates = templates.sudo()
        per_categ = {
            categ.id: (returned, shipped)
            for categ, returned, shipped in Template._read_group(
                [("categ_id", "in", templates.categ_id.ids)],
                ["categ_id"],
                ["rma_return_qty:sum", "rma_delivered_qty:sum"],
            )
        }
        [(all_returned, all_shipped)] = Template._read_group(
            [("rma_delivered_qty", "!=", 0.0)], [], ["rma_return_qty:sum", "rma_delivered_qty:sum"]
        )
        shop_rate = min(all_returned / all_shipped, 1.0) if all_shipped > 0 else 0.0

        def smoothed(returned, shipped, prior):
            total = shipped + weight
            rate = (returned + weight * prior) / total if total > 0 else prior
            return {
                "returned": returned,
                "shipped": shipped,
                "prior": prior,
                "rate": min(max(rate, 0.0), 1.0),
            }

        by_template = {}
        for template in templates:
            categ_returned, categ_shipped = per_categ.get(template.categ_id.id, (0.0, 0.0))
            prior = min(categ_returned / categ_shipped, 1.0) if categ_shipped > 0 else shop_rate
            by_template[template.id] = smoothed(
                template.rma_return_qty, template.rma_delivered_qty, prior
            )
        by_partner = {
            partner.id: smoothed(partner.rma_return_qty, partner.rma_delivered_qty, shop_rate)
            for partner in partners.sudo()
        }
        return by_template, by_partner, shop_rate, weight


class SaleOrderLine(models.Model):
    """The predicted return risk of a line, shown as a badge so a shop can act
    before shipping: the product's smoothed rate, scaled by how much more (or
    less) often than average the customer returns."""

    _inherit = "sale.order.line"

    rma_return_risk = fields.Float(
        string="Return Risk (%)",
        compute="_compute_rma_return_risk",
        groups="sales_team.group_sale_salesman",
        help="Predicted chance this line comes back: the product's return rate smoothed "
        "toward its category's, times the customer's smoothed rate over the shop's.",
    )
    rma_return_risk_level = fields.Selection(
        RISK_LEVELS,
        string="Return Risk Level",
        compute="_compute_rma_return_risk",
        groups="sales_team.group_sale_salesman",
    )
    rma_return_risk_badge = fields.Char(
        string="Return Risk",
        compute="_compute_rma_return_risk",
        groups="sales_team.group_sale_salesman",
        help="Predicted chance this line comes back; the explanation shows the numbers.",
    )
    rma_return_risk_note = fields.Text(
        string="Return Risk Explained",
        compute="_compute_rma_return_risk",
        groups="sales_team.group_sale_salesman",
    )

    # === COMPUTE METHODS === #
    @api.depends("product_id", "order_id.partner_id", "order_id.company_id")
    def _compute_rma_return_risk(self):
        lines = self.filtered(lambda ln: ln.product_id and not ln.display_type)
        (self - lines).update(
            {
                "rma_return_risk": 0.0,
                "rma_return_risk_level": False,
                "rma_return_risk_badge": False,
                "rma_return_risk_note": False,
            }
        )
        if not lines:
            return
        company = lines.order_id.company_id[:1] or self.env.company
        products, customers, shop_rate, weight = self.env["rma.return.rate"]._rma_predicted_risks(
            lines.product_id.product_tmpl_id,
            lines.order_id.partner_id.commercial_partner_id,
            company,
        )
        threshold = company.rma_high_rate_threshold or 20.0
        for line in lines:
            product = products[line.product_id.product_tmpl_id.id]
            customer = customers.get(line.order_id.partner_id.commercial_partner_id.id)
            factor = customer["rate"] / shop_rate if customer and shop_rate > 0 else 1.0
            risk = 100.0 * min(product["rate"] * factor, 1.0)
            if risk >= threshold:
                level = "high"
            elif risk >= threshold / 2:
                level = "medium"
            else:
                level = "low"
            line.rma_return_risk = risk
            line.rma_return_risk_level = level
            line.rma_return_risk_badge = self.env._("%(risk)s%% risk", risk=round(risk))
            line.rma_return_risk_note = line._rma_risk_explanation(
                product, customer, factor, risk, shop_rate, weight
            )

    def _rma_risk_explanation(self, product, customer, factor, risk, shop_rate, weight):
        """The numbers of one line's risk, in plain words."""
        self.ensure_one()
        parts = [
            self.env._(
                "Product: %(returned)s of %(shipped)s shipped units came back; its category "
                "returns %(prior)s%%. Smoothed with a weight of %(k)s units: "
                "(%(returned)s + %(k)s × %(prior)s%%) / (%(shipped)s + %(k)s) = %(rate)s%%.",
                returned=round(product["returned"], 2),
                shipped=round(product["shipped"], 2),
                prior=round(100 * product["prior"], 1),
                k=round(weight, 2),
                rate=round(100 * product["rate"], 1),
            )
        ]
        if customer and shop_rate > 0:
            parts.append(
                self.env._(
                    "Customer: %(returned)s of %(shipped)s units came back, against %(prior)s%% "
                    "for the shop: (%(returned)s + %(k)s × %(prior)s%%) / (%(shipped)s + %(k)s) "
                    "= %(rate)s%%, %(factor)s× the shop's rate.",
                    returned=round(customer["returned"], 2),
                    shipped=round(customer["shipped"], 2),
                    prior=round(100 * shop_rate, 1),
                    k=round(weight, 2),
                    rate=round(100 * customer["rate"], 1),
                    factor=round(factor, 2),
                )
            )
        parts.append(
            self.env._(
                "Risk: %(product)s%% × %(factor)s = %(risk)s%%.",
                product=round(100 * product["rate"], 1),
                factor=round(factor, 2),
                risk=round(risk, 1),
            )
        )
        return "\n".join(parts)
