import html

from odoo.tests import Form, new_test_user, tagged

from ..models.rma_order_notification import NOTIFICATIONS
from .common import RmaCommon


@tagged("post_install", "-at_install")
class TestRmaMail(RmaCommon):
    """Customer e-mails: one per step, logged in the chatter, with the right
    attachment, none when the shop turned the step off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tests drive the decisions by hand: the default policy reviews
        cls.policy = cls.env.ref("rma_returns.rma_policy_default")
        cls.policy.auto_approve = False
        # e-mails queued before the tests (demo data) are not theirs to count
        cls.env["rma.order.notification"].search([("state", "=", "pending")])._rma_send()
        cls.order = cls._create_order([(cls.product_a, 3.0)])

    def setUp(self):
        super().setUp()
        self.rma = self._create_rma(self.order, {self.product_a: 2.0})

    def _send_mails(self, pdf=False):
        """Run the cron that sends the queued e-mails (``pdf``: render the PDF
        attachments for real, as outside tests)."""
        notifications = self.env["rma.order.notification"]
        if pdf:
            notifications = notifications.with_context(**self._real_pdf_context())
        return notifications._cron_send()

    def _customer_mails(self, rma=None):
        """Chatter messages e-mailed to the customer, oldest first (after the
        cron sent what is queued)."""
        rma = rma or self.rma
        self._send_mails()
        messages = rma.message_ids.filtered(
            lambda m: m.notification_ids.filtered(
                lambda n: n.res_partner_id == self.customer and n.notification_type == "email"
            )
        )
        return messages.sorted("id")

    def _subjects(self, rma=None):
        return [m.subject for m in self._customer_mails(rma)]

    def test_each_step_is_told_once(self):
        # the policy sends the return to review, and says why
        self.policy.auto_approve_max_amount = 150.0
        rma = self.rma
        rma.action_submit()
        rma._rma_notify("submitted")  # a second call sends nothing
        self.assertEqual(len(self._customer_mails()), 1)
        ack = self._customer_mails()
        self.assertIn("we received your return request", ack.subject)
        # the decision, as the customer reads it (no internal limit)
        self.assertIn("will reply within one business day", ack.body)
        self.assertNotIn("auto-approval limit", ack.body)
        self.assertIn("2 Units x Hiking Boots", ack.body)
        self.assertIn(self.customer, ack.partner_ids)

        rma.action_approve()
        rma._rma_notify("approved")
        self._send_mails(pdf=True)
        approved = self._customer_mails()[1:]
        self.assertEqual(len(approved), 1)
        self.assertIn("is approved", approved.subject)
        self.assertEqual(approved.attachment_ids.mapped("mimetype"), ["application/pdf"])
        self.assertTrue(approved.attachment_ids.name.startswith("Return Slip - RMA-"))
        self.assertTrue(approved.attachment_ids.raw.startswith(b"%PDF"))

        # receiving validates the return receipt; refunded on receipt, it closes
        rma.action_receive()
        rma._rma_notify("received")
        rma._rma_notify("refunded")
        self.assertEqual(len(self._customer_mails()), 4)
        received, refunded = self._customer_mails()[2:]
        self.assertIn("we received the goods", received.subject)
        self.assertFalse(received.attachment_ids)
        self.assertIn("is refunded", refunded.subject)
        self.assertEqual(self.rma.state, "done")

        rma.action_done()
        self.assertEqual(len(self._customer_mails()), 4, "closing sends nothing by itself")

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
        rma = self.rma
        rma.action_submit()
        rma.action_approve()
        self.assertFalse(self._customer_mails().filtered(lambda m: "is refunded" in m.subject))
        # the goods arrive: the credit note is made and posted on receipt
        rma.action_receive()
        credit_note = self.rma.credit_note_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.state, "posted")
        rma._rma_notify("refunded")
        rma._rma_notify("refunded")
        self._send_mails(pdf=True)
        refunded = self._customer_mails().filtered(lambda m: "is refunded" in m.subject)
        self.assertEqual(len(refunded), 1)
        self.assertIn(credit_note.name, refunded.body)
        # 2 boots at 100 + 15 % tax
        self.assertIn("230.00", refunded.body)
        # where the money went: the invoice was not paid, the credit reduces it
        invoice = credit_note.reversed_entry_id
        self.assertIn(
            f"230.00 offset against your open invoice {invoice.name}.",
            html.unescape(str(refunded.body)),
        )
        self.assertEqual(len(refunded.attachment_ids), 1)
        self.assertEqual(refunded.attachment_ids.mimetype, "application/pdf")
        self.assertIn(credit_note.name.replace("/", "_"), refunded.attachment_ids.name)
        self.assertTrue(refunded.attachment_ids.raw.startswith(b"%PDF"))
        # rendered once: kept as the credit note's official PDF, which the
        # customer downloads and any later e-mail attaches
        self.assertEqual(credit_note.invoice_pdf_report_id.raw, refunded.attachment_ids.raw)
        self.assertEqual(credit_note._rma_official_pdf()[1], refunded.attachment_ids.raw)

    def _ship_replacement(self, tracking=None):
        """Approve the return as a replacement and validate its delivery (with
        the carrier's ``tracking`` number typed on it)."""
        self.rma.line_ids.resolution = "replacement"
        self._stock(self.product_a, 2.0)
        self.rma.action_submit()
        self.rma.action_approve()
        delivery = self.rma.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(delivery), 1, "approval ships the replacement")
        self.assertFalse(self._customer_mails().filtered(lambda m: "on its way" in m.subject))
        for move in delivery.move_ids:
            move.quantity = move.product_uom_qty
        delivery.move_ids.picked = True
        if tracking:
            delivery.rma_tracking_ref = tracking
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        return delivery

    def test_replacement_shipped_mail_names_the_delivery(self):
        # the delivery's validation queues the e-mail by itself
        delivery = self._ship_replacement()
        shipped = self._customer_mails().filtered(lambda m: "on its way" in m.subject)
        self.assertEqual(len(shipped), 1)
        self.assertIn(delivery.name, shipped.body)
        self.assertIn("Hiking Boots", shipped.body)
        self.assertFalse(shipped.attachment_ids)
        self.assertNotIn("tracking number", shipped.body, "no tracking known")
        self.rma._rma_notify("replacement_shipped")
        self.assertEqual(
            len(self._customer_mails().filtered(lambda m: "on its way" in m.subject)), 1, "once"
        )

    def test_replacement_shipped_mail_gives_the_tracking(self):
        # the customer's own parcel back to the shop is not the replacement's
        self.rma.write({"carrier_name": "DHL", "tracking_ref": "CUST-1111"})
        delivery = self._ship_replacement(tracking="RT-4242")
        shipped = self._customer_mails().filtered(lambda m: "on its way" in m.subject)
        self.assertEqual(len(shipped), 1)
        self.assertRegex(shipped.body, r"tracking number\s*<strong>RT-4242</strong>")
        self.assertNotIn("CUST-1111", shipped.body)
        (shipment,) = self.rma._rma_replacement_shipments()
        self.assertEqual((shipment["picking"], shipment["tracking"]), (delivery, "RT-4242"))

    def test_every_notification_has_a_setting(self):
        """Each e-mail is switched off in the settings, and only that one."""
        settings_view = self.env.ref("rma_returns.res_config_settings_view_form")
        rma = self.rma
        for event, (switch, _xmlid) in NOTIFICATIONS.items():
            self.assertIn(f'name="{switch}"', settings_view.arch, f"{switch} shown")
            settings = Form(self.env["res.config.settings"])
            setattr(settings, switch, False)
            settings.save().execute()
            self.assertFalse(self.company[switch])
            self.assertFalse(rma._rma_queue_notification(event), f"{event} is off")
            settings = Form(self.env["res.config.settings"])
            setattr(settings, switch, True)
            settings.save().execute()
            self.assertEqual(len(rma._rma_queue_notification(event)), 1, f"{event} is on")
            self.assertFalse(rma._rma_queue_notification(event), f"{event}: once")

    def test_switched_off_steps_are_silent(self):
        settings = Form(self.env["res.config.settings"])
        settings.rma_notify_approved = False
        settings.rma_notify_received = False
        settings.save().execute()
        self.assertFalse(self.company.rma_notify_approved)
        self.rma.action_submit()
        self.rma.action_approve()
        self.rma.action_receive()
        # the refund on receipt is still told
        ack, refunded = self._customer_mails()
        self.assertIn("we received your return request", ack.subject)
        self.assertIn("is refunded", refunded.subject)

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

    def test_immediate_decision_is_one_mail(self):
        # the policy approves during the submission: one event, one e-mail,
        # the approval with its slip (no acknowledgement saying the same)
        self.policy.auto_approve = True
        self.rma.action_submit()
        self.assertEqual(self.rma.state, "approved", "approved by the policy")
        approved = self._customer_mails()
        self.assertEqual(len(approved), 1)
        self.assertIn("is approved", approved.subject)
        self.assertIn("Approved: print your slip and send the parcel by", approved.body)

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

    def test_steps_queue_mails_the_cron_sends_them_in_batches(self):
        order = self._create_order([(self.product_a, 3.0)])
        rmas = self.rma
        for _i in range(3):
            rmas |= self._create_rma(order, {self.product_a: 1.0})
        cron = self.env.ref("rma_returns.ir_cron_rma_send_notifications")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        rmas.action_submit()
        rmas.action_approve()
        self.assertEqual(set(rmas.mapped("state")), {"approved"})
        # the approval rendered nothing and e-mailed nobody yet: the cron will
        self.assertFalse(rmas.message_ids.filtered(lambda m: m.message_type == "comment"))
        # the cron is woken when the transaction commits (or a savepoint
        # flushes it): once per step of the batch, not once per e-mail
        self.env.cr.flush()
        woken = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        self.assertTrue(woken)
        self.assertLessEqual(len(woken), 2, "submit, approve: not one per return")
        queue = self.env["rma.order.notification"].search([("rma_id", "in", rmas.ids)])
        self.assertEqual(len(queue), 8, "an acknowledgement and an approval per return")
        self.assertEqual(set(queue.mapped("state")), {"pending"})

        first = self.env["rma.order.notification"]._cron_send(batch_size=5)
        self.assertEqual(first, queue[:5], "oldest first")
        self.assertEqual(set(first.mapped("state")), {"sent"})
        self.assertEqual(set(queue[5:].mapped("state")), {"pending"})
        self.assertEqual(self.env["rma.order.notification"]._cron_send(batch_size=5), queue[5:])
        self.assertFalse(self.env["rma.order.notification"]._cron_send(), "each mail once")
        for rma in rmas:
            ack, approved = self._customer_mails(rma)
            self.assertIn("we received your return request", ack.subject)
            self.assertIn("is approved", approved.subject)
            self.assertTrue(approved.attachment_ids.name.startswith("Return Slip - RMA-"))
            self.assertEqual(
                queue.filtered(lambda n, r=rma: n.rma_id == r).message_id, ack | approved
            )

    def test_failing_mail_is_retried_then_reported(self):
        template = self.env.ref("rma_returns.mail_template_rma_rejected")
        template.subject = "{{ object.no_such_field }}"
        other = self._create_rma(self.order, {self.product_a: 1.0})
        (self.rma | other).action_submit()
        self.rma.action_reject()
        self._send_mails()
        self._send_mails()
        # the other e-mails went out; the failing one alone was rolled back
        self.assertEqual(len(self._customer_mails(other)), 1)
        self.assertEqual(len(self._customer_mails()), 1, "the acknowledgement")
        rejection = self.env["rma.order.notification"].search(
            [("rma_id", "=", self.rma.id), ("event", "=", "rejected")]
        )
        self.assertEqual((rejection.state, rejection.attempts), ("failed", 3))
        self.assertIn("no_such_field", rejection.error)
        note = self.rma.message_ids.filtered(lambda m: "could not be sent" in m.body)
        self.assertEqual(len(note), 1, "the agents see it in the chatter")
        self.assertIn("Rejected", note.body)


