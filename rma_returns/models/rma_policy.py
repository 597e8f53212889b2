from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .rma_order import REFUND_TIMINGS

# A stricter timing wins when the lines of one return follow different policies.
TIMING_STRICTNESS = {"approval": 0, "receipt": 1, "inspection": 2}


def _under_categories(category, categories):
    """True when ``category`` is one of ``categories`` or below one of them."""
    path = category.parent_path or ""
    return any(path.startswith(parent.parent_path or "") for parent in categories)


class RmaPolicy(models.Model):
    """The rules a return is judged by: the first policy (by sequence) that
    matches a returned product decides for that product."""

    _name = "rma.policy"
    _description = "Return Policy"
    _order = "sequence, id"
    _check_company_auto = True

    # === FIELDS === #
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Policies are tried in this order; the first that matches applies."
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to apply to every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Currency of the policy's amounts (the company's).",
    )
    note = fields.Text(string="Description", translate=True)
    # --- matching
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "rma_policy_product_tmpl_rel",
        string="Products",
        check_company=True,
        help="Applies to these products (or to the categories below). Empty: any product.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        "rma_policy_categ_rel",
        string="Product Categories",
        help="Applies to products of these categories and their sub-categories.",
    )
    country_ids = fields.Many2many(
        "res.country",
        "rma_policy_country_rel",
        string="Customer Countries",
        help="Applies when the pickup address is in one of these countries. Empty: any.",
    )
    cross_border = fields.Selection(
        [("any", "Any"), ("domestic", "Domestic Only"), ("cross_border", "Cross-Border Only")],
        string="Shipping",
        default="any",
        required=True,
        help="Cross-border: the pickup country differs from the warehouse country.",
    )
    team_ids = fields.Many2many(
        "crm.team",
        "rma_policy_team_rel",
        string="Sales Teams",
        help="Applies to orders of these sales teams (channels). Empty: any.",
    )
    # --- what may be returned, and how
    return_days = fields.Integer(
        string="Return Window (days)",
        default=30,
        help="Days after delivery during which goods may be returned (0: no limit).",
    )
    non_returnable_product_tmpl_ids = fields.Many2many(
        "product.template", "rma_policy_non_returnable_tmpl_rel", string="Non-Returnable Products"
    )
    non_returnable_categ_ids = fields.Many2many(
        "product.category",
        "rma_policy_non_returnable_categ_rel",
        string="Non-Returnable Categories",
        help="Products of these categories and their sub-categories cannot be returned.",
    )
    allow_refund = fields.Boolean(string="Refund", default=True)
    allow_replacement = fields.Boolean(string="Replacement", default=True)
    allow_exchange = fields.Boolean(string="Exchange", default=True)
    allow_unopened = fields.Boolean(string="Unopened", default=True)
    allow_opened = fields.Boolean(string="Opened", default=True)
    allow_damaged = fields.Boolean(string="Damaged", default=True)
    allow_defective = fields.Boolean(string="Defective", default=True)
    photo_reason_ids = fields.Many2many(
        "rma.reason",
        "rma_policy_photo_reason_rel",
        string="Reasons Needing a Photo",
        help="On top of the reasons that always need one.",
    )
    # --- fees
    restocking_fee_percent = fields.Float(
        string="Restocking Fee (%)",
        help="Of the refunded value; waived on merchant or carrier fault.",
    )
    restocking_fee_fixed = fields.Monetary(
        string="Restocking Fee (fixed)",
        help="Per refunded product; waived on merchant or carrier fault.",
    )
    shipping_fee = fields.Monetary(
        string="Return Shipping Fee", help="Charged once per return when the customer pays."
    )
    restocking_fee_product_id = fields.Many2one(
        "product.product",
        domain="[('type', '=', 'service')]",
        help="The service invoiced for the restocking fee: its taxes and income "
        "account apply. Empty: the addon's Restocking Fee service.",
    )
    shipping_fee_product_id = fields.Many2one(
        "product.product",
        string="Return Shipping Fee Product",
        domain="[('type', '=', 'service')]",
        help="The service invoiced for return shipping: its taxes and income account "
        "apply. Empty: the addon's Return Shipping service.",
    )
    shipping_payer = fields.Selection(
        [("customer", "Customer"), ("merchant", "Merchant")],
        string="Return Shipping Paid By",
        default="customer",
        required=True,
        help="The merchant always pays on merchant or carrier fault, and when the order "
        "carried return-shipping insurance.",
    )
    # --- auto-approval
    auto_approve = fields.Boolean(
        string="Auto-Approve",
        default=True,
        help="Approve in-policy returns on submission; otherwise an agent reviews them.",
    )
    auto_approve_max_amount = fields.Monetary(
        string="Auto-Approval Limit", help="Returns worth more go to review (0: no limit)."
    )
    max_return_rate = fields.Float(
        string="Max. Customer Return Rate (%)",
        help="Customers who returned more than this share of what was delivered to them "
        "go to review (0: no limit).",
    )
    return_rate_days = fields.Integer(
        string="Return Rate Period (days)",
        default=90,
        help="Period the return rate is measured on.",
    )
    auto_approve_reason_ids = fields.Many2many(
        "rma.reason",
        "rma_policy_auto_reason_rel",
        string="Auto-Approved Reasons",
        help="Only these reasons are approved automatically. Empty: every reason.",
    )
    review_user_id = fields.Many2one(
        "res.users",
        string="Reviewer",
        domain="[('share', '=', False)]",
        help="Who gets the review activity. Empty: the return's responsible.",
    )
    # --- refund
    refund_timing = fields.Selection(
        REFUND_TIMINGS,
        required=True,
        default="receipt",
        help="On approval (fast refund) is granted only under the limits below; "
        "otherwise the refund waits for the goods.",
    )
    fast_refund_max_rate = fields.Float(
        string="Fast Refund: Max. Return Rate (%)",
        help="Fast refund only for customers whose return rate is below this (0: no limit).",
    )
    fast_refund_max_amount = fields.Monetary(
        string="Fast Refund: Max. Amount", help="Fast refund only up to this refund (0: no limit)."
    )
    auto_post_refund = fields.Boolean(
        string="Post Credit Notes", default=True, help="Post the credit notes as soon as created."
    )
    customs_required = fields.Boolean(
        string="Customs Data Required",
        default=True,
        help="Cross-border returns need the HS code and country of origin of every product "
        "for the slip; a return missing them goes to review.",
    )

    # === COMPUTE METHODS === #
    @api.depends("company_id")
    def _compute_currency_id(self):
        for policy in self:
            policy.currency_id = (policy.company_id or self.env.company).currency_id

    # === CONSTRAINT METHODS === #
    @api.constrains(
        "return_days",
        "restocking_fee_percent",
        "restocking_fee_fixed",
        "shipping_fee",
        "auto_approve_max_amount",
        "max_return_rate",
        "return_rate_days",
        "fast_refund_max_rate",
        "fast_refund_max_amount",
    )
    def _check_amounts(self):
        for policy in self:
            numbers = [
                policy.return_days,
                policy.restocking_fee_fixed,
                policy.shipping_fee,
                policy.auto_approve_max_amount,
                policy.return_rate_days,
                policy.fast_refund_max_amount,
            ]
            percents = [
                policy.restocking_fee_percent,
                policy.max_return_rate,
                policy.fast_refund_max_rate,
            ]
            if any(n < 0 for n in numbers + percents) or any(p > 100 for p in percents):
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s: days, amounts and percentages cannot be negative, "
                        "and percentages cannot exceed 100.",
                        name=policy.name,
                    )
                )

    @api.constrains("allow_refund", "allow_replacement", "allow_exchange")
    def _check_resolutions(self):
        for policy in self:
            if not (policy.allow_refund or policy.allow_replacement or policy.allow_exchange):
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s must allow at least one resolution.", name=policy.name
                    )
                )

    # === BUSINESS METHODS === #
    def _rma_specificity(self):
        """Tie-break between policies of the same sequence: product first,
        then category, then the other criteria, then catch-all policies."""
        self.ensure_one()
        if self.product_tmpl_ids:
            return 3
        if self.categ_ids:
            return 2
        if self.country_ids or self.team_ids or self.cross_border != "any":
            return 1
        return 0

    def _rma_sorted(self):
        return self.sorted(lambda p: (p.sequence, -p._rma_specificity(), p.id))

    def _rma_matches(self, line, country, is_cross_border):
        """Whether this policy applies to return line ``line`` picked up in
        ``country``. Product and category criteria add up (either matches);
        the other criteria must all hold."""
        self.ensure_one()
        product = line.product_id
        if self.product_tmpl_ids or self.categ_ids:
            by_product = product.product_tmpl_id in self.product_tmpl_ids
            by_categ = _under_categories(product.categ_id, self.categ_ids)
            if not (by_product or by_categ):
                return False
        if self.country_ids and country not in self.country_ids:
            return False
        if self.team_ids and line.rma_id.sale_order_id.team_id not in self.team_ids:
            return False
        expected = {"domestic": False, "cross_border": True}.get(self.cross_border)
        return expected is None or expected == is_cross_border

    def _rma_is_returnable(self, product):
        self.ensure_one()
        return product.product_tmpl_id not in self.non_returnable_product_tmpl_ids and not (
            _under_categories(product.categ_id, self.non_returnable_categ_ids)
        )

    def _rma_line_review_notes(self, line, has_photo):
        """Soft rules of one line under this policy: resolution and condition
        allowed, reason given, photo attached when the reason needs one,
        reason approved automatically.

        :return: (notes that send the return to review, informative notes)
        """
        self.ensure_one()
        product = line.product_id.display_name
        labels = {
            fname: dict(line._fields[fname]._description_selection(self.env))
            for fname in ("resolution", "condition")
        }
        blocking, info = [], []
        if not self[f"allow_{line.resolution}"]:
            blocking.append(
                self.env._(
                    "%(product)s: %(resolution)s is not offered under %(policy)s: needs review.",
                    product=product,
                    resolution=labels["resolution"][line.resolution].lower(),
                    policy=self.name,
                )
            )
        if not self[f"allow_{line.condition}"]:
            blocking.append(
                self.env._(
                    "%(product)s: %(condition)s goods are not accepted under %(policy)s: "
                    "needs review.",
                    product=product,
                    condition=labels["condition"][line.condition].lower(),
                    policy=self.name,
                )
            )
        reason = line.reason_id
        if not reason:
            blocking.append(
                self.env._("%(product)s: no return reason given: needs review.", product=product)
            )
            return blocking, info
        if self._rma_needs_photo(reason):
            values = {"product": product, "reason": reason.name}
            if has_photo:
                info.append(
                    self.env._("%(product)s: “%(reason)s” needs a photo: attached.", **values)
                )
            else:
                blocking.append(
                    self.env._(
                        "%(product)s: “%(reason)s” needs a photo and none is attached: "
                        "needs review.",
                        **values,
                    )
                )
        if self.auto_approve_reason_ids and reason not in self.auto_approve_reason_ids:
            blocking.append(
                self.env._(
                    "%(product)s: “%(reason)s” is not approved automatically under %(policy)s: "
                    "needs review.",
                    product=product,
                    reason=reason.name,
                    policy=self.name,
                )
            )
        return blocking, info

    def _rma_needs_photo(self, reason):
        self.ensure_one()
        return bool(reason) and (reason.photo_required or reason in self.photo_reason_ids)

    def _rma_amount(self, field_name, currency, company, date):
        """The policy amount ``field_name`` converted to ``currency``."""
        self.ensure_one()
        return self.currency_id._convert(self[field_name], currency, company, date)
