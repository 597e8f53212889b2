from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rma_ewallet_program_id = fields.Many2one(
        related="company_id.rma_ewallet_program_id", readonly=False
    )
    rma_store_credit_account_id = fields.Many2one(
        related="company_id.rma_store_credit_account_id", readonly=False
    )
    rma_store_credit_bonus_account_id = fields.Many2one(
        related="company_id.rma_store_credit_bonus_account_id", readonly=False
    )
    rma_store_credit_journal_id = fields.Many2one(
        related="company_id.rma_store_credit_journal_id", readonly=False
    )
