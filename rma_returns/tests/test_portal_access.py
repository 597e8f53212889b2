import base64
import re
import uuid

from odoo.tests import tagged

from ..controllers.portal import PHOTO_TAG, RmaCustomerPortal
from .portal_common import RmaPortalCommon

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestRmaPortalAccess(RmaPortalCommon):
    """Who reaches which return, document and form on the portal, and what the
    server refuses whatever the browser sends."""

    def setUp(self):
        super().setUp()
        self.rma_a = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.rma_a._portal_ensure_token()
        self.credit_note_a = self._attach_credit_note(self.rma_a)
        self.replacement_a = self._attach_replacement(self.rma_a)
        self.photo_a = self.env["ir.attachment"].create(
            {
                "name": "boots.png",
                "raw": PNG,
                "res_model": "rma.order",
                "res_id": self.rma_a.id,
                "description": PHOTO_TAG,
            }
        )
        self.rma_b = self._approved_rma(self.order_b, {self.product_a: 1.0})
        self.rma_b._portal_ensure_token()
        self.defective = self.env.ref("rma_returns.rma_reason_defective")

    def _sub_urls(self, rma, credit_note, picking, photo):
        base = f"/my/returns/{rma.id}"
        return {
            "return": base,
            "slip": f"{base}/slip",
            "credit_note": f"{base}/credit_note/{credit_note.id}",
            "picking": f"{base}/picking/{picking.id}",
            "photo": f"{base}/photo/{photo.id}",
        }

    def _status(self, url, token=None):
        if token:
            url += ("&" if "?" in url else "?") + f"access_token={token}"
        return self.url_open(url, allow_redirects=False).status_code

    # --- the owner ---------------------------------------------------------
    def test_owner_sees_own_return_and_its_documents(self):
        self._login(self.portal_a)
        listing = self.url_open("/my/returns")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.rma_a.name, listing.text)
        self.assertNotIn(self.rma_b.name, listing.text)
        urls = self._sub_urls(self.rma_a, self.credit_note_a, self.replacement_a, self.photo_a)
        page = self.url_open(urls["return"])
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.credit_note_a.name, page.text)
        self.assertIn(self.replacement_a.name, page.text)
        self.assertIn(urls["photo"], page.text)
        for key in ("credit_note", "picking", "photo"):
            self.assertEqual(self._status(urls[key]), 200, key)
        self.assertIn('href="/my/returns"', self.url_open("/my").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["rma_count"]})
        self.assertEqual(counters["rma_count"], 1)

    def test_agent_draft_is_not_readable_over_json_rpc(self):
        """The record rules, not only the pages, keep an agent's draft from
        its customer: search_read over JSON-RPC as the portal user."""
        draft = self._create_rma(self.order_a, {self.product_b: 1.0})
        self.assertEqual(draft.state, "draft")
        self.env.flush_all()
        self._login(self.portal_a)

        def search_read(model, domain, fields):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/search_read",
                {
                    "model": model,
                    "method": "search_read",
                    "args": [domain],
                    "kwargs": {"fields": fields},
                },
            )

        returns = search_read("rma.order", [], ["name", "state"])
        self.assertEqual([r["name"] for r in returns], [self.rma_a.name])
        lines = search_read("rma.order.line", [], ["rma_id", "product_id"])
        self.assertEqual({line["rma_id"][0] for line in lines}, {self.rma_a.id})
        # submitted, the return is the customer's
        draft.with_user(self.agent).action_submit()
        self.env.flush_all()
        returns = search_read("rma.order", [], ["name"])
        self.assertEqual({r["name"] for r in returns}, {self.rma_a.name, draft.name})

    def test_slip_pdf_for_approved_returns_only(self):
        self.assertTrue(self.env.ref("rma_returns.action_report_rma_slip"))
        self.assertEqual(self.rma_a.state, "approved")
        self._login(self.portal_a)
        url = f"/my/returns/{self.rma_a.id}/slip"
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(self.rma_a.name, response.text, "the slip names the return")
        self.assertIn(url, self.url_open(f"/my/returns/{self.rma_a.id}").text)
        # the guest of the e-mail link prints it with the return's token
        self._anonymous()
        self.assertEqual(self._status(url, self.rma_a.access_token), 200)
        # no slip before the return is approved
        self.env.ref("rma_returns.rma_policy_default").auto_approve = False
        waiting = self._create_rma(self.order_a, {self.product_b: 1.0})
        waiting.action_submit()
        self.assertEqual(waiting.state, "submitted")
        self._login(self.portal_a)
        self.assertEqual(self._status(f"/my/returns/{waiting.id}/slip"), 404)
        self.assertNotIn(
            f"/my/returns/{waiting.id}/slip", self.url_open(f"/my/returns/{waiting.id}").text
        )

    def test_list_filter_sort_and_pager(self):
        # a return the policy leaves to review stays "submitted"
        self.env.ref("rma_returns.rma_policy_default").auto_approve = False
        second = self._create_rma(self.order_a, {self.product_b: 1.0})
        second.action_submit()
        self.assertEqual(second.state, "submitted")
        self._login(self.portal_a)
        approved = self.url_open("/my/returns?filterby=approved&sortby=name").text
        self.assertIn(self.rma_a.name, approved)
        self.assertNotIn(second.name, approved)
        everything = self.url_open("/my/returns?filterby=all&sortby=name").text
        self.assertLess(everything.index(second.name), everything.index(self.rma_a.name))
        self.patch(RmaCustomerPortal, "_items_per_page", 1)
        page_two = self.url_open("/my/returns/page/2?sortby=name").text
        self.assertIn(self.rma_a.name, page_two)
        self.assertNotIn(f">{second.name}<", page_two)

    # --- another customer --------------------------------------------------
    def test_other_customer_gets_404_on_everything(self):
        self._login(self.portal_b)
        urls = self._sub_urls(self.rma_a, self.credit_note_a, self.replacement_a, self.photo_a)
        foreign_tokens = [None, self.rma_b.access_token, self.order_a._portal_ensure_token()]
        for key, url in urls.items():
            for token in foreign_tokens:
                self.assertEqual(self._status(url, token), 404, f"{key} with {token}")
        self.assertNotIn(self.rma_a.name, self.url_open("/my/returns").text)
        # the posting routes refuse too, and change nothing
        response = self.url_open(
            f"/my/returns/{self.rma_a.id}/tracking",
            data={"csrf_token": self._csrf(), "tracking_ref": "HIJACK"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.rma_a.tracking_ref)
        self.assertEqual(self._status(self._return_url(self.order_a)), 404)

    def test_own_token_does_not_open_another_returns_documents(self):
        """B's valid token on B's return must not serve A's credit note, delivery
        or photo through B's return."""
        self._anonymous()
        token_b = self.rma_b.access_token
        base = f"/my/returns/{self.rma_b.id}"
        self.assertEqual(self._status(base, token_b), 200)
        for url in (
            f"{base}/credit_note/{self.credit_note_a.id}",
            f"{base}/picking/{self.replacement_a.id}",
            f"{base}/photo/{self.photo_a.id}",
        ):
            self.assertEqual(self._status(url, token_b), 404, url)

    def test_draft_credit_note_and_receipt_are_not_served(self):
        self._login(self.portal_a)
        invoice = self.order_a.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        draft = invoice._reverse_moves()
        draft.rma_order_id = self.rma_a
        incoming = self.replacement_a.copy(
            {"picking_type_id": self.warehouse.in_type_id.id, "rma_order_id": self.rma_a.id}
        )
        base = f"/my/returns/{self.rma_a.id}"
        self.assertEqual(self._status(f"{base}/credit_note/{draft.id}"), 404)
        self.assertEqual(self._status(f"{base}/picking/{incoming.id}"), 404)
        self.assertEqual(self._status(f"{base}/credit_note/{invoice.id}"), 404)

    # --- tokens -------------------------------------------------------------
    def test_forged_and_stale_tokens_fail(self):
        self._anonymous()
        url = f"/my/returns/{self.rma_a.id}"
        self.assertEqual(self._status(url, self.rma_a.access_token), 200)
        self.assertEqual(self._status(url), 404)
        self.assertEqual(self._status(url, str(uuid.uuid4())), 404)
        self.assertEqual(self._status(url, self.rma_a.access_token[:-1]), 404)
        stale = self.rma_a.access_token
        self.rma_a.access_token = str(uuid.uuid4())
        self.assertEqual(self._status(url, stale), 404)
        self.assertEqual(self._status(url, self.rma_a.access_token), 200)
        # the order's return form the same way
        order_token = self.order_a._portal_ensure_token()
        self.assertEqual(self._status(self._return_url(self.order_a, order_token)), 200)
        self.assertEqual(self._status(self._return_url(self.order_a, str(uuid.uuid4()))), 404)
        self.assertEqual(self._status(self._return_url(self.order_a)), 404)
        # a return's token is not an order token, nor the other way round
        self.assertEqual(self._status(self._return_url(self.order_a, self.rma_a.access_token)), 404)
        self.assertEqual(self._status(url, order_token), 404)

    # --- the return form ---------------------------------------------------
    def test_quantity_above_returnable_is_refused(self):
        self._login(self.portal_a)
        # 2 boots delivered, 1 already on rma_a: 1 left
        response = self._post_return(self.order_a, {self.line_a_boots: (2, self.reason, "refund")})
        self.assertEqual(response.status_code, 200)
        self.assertIn("at most 1", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)
        response = self._post_return(
            self.order_a, {self.line_a_boots: ("-1", self.reason, "refund")}
        )
        self.assertIn("Please enter a number", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)

    def test_line_of_another_order_is_refused(self):
        self._login(self.portal_a)
        line_b = self.order_b.order_line
        response = self._post_return(
            self.order_a,
            {self.line_a_fleece: (1, self.reason, "refund"), line_b: (1, self.reason, "refund")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("cannot be returned on order", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)
        self.assertFalse(self._returns_of(self.order_b) - self.rma_b)

    def test_unknown_reason_and_resolution_are_refused(self):
        self._login(self.portal_a)
        other_company_reason = self.env["rma.reason"].create(
            {
                "name": "Elsewhere",
                "code": "ELSEWHERE",
                "company_id": self.env["res.company"].create({"name": "Other Co"}).id,
            }
        )
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, other_company_reason, "refund")}
        )
        self.assertIn("Please tell us why", response.text)
        # no other variant of the jacket: no exchange
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, self.reason, "exchange")}
        )
        self.assertIn("not available", response.text)
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, self.reason, "free_money")}
        )
        self.assertIn("not available", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)

    def test_exchange_offers_other_variants_only(self):
        color = self.env["product.attribute"].create(
            {
                "name": "Colour",
                "value_ids": [
                    (0, 0, {"name": "Red"}),
                    (0, 0, {"name": "Blue"}),
                ],
            }
        )
        template = self.env["product.template"].create(
            {
                "name": "Beanie",
                "type": "consu",
                "is_storable": True,
                "list_price": 20.0,
                "invoice_policy": "delivery",
                "attribute_line_ids": [
                    (0, 0, {"attribute_id": color.id, "value_ids": [(6, 0, color.value_ids.ids)]})
                ],
            }
        )
        red, blue = template.product_variant_ids
        order = self._create_order([(red, 1.0)], partner=self.partner_a)
        sale_line = order.order_line
        self._login(self.portal_a)
        form = self.url_open(self._return_url(order)).text
        options = re.findall(rf'name="exchange_{sale_line.id}".*?</select>', form, re.S)
        self.assertTrue(options)
        self.assertIn(f'value="{blue.id}"', options[0])
        self.assertNotIn(f'value="{red.id}"', options[0])
        # another product altogether is refused
        response = self._post_return(
            order,
            {sale_line: (1, self.reason, "exchange")},
            **{f"exchange_{sale_line.id}": str(self.product_b.id)},
        )
        self.assertIn("Please choose the variant", response.text)
        self.assertFalse(self._returns_of(order))
        response = self._post_return(
            order,
            {sale_line: (1, self.reason, "exchange")},
            **{f"exchange_{sale_line.id}": str(blue.id)},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._returns_of(order).line_ids.exchange_product_id, blue)

    def test_preview_creates_nothing(self):
        self._login(self.portal_a)
        sequence = self.env["ir.sequence"].search([("code", "=", "rma.order")], limit=1)
        next_number = sequence.number_next_actual
        returns = self.env["rma.order"].search_count([])
        lines = self.env["rma.order.line"].search_count([])
        response = self._post_return(
            self.order_a, {self.line_a_fleece: (1, self.reason, "refund")}, step="preview"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_rma_preview_decision", response.text)
        self.assertIn("o_rma_confirm", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.env["rma.order"].search_count([]), returns)
        self.assertEqual(self.env["rma.order.line"].search_count([]), lines)
        self.assertEqual(sequence.number_next_actual, next_number)
        # what the preview says is the policy's evaluation of such a return
        evaluation = self._create_rma(self.order_a, {self.product_b: 1.0})._rma_evaluate()
        label = dict(self.env["rma.order"]._fields["decision"]._description_selection(self.env))
        decision = next(iter(evaluation.values()))["decision"]
        self.assertIn(f'class="o_rma_preview_decision">{label[decision]}<', response.text)

    def test_preview_counts_the_photo_the_form_requires(self):
        """The photo is uploaded with the confirmation: the preview must not
        announce a review for a photo that the submission cannot lack."""
        self._login(self.portal_a)
        lines = {self.line_a_fleece: (1, self.defective, "refund")}
        attachments = self.env["ir.attachment"].search_count([])
        preview = self._post_return(self.order_a, lines, step="preview")
        self.assertEqual(preview.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)
        self.assertIn(f'name="photo_{self.line_a_fleece.id}"', preview.text)
        shown = re.search(r'class="o_rma_preview_decision">([^<]*)<', preview.text).group(1)
        files = {f"photo_{self.line_a_fleece.id}": ("fleece.png", PNG, "image/png")}
        response = self._post_return(self.order_a, lines, files=files)
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a) - self.rma_a
        label = dict(rma._fields["decision"]._description_selection(self.env))
        self.assertEqual(rma.decision, "approve")
        self.assertEqual(shown, label[rma.decision])

    def test_submit_forces_customer_from_order_and_needs_photo(self):
        self._login(self.portal_a)
        lines = {self.line_a_fleece: (1, self.defective, "replacement")}
        response = self._post_return(self.order_a, lines, partner_id=str(self.partner_b.id))
        self.assertIn("Please add a photo", response.text)
        files = {
            f"photo_{self.line_a_fleece.id}": ("notes.txt", b"not an image at all", "image/png")
        }
        response = self._post_return(self.order_a, lines, files=files)
        self.assertIn("is not a photo", response.text)
        big = PNG + b"\0" * (5 * 1024 * 1024)
        files = {f"photo_{self.line_a_fleece.id}": ("big.png", big, "image/png")}
        response = self._post_return(self.order_a, lines, files=files)
        self.assertIn("larger than 5 MB", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)
        files = {f"photo_{self.line_a_fleece.id}": ("fleece.png", PNG, "image/png")}
        response = self._post_return(
            self.order_a, lines, files=files, partner_id=str(self.partner_b.id)
        )
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a) - self.rma_a
        self.assertEqual(len(rma), 1)
        self.assertEqual(rma.partner_id, self.partner_a)
        self.assertEqual(rma.line_ids.resolution, "replacement")
        self.assertNotEqual(rma.state, "draft")
        self.assertIn(f"/my/returns/{rma.id}", response.headers["Location"])
        # with its photo, the policy approves the return at once
        self.assertTrue(rma.has_photo)
        self.assertEqual(rma.state, "approved")
        photo = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "rma.order"),
                ("res_id", "=", rma.id),
                ("description", "=", PHOTO_TAG),
            ]
        )
        self.assertEqual(photo.mimetype, "image/png")
        # the return's other files (the slip the approval e-mail attaches, once
        # the mail queue has run) are not photos to serve; the whole queue
        # (a kept database may hold older e-mails first)
        self.env["rma.order.notification"]._cron_send(batch_size=10000)
        others = self.env["ir.attachment"].search(
            [("res_model", "=", "rma.order"), ("res_id", "=", rma.id), ("id", "!=", photo.id)]
        )
        self.assertTrue(others)
        for other in others:
            self.assertEqual(self._status(f"/my/returns/{rma.id}/photo/{other.id}"), 404)
        self.assertEqual(self._status(f"/my/returns/{rma.id}/photo/{photo.id}"), 200)
        self._login(self.portal_b)
        self.assertEqual(self._status(f"/my/returns/{rma.id}/photo/{photo.id}"), 404)

    def test_post_without_csrf_token_is_rejected(self):
        self._login(self.portal_a)
        response = self.url_open(
            self._return_url(self.order_a),
            data={
                "step": "submit",
                f"qty_{self.line_a_fleece.id}": "1",
                f"reason_{self.line_a_fleece.id}": str(self.reason.id),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a)

    def test_tracking_only_while_parcel_can_travel(self):
        self._login(self.portal_a)
        url = f"/my/returns/{self.rma_a.id}/tracking"
        response = self.url_open(
            url,
            data={"csrf_token": self._csrf(), "carrier_name": "UPS", "tracking_ref": "1Z999"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.rma_a.tracking_ref, "1Z999")
        self.rma_a.action_receive()
        response = self.url_open(url, data={"csrf_token": self._csrf(), "tracking_ref": "LATE"})
        self.assertIn("can no longer be changed", response.text)
        self.assertEqual(self.rma_a.tracking_ref, "1Z999")

    # --- guests -------------------------------------------------------------
    def _guest_lookup(self, order_ref, email):
        return self.url_open(
            "/returns/guest",
            data={"csrf_token": self._csrf(), "order_ref": order_ref, "email": email},
            allow_redirects=False,
        )

    def _neutral(self, response, order_ref):
        """The page without what the visitor typed and the CSRF token."""
        text = response.text.replace(order_ref, "REF")
        return re.sub(r"[0-9a-f]{40}o[0-9]+", "CSRF", text)

    def test_guest_cannot_tell_unknown_order_from_wrong_email(self):
        self._anonymous()
        unknown = self._guest_lookup("S-NO-SUCH-ORDER", "someone.else@example.com")
        wrong_email = self._guest_lookup(self.order_a.name, "someone.else@example.com")
        self.assertEqual(unknown.status_code, wrong_email.status_code)
        self.assertEqual(unknown.status_code, 200)
        self.assertIn("could not find an order", unknown.text)
        self.assertEqual(
            self._neutral(unknown, "S-NO-SUCH-ORDER"), self._neutral(wrong_email, self.order_a.name)
        )
        self.assertNotIn(self.order_a.access_token or "no token yet", wrong_email.text)

    def test_guest_right_pair_gets_tokenized_form(self):
        self._anonymous()
        response = self._guest_lookup(f"  {self.order_a.name.lower()} ", "ALICE.portal@example.com")
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertIn(f"/my/orders/{self.order_a.id}/return?access_token=", location)
        token = location.rsplit("=", 1)[1]
        self.assertNotEqual(token, self.order_a.access_token, "a link of its own")
        form = self.url_open(location)
        self.assertIn("o_rma_form_line", form.text)
        # the token opens this order's form only
        self.assertEqual(self._status(self._return_url(self.order_b, token)), 404)

    def test_guest_attempts_are_rate_limited(self):
        """Failures are limited per address (and per address on one order
        number); the right e-mail from an address that is not limited passes."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("rma_returns.guest_max_attempts_order", "3")
        params.set_param("rma_returns.guest_max_attempts_ip", "5")
        self._anonymous()
        for _attempt in range(3):
            self.assertEqual(
                self._guest_lookup(self.order_a.name, "x@example.com").status_code, 200
            )
        # this address used up its attempts on order A, even with the right e-mail
        blocked = self._guest_lookup(self.order_a.name, self.partner_a.email)
        self.assertEqual(blocked.status_code, 429)
        self.assertIn("Too many attempts", blocked.text)
        # one more failure on another number uses up the address's five
        self.assertEqual(self._guest_lookup("S-OTHER-1", "x@example.com").status_code, 200)
        self.assertEqual(
            self._guest_lookup(self.order_b.name, self.partner_b.email).status_code, 429
        )
        # another address is not concerned: the real customer of order A passes
        attempts = self.env["rma.guest.attempt"]
        allowed, _ticket = attempts._rma_take("203.0.113.9", f" {self.order_a.name.lower()}")
        self.assertTrue(allowed)
