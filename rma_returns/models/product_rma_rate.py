from markupsafe import Markup

from odoo import fields, models

from .rma_order import RMA_READERS

RATE_HELP = (
    "Returned quantity over shipped quantity, in percent, over the company's return "
    "rate period; refreshed daily."
)


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # === FIELDS === #
    rma_return_qty = fields.Float(
        string="Returned Qty", readonly=True, digits="Product Unit of Measure", groups=RMA_READERS
    )
    rma_delivered_qty = fields.Float(
        string="Shipped Qty", readonly=True, digits="Product Unit of Measure", groups=RMA_READERS
    )
    rma_return_rate = fields.Float(
        string="Return Rate (%)", readonly=True, help=RATE_HELP, groups=RMA_READERS
    )
    rma_high_return_rate = fields.Boolean(
        string="High Return Rate",
        readonly=True,
        index=True,
        groups=RMA_READERS,
        help="The return rate reached the company's threshold over at least its minimum "
        "sample of shipped units.",
    )

    # === ACTION METHODS === #
    def action_view_rma_report(self):
        """The returned lines of these products, by reason."""
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_returns.rma_report_action")
        action["domain"] = [("product_tmpl_id", "in", self.ids)]
        action["context"] = {"group_by": ["reason_id"]}
        return action

    # === BUSINESS METHODS === #
    def _rma_flag_high_return_rates(self, rates, company, date_from=None):
        """Flag the templates whose rate reaches ``company``'s threshold over its
        minimum sample; schedule one activity for the product's responsible when a
        product becomes flagged (not again while it stays flagged).

        :param rates: {template id: rate values of ``rma.return.rate._rma_rates``}
        """
        threshold = company.rma_high_rate_threshold
        minimum = company.rma_high_rate_min_qty

        def is_high(values):
            return bool(
                threshold > 0
                and values
                and values["delivered_qty"] >= max(minimum, 0.0)
                and values["rate_qty"] >= threshold
            )

        flagged = self.filtered(lambda t: is_high(rates.get(t.id)))
        cleared = (self - flagged).filtered("rma_high_return_rate")
        newly = flagged.filtered(lambda t: not t.rma_high_return_rate)
        cleared.rma_high_return_rate = False
        newly.rma_high_return_rate = True
        self._rma_write_insights(date_from)
        newly._rma_schedule_high_rate_activities(rates, company)
        return newly

    def _rma_schedule_high_rate_activities(self, rates, company):
        """One to-do per newly flagged product, for its responsible (one create)."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = self.env["ir.model"]._get_id("product.template")
        vals_list = []
        for template in self.with_company(company):
            user = template.responsible_id
            if not user or not todo:
                continue
            values = rates[template.id]
            vals_list.append(
                {
                    "res_model_id": model,
                    "res_id": template.id,
                    "activity_type_id": todo.id,
                    "user_id": user.id,
                    "summary": self.env._("High return rate"),
                    "note": Markup("<p>%s</p><p>%s</p>")
                    % (
                        self.env._(
                            "%(product)s: %(returned)s of %(shipped)s shipped units came back "
                            "(%(rate)s%%), at or above the %(threshold)s%% threshold. "
                            "Look at the return reasons to see what to change.",
                            product=template.display_name,
                            returned=round(values["returned_qty"], 2),
                            shipped=round(values["delivered_qty"], 2),
                            rate=round(values["rate_qty"], 1),
                            threshold=round(company.rma_high_rate_threshold, 1),
                        ),
                        template.rma_return_insight or "",
                    ),
                }
            )
        return self.env["mail.activity"].sudo().create(vals_list)


class ProductProduct(models.Model):
    _inherit = "product.product"

    # === FIELDS === #
    rma_return_qty = fields.Float(
        string="Returned Qty", readonly=True, digits="Product Unit of Measure", groups=RMA_READERS
    )
    rma_delivered_qty = fields.Float(
        string="Shipped Qty", readonly=True, digits="Product Unit of Measure", groups=RMA_READERS
    )
    rma_return_rate = fields.Float(
        string="Return Rate (%)", readonly=True, help=RATE_HELP, groups=RMA_READERS
    )

    # === ACTION METHODS === #
    def action_view_rma_report(self):
        """The returned lines of these variants, by reason."""
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_returns.rma_report_action")
        action["domain"] = [("product_id", "in", self.ids)]
        action["context"] = {"group_by": ["reason_id"]}
        return action


class ResPartner(models.Model):
    _inherit = "res.partner"

    # === FIELDS === #
    rma_return_qty = fields.Float(
        string="Returned Qty", readonly=True, digits="Product Unit of Measure", groups=RMA_READERS
    )
    rma_delivered_qty = fields.Float(
        string="Shipped Qty", readonly=True, digits="Product Unit of Measure", groups=RMA_READERS
    )
    rma_return_rate = fields.Float(
        string="Return Rate (%)",
        readonly=True,
        groups=RMA_READERS,
        help="Returned value over shipped value, in percent, over the company's return "
        "rate period (the rate the return policy checks); refreshed daily.",
    )

    # === ACTION METHODS === #
    def action_view_rma_report(self):
        """The returned lines of this customer's company, by product."""
        action = self.env["ir.actions.act_window"]._for_xml_id("rma_returns.rma_report_action")
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        action["context"] = {"group_by": ["product_tmpl_id"]}
        return action
