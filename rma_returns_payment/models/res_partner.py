from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _rma_store_credit_balance(self, company):
        """The store credit the customer (their commercial entity and its
        contacts) holds on ``company``'s returns eWallet, for the portal.

        :return: {"program", "balance", "currency"}, or None when the company
                 has no eWallet for returns or the customer no card on it
        """
        self.ensure_one()
        program = company.sudo().rma_ewallet_program_id
        if not program:
            return None
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("program_id", "=", program.id),
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                ]
            )
        )
        if not cards:
            return None
        return {
            "program": program,
            "balance": sum(cards.mapped("points")),
            "currency": program.currency_id,
        }
