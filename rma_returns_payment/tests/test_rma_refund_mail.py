import html

from odoo.tests import tagged
from odoo.tools import format_amount

from .common import RmaPaymentCommon
from .test_rma_payment_refund import _demo_refund_answering


@tagged("post_install", "-at_install")
class TestRmaRefundMail(RmaPaymentCommon):
    """The customer's "refunded" e-mail, as they read it: where the money went
    (card, store credit, open invoice, or only a credit note), sent once, and
    only when the money moved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_store_credit(bonus=10.0)
        # e-mails queued before the tests (demo data) are not theirs to read
        cls.env["rma.order.notification"].search([("state", "=", "pending")])._rma_send()

    def _refund_mails(self, rma):
        """The "refunded" e-mails posted to the customer (after the cron sent
        what is queued)."""
        self.env["rma.order.notification"]._cron_send()
        notifications = self.env["rma.order.notification"].search(
            [("rma_id", "=", rma.id), ("event", "=", "refunded"), ("state", "=", "sent")]
        )
        messages = notifications.message_id
        for message in messages:
            self.assertIn(self.customer, message.partner_ids)
        return messages

    def _read(self, mail):
        """The e-mail's body as text (entities such as &nbsp; decoded)."""
        return html.unescape(str(mail.body))

    def _amount(self, amount, currency, lang="en_US"):
        return format_amount(self.env(context={"lang": lang}), amount, currency)

    def test_card_refund_says_the_card(self):
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_card(order)
        rma = self._return(order, {self.product_a: 1.0})

        mail = self._refund_mails(rma)
        self.assertEqual(len(mail), 1)
        note = rma.sudo().credit_note_ids
        refund = rma.sudo().rma_refund_transaction_ids
        self.assertIn("is refunded", mail.subject)
        self.assertIn(
            f"{self._amount(note.amount_total, note.currency_id)} refunded to your VISA ending "
            f"4242 (refund reference {refund.provider_reference})",
            self._read(mail),
        )
        self.assertTrue(refund.provider_reference.startswith("demo-R-"))
        self.assertIn("business days", self._read(mail))
        self.assertNotIn("store credit", self._read(mail))
        self.assertNotIn("accounting team", self._read(mail))

    def test_pending_refund_is_told_once_confirmed(self):
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_card(order)
        with _demo_refund_answering("pending"):
            rma = self._return(order, {self.product_a: 1.0})
        self.assertFalse(self._refund_mails(rma), "nothing while the provider waits")

        refund = rma.sudo().rma_refund_transaction_ids
        refund._set_done()
        refund._post_process()

        mail = self._refund_mails(rma)
        self.assertEqual(len(mail), 1)
        self.assertIn("refunded to your VISA ending 4242", self._read(mail))
        refund._post_process()  # a second confirmation tells nothing more
        self.assertEqual(self._refund_mails(rma), mail)

    def test_store_credit_says_the_balance(self):
        order = self._create_order([(self.product_a, 2.0)])
        self._pay_by_card(order)
        first = self._return(order, {self.product_a: 1.0}, refund_method="store_credit")
        second = self._return(order, {self.product_a: 1.0}, refund_method="store_credit")

        note = second.sudo().credit_note_ids
        currency = note.currency_id
        bonus = currency.round(note.amount_total * 0.10)
        credit = note.amount_total + bonus
        mail = self._refund_mails(second)
        self.assertEqual(len(mail), 1)
        self.assertIn(
            f"{self._amount(credit, currency)} added to your store credit (Shop eWallet), "
            f"bonus of {self._amount(bonus, currency)} included: your balance is now "
            f"{self._amount(2 * credit, currency)}",
            self._read(mail),
        )
        self.assertNotIn("refunded to your", self._read(mail))
        self.assertNotIn("accounting team", self._read(mail))
        self.assertEqual(len(self._refund_mails(first)), 1)

    def test_unpaid_invoice_says_the_offset(self):
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        rma = self._return(order, {self.product_a: 1.0})

        note = rma.sudo().credit_note_ids
        mail = self._refund_mails(rma)
        self.assertEqual(len(mail), 1)
        self.assertIn(
            f"{self._amount(note.amount_total, note.currency_id)} offset against your open "
            f"invoice {invoice.name}.",
            self._read(mail),
        )
        self.assertNotIn("refunded to your", self._read(mail))
        self.assertNotIn("accounting team", self._read(mail))

    def test_bank_transfer_says_only_a_credit_note(self):
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_transfer(order.invoice_ids)
        rma = self._return(order, {self.product_a: 1.0})

        note = rma.sudo().credit_note_ids
        mail = self._refund_mails(rma)
        self.assertEqual(len(mail), 1)
        self.assertIn(
            f"{self._amount(note.amount_total, note.currency_id)}: we issued credit note "
            f"{note.name}; our accounting team pays it back to you.",
            self._read(mail),
        )
        self.assertNotIn("refunded to your", self._read(mail))

    def test_half_by_card_says_both(self):
        """Half paid by card, half by transfer: the card gets back what it
        paid, the rest is a credit note the accountant pays back."""
        order = self._create_order([(self.product_a, 2.0)])
        invoice = order.invoice_ids
        half = invoice.currency_id.round(invoice.amount_total / 2)
        self._pay_by_card(order, amount=half)
        self._pay_by_transfer(invoice, amount=invoice.amount_residual)
        rma = self._return(order, {self.product_a: 2.0})

        note = rma.sudo().credit_note_ids
        body = self._read(self._refund_mails(rma))
        self.assertIn(
            f"{self._amount(half, note.currency_id)} refunded to your VISA ending 4242", body
        )
        self.assertIn(
            f"{self._amount(note.amount_total - half, note.currency_id)}: we issued credit note "
            f"{note.name}; our accounting team pays it back to you.",
            body,
        )

    def test_card_refund_in_chinese(self):
        """A Chinese-speaking customer reads the template's translation, with
        the card and the amount formatted for their language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["rma_returns"], ["zh_CN"], overwrite=True)
        self.customer.lang = "zh_CN"
        order = self._create_order([(self.product_a, 1.0)])
        self._pay_by_card(order)
        rma = self._return(order, {self.product_a: 1.0})

        mail = self._refund_mails(rma)
        self.assertEqual(len(mail), 1)
        note = rma.sudo().credit_note_ids
        self.assertIn("已退款", mail.subject)
        self.assertIn("您好", self._read(mail))
        self.assertNotIn("Hello", self._read(mail))
        self.assertIn(self._amount(note.amount_total, note.currency_id, "zh_CN"), self._read(mail))
        self.assertIn("4242", self._read(mail))
