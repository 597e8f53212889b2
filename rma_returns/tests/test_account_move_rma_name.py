from odoo.tests import new_test_user, tagged

from .common_flow import RmaFlowCommon


@tagged("post_install", "-at_install")
class TestAccountMoveRmaName(RmaFlowCommon):
    """Messages name a draft credit note by what it is, never by "/"."""

    def test_draft_credit_note_is_named_after_its_return(self):
        accountant = new_test_user(
            self.env,
            login="rma_billing",
            groups="base.group_user,account.group_account_invoice",
            name="Billing User",
        )
        order = self._create_order([(self.product_a, 2.0)])
        rma = self._create_rma(order, {self.product_a: 1.0})
        self.policy.auto_post_refund = False
        self._approve(rma)
        rma.action_receive()
        credit_note = rma.credit_note_ids.with_user(accountant)
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.name, "/", "Odoo numbers credit notes when posting")
        self.assertEqual(credit_note._rma_display_names(), [f"Draft Credit Note ({rma.name})"])
        credit_note.action_post()
        self.assertNotEqual(credit_note.name, "/")
        self.assertEqual(credit_note._rma_display_names(), [credit_note.name])
