import base64

from odoo.tests import tagged

from .portal_common import RmaPortalCommon

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
# Beyond PostgreSQL's integer: such an id must not reach the database.
HUGE_ID = "99999999999999999999"


@tagged("post_install", "-at_install")
class TestRmaPortalInput(RmaPortalCommon):
    """Whatever a browser or a script sends, the portal answers with a page
    (a friendly message or a 404), never a server error, and writes nothing
    it should not."""

    def setUp(self):
        super().setUp()
        self.rma_a = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.rma_a._portal_ensure_token()

    def _post(self, url, data, files=None):
        data = {"csrf_token": self._csrf(), **data}
        if data.get("step") == "submit":
            data.setdefault("submit_token", self._submit_token())
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _fleece(self, sale_line=None, **overrides):
        """Form data returning one fleece (or one of ``sale_line``), with
        ``overrides`` (None drops a key)."""
        line_id = (sale_line or self.line_a_fleece).id
        data = {
            "step": "submit",
            f"qty_{line_id}": "1",
            f"reason_{line_id}": str(self.reason.id),
            f"condition_{line_id}": "unopened",
            f"resolution_{line_id}": "refund",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    def test_malformed_return_form_gets_a_message(self):
        self._login(self.portal_a)
        line_id = self.line_a_fleece.id
        cases = {
            "letters": ({f"qty_{line_id}": "two"}, "Please enter a number"),
            "negative": ({f"qty_{line_id}": "-3"}, "Please enter a number"),
            "not a number": ({f"qty_{line_id}": "nan"}, "Please enter a number"),
            "huge": ({f"qty_{line_id}": "1" + "0" * 400}, "at most 1"),
            "infinite": ({f"qty_{line_id}": "inf"}, "at most 1"),
            "exponent": ({f"qty_{line_id}": "1e309"}, "at most 1"),
            "no quantity at all": ({f"qty_{line_id}": None}, "Choose at least one product"),
            "unknown line": ({"qty_424242": "1"}, "cannot be returned on order"),
            "huge line id": ({f"qty_{HUGE_ID}": "1"}, "cannot be returned on order"),
            "line id not a number": ({"qty_boots": "1"}, "unknown line"),
            "no reason": ({f"reason_{line_id}": None}, "Please tell us why"),
            "reason not a number": ({f"reason_{line_id}": "x'; --"}, "Please tell us why"),
            "huge reason id": ({f"reason_{line_id}": HUGE_ID}, "Please tell us why"),
            "unknown condition": ({f"condition_{line_id}": "burnt"}, "choose the condition"),
            "unknown resolution": ({f"resolution_{line_id}": "cash"}, "not available"),
            "exchange without variant": (
                {f"resolution_{line_id}": "exchange", f"exchange_{line_id}": HUGE_ID},
                "not available",
            ),
            "comment too long": ({"description": "x" * 2001}, "under 2000 characters"),
        }
        for case, (overrides, message) in cases.items():
            with self.subTest(case=case):
                response = self._post(self._return_url(self.order_a), self._fleece(**overrides))
                self.assertEqual(response.status_code, 200, case)
                self.assertIn(message, response.text, case)
                self.assertNotIn("Traceback", response.text)
        self.assertEqual(self._returns_of(self.order_a), self.rma_a, "nothing was created")

    def test_nul_bytes_and_files_in_text_fields(self):
        """PostgreSQL refuses NUL characters: they are dropped, not a crash."""
        self._login(self.portal_a)
        url = self._return_url(self.order_a)
        preview = self._post(url, self._fleece(step="preview", description="Too\x00 small"))
        self.assertEqual(preview.status_code, 200)
        self.assertIn("o_rma_preview_decision", preview.text)
        response = self._post(url, self._fleece(description="Too\x00 small"))
        self.assertEqual(response.status_code, 303)
        fleece = self._returns_of(self.order_a) - self.rma_a
        self.assertEqual(fleece.line_ids.product_id, self.product_b)
        self.assertEqual(fleece.description, "Too small")
        # a file where text is expected counts as no text
        response = self._post(
            url,
            self._fleece(self.line_a_boots),
            files={"description": ("note.txt", b"hello", "text/plain")},
        )
        self.assertEqual(response.status_code, 303)
        boots = self._returns_of(self.order_a) - self.rma_a - fleece
        self.assertEqual(boots.line_ids.product_id, self.product_a)
        self.assertFalse(boots.description)
        # tracking numbers too
        response = self._post(
            f"/my/returns/{self.rma_a.id}/tracking",
            {"carrier_name": "U\x00PS", "tracking_ref": "1Z\x00999"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual((self.rma_a.carrier_name, self.rma_a.tracking_ref), ("UPS", "1Z999"))

    def test_photo_name_with_nul_byte(self):
        self._login(self.portal_a)
        defective = self.env.ref("rma_returns.rma_reason_defective")
        line_id = self.line_a_fleece.id
        response = self._post(
            self._return_url(self.order_a),
            self._fleece(**{f"reason_{line_id}": str(defective.id)}),
            files={f"photo_{line_id}": ("fle\x00ece.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a) - self.rma_a
        self.assertTrue(rma.has_photo)

    def test_huge_and_negative_ids_are_not_found(self):
        self._login(self.portal_a)
        base = f"/my/returns/{self.rma_a.id}"
        urls = [
            f"/my/returns/{HUGE_ID}",
            f"/my/returns/{HUGE_ID}/slip",
            f"/my/returns/-{self.rma_a.id}",
            f"{base}/photo/{HUGE_ID}",
            f"{base}/credit_note/{HUGE_ID}",
            f"{base}/picking/{HUGE_ID}",
            f"/my/orders/{HUGE_ID}/return",
            f"/my/orders/-{self.order_a.id}/return",
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404)
        response = self._post(f"/my/returns/{HUGE_ID}/tracking", {"tracking_ref": "1Z"})
        self.assertEqual(response.status_code, 404)
        response = self._post(f"/my/orders/{HUGE_ID}/return", self._fleece())
        self.assertEqual(response.status_code, 404)
        # a page far beyond the last one shows the last one
        response = self.url_open(f"/my/returns/page/{HUGE_ID}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.rma_a.name, response.text)

    def test_guest_lookup_with_odd_input(self):
        self._anonymous()
        for order_ref, email in (
            (f"{self.order_a.name}\x00", "someone.else@example.com"),
            ("x" * 5000, "not-an-email"),
            ("%", "%@%"),
            ("", ""),
        ):
            with self.subTest(order_ref=order_ref[:20], email=email):
                response = self._post("/returns/guest", {"order_ref": order_ref, "email": email})
                self.assertEqual(response.status_code, 200)
                self.assertIn("could not find an order", response.text)
        # a file instead of the e-mail
        response = self._post(
            "/returns/guest",
            {"order_ref": self.order_a.name},
            files={"email": ("a.txt", b"alice.portal@example.com", "text/plain")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("could not find an order", response.text)
