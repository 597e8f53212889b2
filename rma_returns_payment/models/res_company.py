from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # === FIELDS === #
    rma_ewallet_program_id = fields.Many2one(
        "loyalty.program",
        string="Store Credit eWallet",
        domain="[('program_type', '=', 'ewallet'), ('company_id', 'in', (id, False))]",
        help="The eWallet program returns refunded as store credit are credited to.",
    )
    rma_store_credit_account_id = fields.Many2one(
        "account.account",
        string="Store Credit Liability Account",
        domain="[('account_type', 'in', ('liability_current', 'liability_non_current'))]",
        help="The liability the store credit of returns is owed on (the eWallet's "
        "balance), instead of cash paid back.",
    )
    rma_store_credit_bonus_account_id = fields.Many2one(
        "account.account",
        string="Store Credit Bonus Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="The expense of the bonus granted on top of the store credit (policy's "
        "store credit bonus).",
    )
    rma_store_credit_journal_id = fields.Many2one(
        "account.journal",
        string="Store Credit Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Journal of the entries moving a return's credit to the eWallet; the "
        "first miscellaneous journal when empty.",
    )
