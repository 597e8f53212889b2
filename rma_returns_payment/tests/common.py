from odoo import Command
from odoo.addons.rma_returns.tests.common_flow import RmaFlowCommon
from odoo.tests import Form, new_test_user


class RmaPaymentCommon(RmaFlowCommon):
    """Orders paid through the Demo provider (``payment_demo``, which refunds in
    part), or by bank transfer; a billing user who retries refunds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env.ref("payment.payment_provider_demo")
        assert cls.provider.code == "demo", "install payment_demo in the test database"
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.provider.write({"state": "test", "journal_id": cls.bank_journal.id})
        cls.visa = cls.env.ref("payment.payment_method_visa")
        cls.token = cls.env["payment.token"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.visa.id,
                "partner_id": cls.customer.id,
                "payment_details": "4242",
                "provider_ref": "demo-token",
            }
        )
        cls.billing = new_test_user(
            cls.env,
            login="rma_billing",
            groups="base.group_user,account.group_account_invoice",
            name="Billing Clerk",
        )

    @classmethod
    def _pay_by_card(cls, order, amount=None):
        """The customer pays the order's invoice through the Demo provider:
        the transaction is confirmed, then post-processed (payment reconciled
        with the invoice), as the payment status page or the cron do."""
        invoice = order.invoice_ids
        tx = cls.env["payment.transaction"].create(
            {
                "provider_id": cls.provider.id,
                "payment_method_id": cls.visa.id,
                "token_id": cls.token.id,
                "reference": cls.env["payment.transaction"]._compute_reference("demo"),
                "amount": amount or invoice.amount_total,
                "currency_id": invoice.currency_id.id,
                "partner_id": cls.customer.id,
                "operation": "online_token",
                "invoice_ids": [Command.set(invoice.ids)],
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        tx._post_process()
        return tx

    @classmethod
    def _pay_by_transfer(cls, moves, amount=None):
        wizard = Form(
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=moves.ids
            )
        )
        if amount is not None:
            wizard.amount = amount
        return wizard.save()._create_payments()

    @classmethod
    def _set_up_store_credit(cls, bonus=10.0):
        """An eWallet for store credit, its liability and bonus accounts, and
        the policy's ``bonus`` percentage."""
        cls.ewallet = cls.env["loyalty.program"].create(
            {
                "name": "Shop eWallet",
                "program_type": "ewallet",
                "trigger": "auto",
                "applies_on": "future",
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 1,
                            "discount_applicability": "order",
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        cls.liability = cls.env["account.account"].create(
            {"name": "Store credit owed", "code": "RMASC1", "account_type": "liability_current"}
        )
        cls.bonus_expense = cls.env["account.account"].create(
            {"name": "Store credit bonus", "code": "RMASC2", "account_type": "expense"}
        )
        cls.company.write(
            {
                "rma_ewallet_program_id": cls.ewallet.id,
                "rma_store_credit_account_id": cls.liability.id,
                "rma_store_credit_bonus_account_id": cls.bonus_expense.id,
            }
        )
        cls.policy.store_credit_bonus = bonus

    def _return(self, order, quantities, refund_method=None):
        """An agent creates and submits the return (approved by the policy);
        the goods arrive: the credit note is posted on receipt."""
        rma = self._create_rma(order, quantities).with_user(self.agent)
        if refund_method:
            rma.refund_method = refund_method
        rma.action_submit()
        if rma.state == "submitted":  # beyond the policy's automatic approval
            rma.action_approve()
        self._validate(self._receipt(rma))
        return rma

    def _notified(self, rma, event):
        return (
            self.env["rma.order.notification"]
            .sudo()
            .search_count([("rma_id", "=", rma.id), ("event", "=", event)])
        )
