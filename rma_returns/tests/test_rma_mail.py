from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaMail(RmaCommon):
    """Customer e-mails: one per step, logged in the chatter, with the right
    attachment, none when the shop turned the step off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 3.0)])

    def setUp(self):
        super().setUp()
        self.rma = self._create_rma(self.order, {self.product_a: 2.0})

    def _customer_mails(self, rma=None):
        """Chatter messages e-mailed to the customer, oldest first."""
        rma = rma or self.rma
        messages = rma.message_ids.filtered(
            lambda m: m.notification_ids.filtered(
                lambda n: n.res_partner_id == self.customer and n.notification_type == "email"
            )
        )
        return messages.sorted("id")

    def _subjects(self, rma=None):
        return [m.subject for m in self._customer_mails(rma)]

    def test_each_step_is_told_once(self):
        # what the policy decided (written on submission by the policy engine)
        self.rma.write(
            {"decision": "review", "decision_explanation": "Refund exceeds the 150 limit."}
        )
        rma = self.rma.with_context(force_report_rendering=True)
        rma.action_submit()
        rma._rma_notify("submitted")  # a second call sends nothing
        self.assertEqual(len(self._customer_mails()), 1)
        ack = self._customer_mails()
        self.assertIn("we received your return request", ack.subject)
        self.assertIn("under review", ack.body)
        self.assertIn("Refund exceeds the 150 limit.", ack.body, "the decision's explanation")
        self.assertIn("2 Units x Hiking Boots", ack.body)
        self.assertIn(self.customer, ack.partner_ids)

        rma.action_approve()
        rma._rma_notify("approved")
        approved = self._customer_mails()[1:]
        self.assertEqual(len(approved), 1)
        self.assertIn("is approved", approved.subject)
        self.assertEqual(approved.attachment_ids.mapped("mimetype"), ["application/pdf"])
        self.assertTrue(approved.attachment_ids.name.startswith("Return Slip - RMA-"))
        self.assertTrue(approved.attachment_ids.raw.startswith(b"%PDF"))

        rma.action_receive()
        rma._rma_notify("received")
        received = self._customer_mails()[2:]
        self.assertEqual(len(received), 1)
        self.assertIn("we received the goods", received.subject)
        self.assertFalse(received.attachment_ids)

        rma.action_done()
        self.assertEqual(len(self._customer_mails()), 3, "closing sends nothing by itself")

    def test_rejection_gives_the_reason(self):
        self.rma.action_submit()
        wizard = Form(self.env["rma.reject.wizard"].with_context(default_rma_ids=self.rma.ids))
        wizard.reason = "The boots were worn outside."
        wizard.save().action_reject()
        self.assertEqual(len(self._customer_mails()), 2)
        rejected = self._customer_mails()[-1]
        self.assertIn("was not accepted", rejected.subject)
        self.assertIn("The boots were worn outside.", rejected.body)

    def test_refund_mail_attaches_credit_note(self):
        self.rma.action_submit()
        self.rma.action_approve()
        invoice = self.order.invoice_ids
        credit_note = invoice._reverse_moves([{"rma_order_id": self.rma.id}])
        credit_note.invoice_line_ids.quantity = 2.0
        credit_note.action_post()
        rma = self.rma.with_context(force_report_rendering=True)
        rma._rma_notify("refunded")
        rma._rma_notify("refunded")
        refunded = self._customer_mails().filtered(lambda m: "is refunded" in m.subject)
        self.assertEqual(len(refunded), 1)
        self.assertIn(credit_note.name, refunded.body)
        # 2 boots at 100 + 15 % tax
        self.assertIn("230.00", refunded.body)
        self.assertIn("business days", refunded.body, "when the money arrives")
        self.assertEqual(len(refunded.attachment_ids), 1)
        self.assertEqual(refunded.attachment_ids.mimetype, "application/pdf")
        self.assertIn(credit_note.name.replace("/", "_"), refunded.attachment_ids.name)

    def test_replacement_shipped_mail_names_the_delivery(self):
        self.rma.action_submit()
        self.rma.action_approve()
        out_type = self.warehouse.out_type_id
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": out_type.id,
                "partner_id": self.customer.id,
                "location_id": out_type.default_location_src_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "rma_order_id": self.rma.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product_a.name,
                            "product_id": self.product_a.id,
                            "product_uom_qty": 2.0,
                            "location_id": out_type.default_location_src_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        self.rma._rma_notify("replacement_shipped")
        shipped = self._customer_mails().filtered(lambda m: "on its way" in m.subject)
        self.assertEqual(len(shipped), 1)
        self.assertIn(delivery.name, shipped.body)
        self.assertIn("Hiking Boots", shipped.body)

    def test_switched_off_steps_are_silent(self):
        settings = Form(self.env["res.config.settings"])
        settings.rma_notify_approved = False
        settings.rma_notify_received = False
        settings.save().execute()
        self.assertFalse(self.company.rma_notify_approved)
        self.rma.action_submit()
        self.rma.action_approve()
        self.rma.action_receive()
        self.assertEqual(len(self._customer_mails()), 1, "only the acknowledgement")
        self.assertIn("we received your return request", self._customer_mails().subject)

    def test_everything_off_sends_nothing(self):
        self.company.write(
            {
                "rma_notify_submitted": False,
                "rma_notify_approved": False,
                "rma_notify_received": False,
                "rma_notify_refunded": False,
            }
        )
        self.rma.action_submit()
        self.rma.action_approve()
        self.rma.action_receive()
        self.rma._rma_notify("refunded")
        self.assertFalse(self._customer_mails())

    def test_portal_submission_is_signed_by_the_shop(self):
        portal_user = new_test_user(
            self.env,
            login="rma_mail_portal",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        # as the portal controller does it: the customer's request, run with sudo
        self.rma.with_user(portal_user).sudo().action_submit()
        ack = self._customer_mails()
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.author_id, self.company.partner_id)

    def test_acknowledgement_precedes_an_immediate_decision(self):
        # What happens when the policy approves during the submission: the
        # acknowledgement waits for the decision, then goes out first.
        self.rma.action_submit()
        self.rma.message_ids.unlink()
        self.rma.sudo().rma_notified_events = False
        rma = self.rma.with_context(rma_ack_pending=(self.rma.id,))
        rma._rma_notify("submitted")
        self.assertFalse(self._customer_mails(), "not before the decision")
        rma.action_approve()
        self.assertEqual(len(self._customer_mails()), 2)
        ack, approved = self._customer_mails()
        self.assertIn("we received your return request", ack.subject)
        self.assertIn("is approved", approved.subject)

    def test_reopened_return_is_told_again(self):
        self.rma.action_submit()
        self.rma.action_reject()
        self.rma.action_draft()
        self.rma.action_submit()
        subjects = self._subjects()
        self.assertEqual(len(subjects), 3)
        self.assertIn("we received your return request", subjects[0])
        self.assertIn("was not accepted", subjects[1])
        self.assertIn("we received your return request", subjects[2])

    def test_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        template = self.env.ref("rma_returns.mail_template_rma_submitted")
        template.with_context(lang="fr_FR").subject = "Demande de retour {{ object.name }} reçue"
        self.rma.action_submit()
        self.assertEqual(self._subjects(), [f"Demande de retour {self.rma.name} reçue"])
