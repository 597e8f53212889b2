from odoo import fields, models


class RmaPolicy(models.Model):
    _inherit = "rma.policy"

    store_credit_bonus = fields.Float(
        string="Store Credit Bonus (%)",
        digits=(16, 2),
        help="Extra store credit, in percent of the refund, for customers who choose "
        "store credit instead of money back (10 gives 110 of credit for 100).",
    )

    replacement_timing = fields.Selection(
        [
            ("approval", "At Approval"),
            ("trusted", "At Approval for Trusted Customers"),
            ("receipt", "Once the Goods Are Received"),
        ],
        string="Ship Replacements",
        default="approval",
        required=True,
        help="When replacements and exchanges ship: at approval, before the goods "
        "come back (instant exchange); at approval only for the customers the "
        "fast-refund gate trusts (the return's refund timing is 'on approval'), "
        "else once the goods are received; or always once they are received.",
    )
    unreturned_invoice_days = fields.Integer(
        string="Invoice Unreturned Replacements After (days)",
        help="Replacements and exchanges ship at approval, before the goods come "
        "back. When the goods have not arrived this many days after the replacement "
        "shipped, the customer is invoiced for it and told so. 0: never.",
    )

    _sql_constraints = [
        (
            "unreturned_invoice_days_positive",
            "CHECK(unreturned_invoice_days >= 0)",
            "The delay before invoicing an unreturned replacement cannot be negative.",
        ),
        (
            "store_credit_bonus_positive",
            "CHECK(store_credit_bonus >= 0)",
            "The store credit bonus cannot be negative.",
        ),
    ]
