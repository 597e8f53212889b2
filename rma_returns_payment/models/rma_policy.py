from odoo import fields, models


class RmaPolicy(models.Model):
    _inherit = "rma.policy"

    store_credit_bonus = fields.Float(
        string="Store Credit Bonus (%)",
        digits=(16, 2),
        help="Extra store credit, in percent of the refund, for customers who choose "
        "store credit instead of money back (10 gives 110 of credit for 100).",
    )

    _sql_constraints = [
        (
            "store_credit_bonus_positive",
            "CHECK(store_credit_bonus >= 0)",
            "The store credit bonus cannot be negative.",
        ),
    ]
