from odoo import Command
from odoo.addons.rma_returns.tests.portal_common import RmaPortalCommon
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestRmaPortalStoreCredit(RmaPortalCommon):
    """The customer chooses store credit on the portal's return form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        program = cls.env["loyalty.program"].create(
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
                        }
                    )
                ],
            }
        )
        cls.liability = cls.env["account.account"].create(
            {"name": "Store credit owed", "code": "RMASC3", "account_type": "liability_current"}
        )
        cls.company.write(
            {"rma_ewallet_program_id": program.id, "rma_store_credit_account_id": False}
        )

    def test_store_credit_offered_only_when_set_up(self):
        self._login(self.portal_a)
        page = self.url_open(self._return_url(self.order_a)).text
        self.assertNotIn('value="store_credit"', page)

        self.company.rma_store_credit_account_id = self.liability
        page = self.url_open(self._return_url(self.order_a)).text
        self.assertIn('value="store_credit"', page)
        self.assertIn("Shop eWallet", page)
        self.assertNotIn("o_rma_store_credit_bonus", page)

        self.env.ref("rma_returns.rma_policy_default").store_credit_bonus = 10.0
        page = self.url_open(self._return_url(self.order_a)).text
        self.assertIn("(10 % more)", page)

    def test_customer_chooses_store_credit(self):
        self.company.rma_store_credit_account_id = self.liability
        self._login(self.portal_a)
        lines = {self.line_a_boots: (1, self.reason, "refund")}

        preview = self._post_return(
            self.order_a, lines, step="preview", refund_method="store_credit"
        )
        self.assertEqual(preview.status_code, 200)
        self.assertIn("store credit on your", preview.text)
        self.assertIn('name="refund_method" value="store_credit"', preview.text)

        response = self._post_return(self.order_a, lines, refund_method="store_credit")
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a)
        self.assertEqual(rma.refund_method, "store_credit")
        # refunded on receipt: the return's page says how, the amount comes later
        page = self.url_open(f"/my/returns/{rma.id}").text
        self.assertIn("Store credit, once your refund is made", page)
        # no eWallet card yet: no balance on the list of returns nor at home
        self.assertNotIn("o_rma_store_credit_balance", self.url_open("/my/returns").text)
        self.assertNotIn("o_rma_store_credit_home", self.url_open("/my/home").text)

    def test_tampered_choice_is_refused_kindly(self):
        self._login(self.portal_a)
        lines = {self.line_a_boots: (1, self.reason, "refund")}
        # store credit is not set up (no liability account): the choice is refused
        response = self._post_return(self.order_a, lines, refund_method="store_credit")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose how you want your money back.", response.text)
        self.assertFalse(self._returns_of(self.order_a))
        response = self._post_return(self.order_a, lines, refund_method="cash")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._returns_of(self.order_a))

    def test_tour_customer_chooses_store_credit_and_sees_it(self):
        """The customer picks store credit on the form; the policy refunds at
        once (fast refund): the return's page shows the credit, bonus
        included, and the eWallet's balance, also on their list of returns."""
        bonus_expense = self.env["account.account"].create(
            {"name": "Store credit bonus", "code": "RMASC4", "account_type": "expense"}
        )
        self.company.write(
            {
                "rma_store_credit_account_id": self.liability.id,
                "rma_store_credit_bonus_account_id": bonus_expense.id,
            }
        )
        self.env.ref("rma_returns.rma_policy_default").write(
            {"refund_timing": "approval", "store_credit_bonus": 10.0}
        )
        invoice = self.order_a.invoice_ids
        receivable_account = invoice.line_ids.filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable"
        ).account_id
        # paid by bank transfer: the credit is owed to the customer
        Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ).save()._create_payments()

        self.start_tour(
            f"/my/orders/{self.order_a.id}/return",
            "rma_portal_store_credit_tour",
            login=self.portal_a.login,
        )

        rma = self._returns_of(self.order_a)
        self.assertEqual(rma.refund_method, "store_credit")
        self.assertEqual(rma.state, "approved")
        note = rma.credit_note_ids
        self.assertEqual(note.state, "posted")
        total = note.amount_total  # one pair of boots: 100 + 15 % tax
        self.assertAlmostEqual(total, 115.0)
        bonus = 11.5
        card = rma.rma_loyalty_card_id
        self.assertEqual(card.partner_id, self.partner_a)
        self.assertEqual(card.program_id, self.company.rma_ewallet_program_id)
        self.assertAlmostEqual(card.points, total + bonus)
        # the accounting: the receivable the credit note left goes to the store
        # credit liability (the bonus is an expense), no cash moves
        self.assertTrue(note.currency_id.is_zero(note.amount_residual))
        self.assertFalse(note._get_reconciled_payments())
        entry = rma.rma_store_credit_move_ids
        self.assertEqual(entry.state, "posted")
        self.assertRecordValues(
            entry.line_ids.sorted("balance"),
            [
                {"account_id": self.liability.id, "balance": -(total + bonus)},
                {"account_id": bonus_expense.id, "balance": bonus},
                {"account_id": receivable_account.id, "balance": total},
            ],
        )
        # the list of returns shows the balance too
        self._login(self.portal_a)
        page = self.url_open("/my/returns").text
        self.assertIn("o_rma_store_credit_balance", page)
        self.assertIn("126.50", page[page.index("o_rma_store_credit_balance") :])
        # and so does the customer's home page
        page = self.url_open("/my/home").text
        self.assertIn("126.50", page[page.index("o_rma_store_credit_home") :])
