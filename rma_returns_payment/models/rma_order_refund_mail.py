from odoo import models
from odoo.tools import format_amount


class RmaOrder(models.Model):
    """The customer's "refunded" e-mail says where the money went: back to the
    card the order was paid with (brand and last digits of the payment token,
    the provider's refund reference), or to the store credit with its new
    balance. It is only sent once the money moved (see ``_rma_notify``)."""

    _inherit = "rma.order"

    def _rma_refund_paid_back(self):
        return (
            super()._rma_refund_paid_back()
            + self._rma_refund_paid_to_card()
            + self._rma_refund_paid_to_store_credit()
        )

    def _rma_refund_paid_to_card(self):
        """One destination per card (payment method and last digits) the
        provider confirmed refunds to."""
        self.ensure_one()
        refunds = self.sudo().rma_refund_transaction_ids.filtered(lambda t: t.state == "done")
        cards = {}
        for tx in refunds.sorted("id"):
            digits = "".join(c for c in (tx.token_id.payment_details or "") if c.isdigit())[-4:]
            cards.setdefault((tx.payment_method_id, digits, tx.currency_id), []).append(tx)
        destinations = []
        for (method, digits, currency), txs in cards.items():
            amount = -sum(tx.amount for tx in txs)
            values = {
                "amount": format_amount(self.env, amount, currency),
                "method": method.name,
                "digits": digits,
                "reference": ", ".join(tx.provider_reference or tx.reference for tx in txs),
            }
            if digits:
                text = self.env._(
                    "%(amount)s refunded to your %(method)s ending %(digits)s (refund "
                    "reference %(reference)s). Depending on your bank, it reaches your "
                    "account within 5 to 10 business days.",
                    **values,
                )
            else:
                text = self.env._(
                    "%(amount)s refunded to your %(method)s (refund reference %(reference)s). "
                    "Depending on your bank, it reaches your account within 5 to 10 "
                    "business days.",
                    **values,
                )
            destinations.append({"amount": amount, "currency": currency, "text": text})
        return destinations

    def _rma_refund_paid_to_store_credit(self):
        """The credit added to the eWallet (bonus included) and its balance."""
        self.ensure_one()
        rma = self.sudo()
        entries = rma.rma_store_credit_move_ids.filtered(lambda m: m.state == "posted")
        card = rma.rma_loyalty_card_id
        if not entries or not card:
            return []
        receivable = entries.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        )
        amount = sum(receivable.mapped("amount_currency"))  # what the credit notes owed
        currency = receivable[:1].currency_id
        granted = rma.rma_store_credit_amount or amount
        values = {
            "credit": format_amount(self.env, granted, currency),
            "bonus": format_amount(self.env, granted - amount, currency),
            "program": card.program_id.name,
            "balance": format_amount(self.env, card.points, card.currency_id or currency),
        }
        if currency.compare_amounts(granted, amount) > 0:
            text = self.env._(
                "%(credit)s added to your store credit (%(program)s), bonus of %(bonus)s "
                "included: your balance is now %(balance)s, to spend on your next orders.",
                **values,
            )
        else:
            text = self.env._(
                "%(credit)s added to your store credit (%(program)s): your balance is now "
                "%(balance)s, to spend on your next orders.",
                **values,
            )
        return [{"amount": amount, "currency": currency, "text": text}]
