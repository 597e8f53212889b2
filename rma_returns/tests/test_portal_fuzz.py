"""Random and adversarial input on every portal, guest and scan route.

5,000 requests in all (see EXAMPLES): whatever is sent, the answer is a page
(a message, a redirect or a 404), never a server error, and the database is
only changed by a request the server accepted (a redirect after a post).
"""

import base64
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import new_test_user, tagged

from ..controllers.portal import PHOTO_TAG
from .portal_common import RmaPortalCommon

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
# Examples per route family: 5,000 requests in all.
EXAMPLES = {"form": 1200, "guest": 1100, "pages": 1500, "scan": 700, "station": 500}
FUZZ = {
    "deadline": None,
    "database": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": True,
}
NASTY = [
    "",
    " ",
    "\x00",
    "1\x00",
    "a\x00b",
    "é",
    "١",
    "٣٤",
    "²",
    "½",
    "\u202e",
    "\ufeff1",
    "💥",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "-1e308",
    "1e309",
    "1.7976931348623157e308",
    "5e-324",
    "9" * 400,
    "-1",
    "0",
    "-0",
    "0.5",
    "1",
    "2",
    "1.0000001",
    "1_000",
    " 1 ",
    "1,5",
    "0x10",
    str(2**31),
    str(2**63),
    "-2147483649",
    "' OR 1=1 --",
    "'; DROP TABLE rma_order; --",
    "1; SELECT pg_sleep(1)",
    "%",
    "%@%",
    "_",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
    "${7*7}",
    "%s%s%s%(x)s",
    "../../etc/passwd",
    "null",
    "None",
    "False",
    "[]",
    "{}",
    "true",
    "x" * 5000,
    "é" * 3000,
]
# Any text a browser or a script can send (no lone surrogates: not encodable).
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
)
# A form value: text, or a file where text is expected.
VALUE = st.one_of(
    TEXT,
    TEXT,
    TEXT,
    st.tuples(st.just("file"), st.binary(max_size=32)),
)
STEPS = st.sampled_from(["preview", "submit", "edit", "", "SUBMIT", "\x00"])
REDIRECTS = (301, 302, 303, 307, 308)
STATUS_OK = (200, *REDIRECTS, 400, 403, 404, 405, 410, 429)


