from odoo import fields, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    rma_order_id = fields.Many2one(
        "rma.order",
        string="Return",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The return this refund transaction pays back.",
    )

    def _create_child_transaction(self, amount, is_refund=False, **custom_create_values):
        """A refund requested by a return is linked, from its creation on, to
        the return and its credit note (so that the payment the provider's
        confirmation creates is reconciled with the credit note)."""
        link = self.env.context.get("rma_refund_link")
        if is_refund and link:
            custom_create_values = {**link, **custom_create_values}
        return super()._create_child_transaction(
            amount, is_refund=is_refund, **custom_create_values
        )

    def _post_process(self):
        """The provider answered a return's refund (confirmed, refused or
        cancelled, possibly long after the request): the return follows."""
        result = super()._post_process()
        refunds = self.filtered(lambda tx: tx.operation == "refund" and tx.rma_order_id)
        if refunds:
            refunds.rma_order_id.sudo()._rma_payment_refund_sync()
        return result
