from odoo import Command
from odoo.addons.rma_returns.tests.portal_common import RmaPortalCommon
from odoo.tests import tagged


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