@tagged("post_install", "-at_install")
class TestRmaPortalFuzz(RmaPortalCommon):
    """Property-based: hostile payloads on the portal, guest and scan routes."""

    def setUp(self):
        super().setUp()
        params = self.env["ir.config_parameter"].sudo()
        # the look-up limits would answer every guest example with a 429
        params.set_param("rma_returns.guest_max_attempts_ip", "1000000")
        params.set_param("rma_returns.guest_max_attempts_order", "1000000")
        self.rma_a = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.rma_b = self._approved_rma(self.order_b, {self.product_a: 1.0})
        self.rma_a._portal_ensure_token()
        self.rma_b._portal_ensure_token()
        self.credit_note_b = self._attach_credit_note(self.rma_b)
        self.photo_b = self.env["ir.attachment"].create(
            {
                "name": "b.png",
                "raw": PNG,
                "res_model": "rma.order",
                "res_id": self.rma_b.id,
                "description": PHOTO_TAG,
            }
        )
        order_b2 = self._create_order([(self.product_b, 1.0)], partner=self.partner_b)
        self.draft_b = self._create_rma(order_b2, {self.product_b: 1.0})
        self.other_reason = self.env["rma.reason"].create(
            {
                "name": "Elsewhere",
                "code": "FUZZ-ELSEWHERE",
                "company_id": self.env["res.company"].create({"name": "Fuzz Co"}).id,
            }
        )
        self._fuzz_state = None
        self.clerk = new_test_user(
            self.env, login="rma_fuzz_clerk", groups="base.group_user,stock.group_stock_user"
        )

    # --- helpers ----------------------------------------------------------------
    def _as(self, user):
        """Log ``user`` in (None: anonymous), unless already done."""
        if getattr(self, "_fuzz_user", False) != user:
            self._fuzz_user = user
            self.authenticate(user and user.login, user and user.login)

    def _snapshot(self):
        """What a rejected request must leave untouched."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT (SELECT count(*) FROM rma_order),
                   (SELECT count(*) FROM rma_order_line),
                   (SELECT count(*) FROM mail_message),
                   (SELECT count(*) FROM ir_attachment),
                   (SELECT count(*) FROM rma_guest_token),
                   (SELECT count(*) FROM rma_portal_submission),
                   (SELECT md5(string_agg(
                        concat_ws('|', id, state, tracking_ref, carrier_name, partner_id),
                        ',' ORDER BY id)) FROM rma_order),
                   (SELECT md5(string_agg(concat_ws('|', id, state), ',' ORDER BY id))
                      FROM stock_picking)
            """
        )
        return self.env.cr.fetchone()

    def _send(self, url, fields=None, method="POST"):
        """Send ``fields`` ({name: text or ("file", bytes)}) to ``url`` and check
        the answer; return the response."""
        data, files = {"csrf_token": self._csrf()}, []
        for name, value in (fields or {}).items():
            if isinstance(value, tuple):
                files.append((name, ("f.bin", value[1], "application/octet-stream")))
            else:
                data[name] = value
        # what the previous request left (nothing else writes in between)
        before = self._fuzz_state or self._snapshot()
        if method == "GET":
            response = self.url_open(url, allow_redirects=False)
        else:
            response = self.url_open(url, data=data, files=files or None, allow_redirects=False)
        self.assertIn(response.status_code, STATUS_OK, f"{method} {url[:200]} {fields!r:.300}")
        self.assertNotIn("Traceback", response.text)
        self._fuzz_state = self._snapshot()
        if response.status_code not in REDIRECTS:
            self.assertEqual(
                self._fuzz_state, before, f"{method} {url[:200]} changed data: {fields!r:.300}"
            )
        return response

    def _ids(self, *records):
        """Real ids (own and other customers'), and ids that cannot exist."""
        return st.one_of(
            st.sampled_from([str(rid) for rid in records]),
            st.integers(min_value=-(2**40), max_value=2**70).map(str),
            TEXT.map(lambda text: quote(text, safe="")),
        )

    # --- the return form -------------------------------------------------------
    def _form_fields(self):
        own = self.order_a.order_line
        line_ids = [*own.ids, *self.order_b.order_line.ids, 0, 2**31, -1]
        names = st.one_of(
            st.sampled_from(
                ["qty", "reason", "condition", "resolution", "exchange", "photo"]
            ).flatmap(lambda prefix: st.sampled_from(line_ids).map(lambda lid: f"{prefix}_{lid}")),
            st.sampled_from(["description", "submit_token", "access_token", "partner_id"]),
            st.sampled_from(["qty_", "qty_x", "qty_\x00", "qty_١"]),
            TEXT,
        )
        reasons = [self.reason.id, self.other_reason.id]
        values = st.one_of(
            VALUE,
            st.sampled_from(["1", "2", "0.5", "unopened", "damaged", "refund", "exchange"]),
            st.sampled_from([str(rid) for rid in reasons]),
        )
        return st.dictionaries(names, values, max_size=10)

    @settings(max_examples=EXAMPLES["form"], **FUZZ)
    @given(data=st.data())
    def test_fuzz_return_form(self, data):
        self._as(self.portal_a)
        order_id = data.draw(self._ids(self.order_a.id, self.order_a.id, self.order_b.id))
        fields = data.draw(self._form_fields())
        fields.setdefault("step", data.draw(STEPS))
        query = data.draw(
            st.one_of(st.just(""), TEXT.map(lambda t: "?" + urlencode({"access_token": t})))
        )
        self._send(f"/my/orders/{order_id}/return{query}", fields)

    # --- guests -----------------------------------------------------------------
    @settings(max_examples=EXAMPLES["guest"], **FUZZ)
    @given(data=st.data())
    def test_fuzz_guest(self, data):
        self._as(None)
        orders = self.order_a | self.order_b
        tokens = [order._portal_ensure_token() for order in orders]
        tokens.append(self.rma_a.access_token)
        if data.draw(st.booleans()):
            order_ref = data.draw(st.one_of(TEXT, st.sampled_from(orders.mapped("name"))))
            email = data.draw(st.one_of(TEXT, st.sampled_from(orders.partner_id.mapped("email"))))
            fields = {"order_ref": order_ref, "email": email}
            if data.draw(st.integers(0, 9)) == 0:
                fields["email"] = ("file", email.encode("utf-8", "replace"))
            self._send("/returns/guest", fields)
        else:
            order_id = data.draw(self._ids(*orders.ids))
            token = data.draw(st.one_of(TEXT, st.sampled_from(tokens)))
            url = f"/my/orders/{order_id}/return?{urlencode({'access_token': token})}"
            self._send(url, method=data.draw(st.sampled_from(["GET", "POST"])))

    # --- a return's page and its documents -------------------------------------
    @settings(max_examples=EXAMPLES["pages"], **FUZZ)
    @given(data=st.data())
    def test_fuzz_return_pages(self, data):
        self._as(self.portal_a if data.draw(st.booleans()) else None)
        rma_id = data.draw(self._ids(self.rma_a.id, self.rma_b.id, self.draft_b.id))
        sub_id = data.draw(self._ids(self.credit_note_b.id, self.photo_b.id))
        token = data.draw(
            st.one_of(
                st.just(None),
                TEXT,
                st.sampled_from([self.rma_a.access_token, self.rma_b.access_token]),
            )
        )
        query = {"access_token": token} if token is not None else {}
        for key in data.draw(
            st.sets(st.sampled_from(["page", "message", "pid", "hash", "sortby"]))
        ):
            query[key] = data.draw(TEXT)
        route = data.draw(
            st.sampled_from(
                [
                    ("GET", "/my/returns"),
                    ("GET", f"/my/returns/page/{rma_id}"),
                    ("GET", f"/my/returns/{rma_id}"),
                    ("GET", f"/my/returns/{rma_id}/slip"),
                    ("GET", f"/my/returns/{rma_id}/credit_note/{sub_id}"),
                    ("GET", f"/my/returns/{rma_id}/picking/{sub_id}"),
                    ("GET", f"/my/returns/{rma_id}/photo/{sub_id}"),
                    ("POST", f"/my/returns/{rma_id}/tracking"),
                    ("POST", f"/my/returns/{rma_id}/cancel"),
                ]
            )
        )
        method, path = route
        if path.endswith("/cancel") and rma_id == str(self.rma_a.id):
            path = f"/my/returns/{self.rma_b.id}/cancel"  # own cancel: test_portal_cancel
        fields = {}
        if method == "POST":
            fields = {"carrier_name": data.draw(VALUE), "tracking_ref": data.draw(VALUE)}
        self._send(f"{path}?{urlencode(query)}", fields, method=method)

    # --- the slip's QR code and the scan station -------------------------------
    @settings(max_examples=EXAMPLES["scan"], **FUZZ)
    @given(token=st.one_of(TEXT, st.just(quote("a\x00b"))))
    def test_fuzz_scan_public(self, token):
        self._as(None)
        self._send(f"/rma/scan/{quote(token, safe='')}", method="GET")

    @settings(max_examples=EXAMPLES["station"], **FUZZ)
    @given(code=TEXT)
    def test_fuzz_scan_station(self, code):
        self._as(self.clerk)
        self._send("/rma/scan?" + urlencode({"code": code}), method="GET")