@tagged("post_install", "-at_install")
class TestRmaDemo(RmaCommon):
    """The demo: one return in each state through the real flow, and its
    e-mails go out when the cron runs."""

    def test_demo_returns_in_every_state_and_their_mails_send(self):
        if not self.env.ref("rma_returns.product_shoes_demo", raise_if_not_found=False):
            self.skipTest("database without demo data")
        rmas = self.env["rma.order"]._load_rma_demo()
        self.assertEqual(
            rmas.mapped("state"),
            ["draft", "submitted", "approved", "received", "done", "rejected", "cancelled"],
        )
        to_review = rmas.filtered(lambda r: r.state == "submitted")
        admin = self.env.ref("base.user_admin")
        self.assertEqual(to_review.user_id, admin, "a person of the shop reviews it, not OdooBot")
        self.assertEqual(to_review.activity_ids.user_id, admin)
        queue = self.env["rma.order.notification"].search([("rma_id", "in", rmas.ids)])
        self.assertEqual(
            set(queue.mapped("event")),
            {"submitted", "approved", "received", "refunded", "rejected"},
        )
        # the whole queue: a kept database may hold older e-mails first
        self.env["rma.order.notification"].with_context(**self._real_pdf_context())._cron_send(
            batch_size=10000
        )
        self.assertEqual(set(queue.mapped("state")), {"sent"}, queue.mapped("error"))
        self.assertTrue(queue.message_id)
