import threading
from datetime import timedelta
from urllib.parse import urlparse

from psycopg2 import errors

from odoo import SUPERUSER_ID, api, fields
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from .portal_common import RmaPortalCommon

PNG_HEADER = b"\x89PNG\r\n\x1a\n"


@tagged("post_install", "-at_install")
class TestRmaPortalGuestToken(RmaPortalCommon):
    """The link a guest receives opens that order's return form, for a day,
    and nothing else; wrong e-mails do not lock the real customer out."""

    def _lookup(self, order_ref, email, ip=None):
        headers = {}
        if ip:
            # as behind the shop's reverse proxy
            headers = {
                "X-Forwarded-For": ip,
                "X-Forwarded-Host": urlparse(self.base_url()).netloc,
            }
        return self.url_open(
            "/returns/guest",
            data={"csrf_token": self._csrf(), "order_ref": order_ref, "email": email},
            headers=headers,
            allow_redirects=False,
        )

    def _guest_link(self, order, email):
        response = self._lookup(order.name, email)
        self.assertEqual(response.status_code, 303)
        return response.headers["Location"], response.headers["Location"].rsplit("=", 1)[1]

    def test_guest_link_opens_the_return_form_of_its_order_only(self):
        self._anonymous()
        link, token = self._guest_link(self.order_a, self.partner_a.email)
        self.assertEqual(len(token), 32, "192 random bits")
        stored = self.env["rma.guest.token"].search([("sale_order_id", "=", self.order_a.id)])
        self.assertEqual(len(stored), 1)
        self.assertNotIn(token, stored.token_hash, "only its hash is kept")
        form = self.url_open(link)
        self.assertEqual(form.status_code, 200)
        self.assertIn("o_rma_form_line", form.text)
        self.assertNotIn(self.order_a._portal_ensure_token(), form.text)
        # not the order page with the customer's address
        order_page = self.url_open(f"/my/orders/{self.order_a.id}?access_token={token}")
        self.assertNotIn(self.order_a.name, order_page.text)
        self.assertNotIn("o_rma_return_items", order_page.text)
        # nor another order's form, nor a return's page
        self.assertEqual(self.url_open(self._return_url(self.order_b, token)).status_code, 404)
        rma = self._approved_rma(self.order_a, {self.product_a: 1.0})
        self.assertEqual(
            self.url_open(f"/my/returns/{rma.id}?access_token={token}").status_code, 404
        )
        # the guest returns the jacket with it
        line = self.line_a_fleece
        response = self.url_open(
            link,
            data={
                "csrf_token": self._csrf(),
                "step": "submit",
                "submit_token": self._submit_token(),
                f"qty_{line.id}": "1",
                f"reason_{line.id}": str(self.reason.id),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        created = self._returns_of(self.order_a) - rma
        self.assertEqual(created.line_ids.product_id, self.product_b)
        self.assertIn(f"access_token={created.access_token}", response.headers["Location"])

    def test_expired_guest_link_gets_a_friendly_page(self):
        self._anonymous()
        link, _token = self._guest_link(self.order_a, self.partner_a.email)
        stored = self.env["rma.guest.token"].search([("sale_order_id", "=", self.order_a.id)])
        stored.date_expiry = fields.Datetime.now() - timedelta(minutes=1)
        response = self.url_open(link)
        self.assertEqual(response.status_code, 410)
        self.assertIn("This link has expired", response.text)
        self.assertIn("o_rma_guest_form", response.text, "and the way to a new one")
        self.assertNotIn("o_rma_form_line", response.text)
        line = self.line_a_fleece
        response = self.url_open(
            link,
            data={
                "csrf_token": self._csrf(),
                "step": "submit",
                "submit_token": self._submit_token(),
                f"qty_{line.id}": "1",
                f"reason_{line.id}": str(self.reason.id),
            },
        )
        self.assertEqual(response.status_code, 410)
        self.assertFalse(self._returns_of(self.order_a))

    def test_wrong_emails_do_not_lock_the_customer_out(self):
        self.patch(config, "options", {**config.options, "proxy_mode": True})
        self._anonymous()
        attacker, customer = "198.51.100.7", "203.0.113.5"
        statuses = [
            self._lookup(self.order_a.name, f"guess{i}@example.com", ip=attacker).status_code
            for i in range(12)
        ]
        self.assertEqual(statuses[:5], [200] * 5)
        self.assertEqual(statuses[-1], 429, "the attacker is limited")
        response = self._lookup(self.order_a.name, self.partner_a.email, ip=customer)
        self.assertEqual(response.status_code, 303, "the customer is not")
        self.assertIn(f"/my/orders/{self.order_a.id}/return", response.headers["Location"])
        # successful look-ups do not count toward the limit
        for _i in range(12):
            response = self._lookup(self.order_b.name, self.partner_b.email, ip=customer)
            self.assertEqual(response.status_code, 303)

    def test_photos_are_limited_per_return(self):
        self._login(self.portal_a)
        defective = self.env.ref("rma_returns.rma_reason_defective")
        lines = {self.line_a_fleece: (1, defective, "refund")}
        field = f"photo_{self.line_a_fleece.id}"
        attachments = self.env["ir.attachment"].search_count([])
        six = [(field, (f"p{i}.png", PNG_HEADER + bytes(10), "image/png")) for i in range(6)]
        response = self._post_return(self.order_a, lines, files=six)
        self.assertEqual(response.status_code, 200)
        self.assertIn("at most 5 photos", response.text)
        heavy = [
            (field, (f"p{i}.png", PNG_HEADER + bytes(4 * 1024 * 1024), "image/png"))
            for i in range(3)
        ]
        response = self._post_return(self.order_a, lines, files=heavy)
        self.assertEqual(response.status_code, 200)
        self.assertIn("larger than 10 MB together", response.text)
        self.assertFalse(self._returns_of(self.order_a))
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)
        response = self._post_return(self.order_a, lines, files=heavy[:2])
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self._returns_of(self.order_a).has_photo)


@tagged("post_install", "-at_install")
class TestRmaGuestLimitAtomic(TransactionCase):
    """Parallel look-ups cannot exceed the limit: each counts itself in one
    statement, and the database makes a concurrent one wait and retry."""

    def test_parallel_lookups_respect_the_limit(self):
        dbname = self.env.cr.dbname
        ip = f"192.0.2.{id(self) % 250}"
        limit = self.env["rma.guest.attempt"]._guest_limits()[1]
        results, barrier = [], threading.Barrier(limit + 3)

        def cleanup():
            with db_connect(dbname).cursor() as cr:
                cr.execute("DELETE FROM rma_guest_attempt WHERE key LIKE %s", [f"%{ip}%"])

        self.addCleanup(cleanup)
        # Odoo's own runner runs the tests while holding the registries' lock:
        # the look-ups' environments find the registry as a test server's
        # requests do (test mode swaps that lock for a dummy one)
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

        def lookup():
            barrier.wait()
            for _attempt in range(20):  # as Odoo retries a request
                with db_connect(dbname).cursor() as cr:
                    try:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        allowed, _ticket = env["rma.guest.attempt"]._rma_take(ip, "S-ATOMIC")
                        # its own connection, as a worker's request commits
                        cr.commit()  # pylint: disable=invalid-commit
                    except (errors.SerializationFailure, errors.DeadlockDetected):
                        cr.rollback()
                        continue
                results.append(allowed)
                return

        threads = [threading.Thread(target=lookup) for _i in range(limit + 3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(len(results), limit + 3)
        self.assertEqual(results.count(True), limit)
