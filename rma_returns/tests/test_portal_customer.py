from datetime import timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_date

from .portal_common import RmaPortalCommon


@tagged("post_install", "-at_install")
class TestRmaPortalCustomer(RmaPortalCommon):
    """What the customer reads on their return's page and in their e-mails:
    the decision in their words and language, the next step, the progress
    and the money, one e-mail per event, in the portal conversation too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("rma_returns.rma_policy_default")
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.warehouse.partner_id.write({"name": "Returns Hub Ghent", "city": "Ghent"})
        # e-mails queued before the tests (demo data) are not theirs to count
        cls.env["rma.order.notification"].search([("state", "=", "pending")])._rma_send()

    def _page(self, rma):
        response = self.url_open(f"/my/returns/{rma.id}")
        self.assertEqual(response.status_code, 200, response.text[-3000:])
        return response.text

    def _send_mails(self):
        self.env["rma.order.notification"]._cron_send()

    def _customer_messages(self, rma):
        """Messages of the return e-mailed to the customer."""
        self._send_mails()
        return rma.message_ids.filtered(
            lambda m: m.notification_ids.filtered(
                lambda n: n.res_partner_id == rma.partner_id and n.notification_type == "email"
            )
        )

    def test_decision_is_written_for_the_customer_in_their_language(self):
        self.policy.return_days = 30
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.assertEqual(rma.state, "approved", "the default policy approves at once")
        ship_by = (rma.date_approved + timedelta(days=30)).date()
        self._login(self.portal_a)
        page = self._page(rma)
        self.assertIn("Approved: print your slip and send the parcel by", page)
        self.assertIn(format_date(self.env, ship_by, lang_code="en_US", date_format="long"), page)
        self.assertIn("Returns Hub Ghent", page)
        self.assertNotIn("Returns Hub Ghent, Returns Hub Ghent", page)
        # the policy's log stays for the agents
        self.assertNotIn("Policy:", page)
        self.assertNotIn("approved automatically", page)
        # the same return, read by a customer who speaks French
        self.partner_a.lang = "fr_FR"
        page = self.url_open(f"/fr/my/returns/{rma.id}").text
        french_date = format_date(self.env, ship_by, lang_code="fr_FR", date_format="long")
        self.assertNotEqual(french_date, format_date(self.env, ship_by, lang_code="en_US"))
        self.assertTrue(french_date in page, "the date reads in French")
        # and the approval e-mail, rendered in the customer's language
        approval = self._customer_messages(rma).filtered(lambda m: "is approved" in m.subject)
        self.assertEqual(len(approval), 1)
        self.assertIn(french_date, approval.body)

    def test_review_and_rejection_texts(self):
        self.policy.auto_approve = False
        rma = self._create_rma(self.order_a, {self.product_a: 1.0})
        rma.action_submit()
        self.assertEqual(rma.state, "submitted")
        self._login(self.portal_a)
        page = self._page(rma)
        self.assertIn("checking your request and will reply within one business day", page)
        self.assertNotIn("o_rma_next_step", page, "nothing to ship before the approval")
        self.product_a.default_code = "SKU-BOOT-42"
        rma.reject_reason = "[SKU-BOOT-42] Hiking Boots were worn outside."
        rma.action_reject()
        page = self._page(rma)
        self.assertIn("Not accepted: Hiking Boots were worn outside.", page)
        self.assertNotIn("SKU-BOOT-42", page)
        mail = self._customer_messages(rma).filtered(lambda m: "not accepted" in m.subject)
        self.assertIn("Not accepted: Hiking Boots were worn outside.", mail.body)
        self.assertNotIn("SKU-BOOT-42", mail.body)

    def test_next_step_card_only_once_approved(self):
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self._login(self.portal_a)
        page = self._page(rma)
        card = page[page.index('id="rma_next_step"') : page.index('id="rma_decision"')]
        self.assertIn("o_rma_ship_by", card)
        self.assertIn("Returns Hub Ghent", card)
        self.assertIn(f"/my/returns/{rma.id}/slip", card)
        self.assertIn("o_rma_tracking_form", card)
        self.assertLess(page.index("rma_next_step"), page.index("rma_timeline"), "first")
        # the guest holding the return's link sees it too
        self._anonymous()
        response = self.url_open(f"/my/returns/{rma.id}?access_token={rma._portal_ensure_token()}")
        self.assertIn('id="rma_next_step"', response.text)

    def test_mixed_return_timeline_and_refund_amount(self):
        rma = self._create_rma(self.order_a, {self.product_a: 1.0, self.product_b: 1.0})
        rma.line_ids.filtered(
            lambda line: line.product_id == self.product_b
        ).resolution = "replacement"
        rma.action_submit()
        if rma.state == "submitted":
            rma.action_approve()
        self.assertEqual(rma.state, "approved")
        self.assertFalse(rma.tracking_ref)
        receipt = rma.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        receipt.button_validate()
        steps = {step["key"]: step for step in rma._rma_portal_timeline()}
        self.assertTrue(steps["shipped"]["done"], "the parcel arrived: it was shipped back")
        self.assertTrue(steps["received"]["done"])
        self.assertEqual(steps["resolved"]["label"], "Refunded and replaced")
        refund_notes = rma._rma_refund_documents()
        self.assertTrue(refund_notes, "refunded on receipt")
        self.assertIn("Hiking Boots: refunded", steps["resolved"]["note"])
        self.assertIn("Fleece Jacket: replacement to come", steps["resolved"]["note"])
        self.assertFalse(steps["resolved"]["done"], "the replacement has not left yet")
        self._login(self.portal_a)
        page = self._page(rma)
        self.assertRegex(page, r'o_rma_step_done[^"]*" data-step="shipped"')
        self.assertRegex(page, r'o_rma_step_todo[^"]*" data-step="resolved"')
        # the money refunded, not the goods' value
        refunded = sum(refund_notes.mapped("amount_total"))
        section = page[page.index("o_rma_refund_amount") :][:600]
        self.assertIn(f"{refunded:,.2f}", section)

    def test_one_mail_per_event_and_in_the_portal_conversation(self):
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.assertEqual(rma.state, "approved", "approved by the policy at submission")
        mails = self._customer_messages(rma)
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn("is approved", mails.subject)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [
                    ("mail_message_id.model", "=", "rma.order"),
                    ("mail_message_id.res_id", "=", rma.id),
                    ("recipient_ids", "in", self.partner_a.ids),
                ]
            ),
            1,
        )
        # the customer finds it in the return's conversation
        self._login(self.portal_a)
        response = self.make_jsonrpc_request(
            "/mail/chatter_fetch", {"thread_model": "rma.order", "thread_id": rma.id}
        )
        fetched = [m["id"] for m in response["data"]["mail.message"]]
        self.assertIn(mails.id, fetched)

    def test_manual_decision_after_submission_is_its_own_event(self):
        self.policy.auto_approve = False
        rma = self._create_rma(self.order_a, {self.product_a: 1.0})
        rma.action_submit()
        self.assertEqual(len(self._customer_messages(rma)), 1, "the acknowledgement")
        rma.action_approve()
        self.assertEqual(len(self._customer_messages(rma)), 2, "then the approval")

    def test_item_picker_greys_out_what_cannot_be_returned(self):
        self.policy.non_returnable_product_tmpl_ids = self.product_b.product_tmpl_id
        self.policy.return_days = 30
        # a 1x1 PNG
        self.product_a.image_1920 = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
            "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
        self._login(self.portal_a)
        page = self.url_open(self._return_url(self.order_a)).text
        # the fleece is shown, greyed out, with why; the boots can be returned
        self.assertRegex(
            page,
            rf'o_rma_blocked_line"[^>]*data-line-id="{self.line_a_fleece.id}"',
        )
        self.assertIn("This item cannot be returned.", page)
        self.assertNotIn(f'name="qty_{self.line_a_fleece.id}"', page)
        self.assertIn(f'name="qty_{self.line_a_boots.id}"', page)
        self.assertIn("o_rma_return_by", page)
        self.assertIn('src="data:image/png;base64,', page, "the boots' image")
        self.assertIn("o_rma_price", page)
        # posting the greyed-out item anyway is refused, politely
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, self.reason, "refund")}, step="preview"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_rma_errors", response.text)
        self.assertFalse(self._returns_of(self.order_a))

    def test_phone_list_and_detail_show_cards(self):
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self._login(self.portal_a)
        page = self.url_open("/my/returns").text
        self.assertIn("table-responsive border-0 d-none d-md-block", page)
        self.assertIn("d-md-none o_rma_cards", page)
        self.assertIn(f'href="/my/returns/{rma.id}', page[page.index("o_rma_cards") :])
        page = self._page(rma)
        cards = page[page.index("o_rma_line_cards") :]
        self.assertIn("Hiking Boots", cards)
        self.assertIn("Refund", cards)
        # the preview of the next return, too
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, self.reason, "refund")}, step="preview"
        )
        self.assertIn("d-md-none o_rma_preview_cards", response.text)
        self.assertIn("o_rma_preview_card", response.text)

    def test_guest_ways_in_and_breadcrumbs(self):
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self._anonymous()
        page = self.url_open(f"/my/returns/{rma.id}?access_token={rma._portal_ensure_token()}").text
        self.assertIn("o_rma_guest_footer_link", page)
        main = page[page.index("<main>") : page.index("</main>")]
        self.assertNotIn('href="/my/home"', main, "no way to a login page")
        self.assertNotIn('href="/my/returns"', main)
        self.assertIn("o_rma_guest_footer_link", self.url_open("/returns/guest").text)
        # the order confirmation e-mail tells where to return the order
        self.order_a.with_context(mail_notify_force_send=False).message_post_with_source(
            "sale.email_template_edi_sale",
            email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.partner_a.ids,
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", self.order_a.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("/returns/guest", mail.body_html)
        # and so does the delivery e-mail
        delivery = self.order_a.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        delivery.with_context(mail_notify_force_send=False).message_post_with_source(
            "stock.mail_template_data_delivery_confirmation",
            email_layout_xmlid="mail.mail_notification_light",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.partner_a.ids,
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "stock.picking"), ("res_id", "=", delivery.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("/returns/guest", mail.body_html)

    def test_exchange_suggests_other_variants_in_stock_first(self):
        size = self.env["product.attribute"].create(
            {
                "name": "Boot Size",
                "value_ids": [Command.create({"name": n}) for n in ("40", "41", "42")],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Trail Boots",
                "is_storable": True,
                "list_price": 90.0,
                "invoice_policy": "delivery",
                "attribute_line_ids": [
                    Command.create({"attribute_id": size.id, "value_ids": size.value_ids.ids})
                ],
            }
        )
        v40, v41, v42 = template.product_variant_ids.sorted(
            lambda p: p.product_template_attribute_value_ids.name
        )
        self._stock(v40, 5.0)
        self._stock(v42, 5.0)
        order = self._create_order([(v40, 1.0)], partner=self.partner_a)
        self._stock(v42, 3.0)  # 41 stays out of stock
        self._login(self.portal_a)
        page = self.url_open(self._return_url(order)).text
        select = page[page.index('name="exchange_') :]
        select = select[: select.index("</select>")]
        self.assertLess(select.index(f'value="{v42.id}"'), select.index(f'value="{v41.id}"'))
        self.assertNotIn(f'value="{v40.id}"', select, "not the product being returned")
        self.assertIn("(in stock)", select[: select.index(f'value="{v41.id}"')])


@tagged("post_install", "-at_install")
class TestRmaPortalPhone(RmaPortalCommon):
    """The customer and the guest on a phone-sized window."""

    browser_size = "390x844"
    touch_enabled = True

    def test_customer_follows_a_return_on_a_phone(self):
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.assertEqual(rma.state, "approved")
        self.start_tour("/my/returns", "rma_portal_phone_tour", login=self.portal_a.login)

    def test_guest_finds_the_order_on_a_phone(self):
        guest = self.env["res.partner"].create(
            {"name": "Gina Guest", "email": "gina.guest@example.com"}
        )
        order = self._create_order([(self.product_b, 1.0)], partner=guest)
        order.name = "S-GUEST-0002"
        self.start_tour("/returns/guest", "rma_portal_guest_phone_tour")
