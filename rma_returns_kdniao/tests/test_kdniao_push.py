import json

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import KdniaoCommon
from .kdniao_server import APP_KEY, EBUSINESS_ID, sign


@tagged("post_install", "-at_install")
class TestKdniaoPush(KdniaoCommon, HttpCase):
    def _push(self, rma, traces, state="2", app_key=APP_KEY):
        request_data = json.dumps(
            {
                "PushTime": "2026-11-30 10:00:00",
                "EBusinessID": EBUSINESS_ID,
                "Count": "1",
                "Data": [
                    {
                        "EBusinessID": EBUSINESS_ID,
                        "ShipperCode": "SF",
                        "LogisticCode": rma.tracking_ref,
                        "Success": True,
                        "State": state,
                        "Traces": traces,
                    }
                ],
            },
            ensure_ascii=False,
        )
        return self.url_open(
            "/rma/kdniao/push",
            data={
                "RequestData": request_data,
                "DataSign": sign(request_data, app_key),
                "RequestType": "101",
            },
        )

    def _trace(self, time, station, action):
        return {"AcceptTime": time, "AcceptStation": station, "Action": action}

    def test_push_twice_and_out_of_order(self):
        """Scans pushed twice are recorded once; a late push of an older scan
        keeps the timeline in scan order and does not change the status."""
        rma = self._approved_return()
        picked = self._trace("2026-11-30 09:00:00", "Picked up in Grenoble", "1")
        delivered = self._trace("2026-12-02 15:30:00", "Signed for at Lyon warehouse", "3")
        transit = self._trace("2026-12-01 08:00:00", "Left Grenoble hub", "2")
        response = self._push(rma, [picked, delivered], state="3")
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.assertTrue(answer["Success"])
        self.assertEqual(answer["EBusinessID"], EBUSINESS_ID)
        self.assertTrue(answer["UpdateTime"])
        self._push(rma, [picked, delivered], state="3")  # the same push again
        self.assertEqual(len(rma.tracking_event_ids), 2)
        self._push(rma, [transit])  # an older scan arriving late
        self.assertEqual(
            rma.tracking_event_ids.mapped("code"), ["delivered", "in_transit", "picked_up"]
        )
        self.assertEqual(rma.tracking_status, "delivered")
        # 15:30 China time is 07:30 UTC
        self.assertEqual(str(rma.date_last_tracking), "2026-12-02 07:30:00")
        self.assertEqual(rma.tracking_event_ids.mapped("source"), ["push"] * 3)
        page = self.url_open(f"/my/returns/{rma.id}?access_token={rma._portal_ensure_token()}")
        self.assertLess(
            page.text.index("Signed for at Lyon warehouse"), page.text.index("Left Grenoble hub")
        )
        notes = rma.message_ids.filtered(lambda m: "delivered the parcel" in (m.body or ""))
        self.assertEqual(len(notes), 1, "one note for the clerk, even with the push twice")
        receipt_notes = self._receipt(rma).message_ids.filtered(
            lambda m: "delivered the parcel" in (m.body or "")
        )
        self.assertEqual(len(receipt_notes), 1)

    def test_bad_signature_refused(self):
        rma = self._approved_return()
        trace = self._trace("2026-11-30 09:00:00", "Picked up", "1")
        response = self._push(rma, [trace], app_key="not-the-key")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(response.json()["Success"])
        self.assertFalse(rma.tracking_event_ids)
        garbage = self.url_open("/rma/kdniao/push", data={"RequestData": "{oops", "DataSign": ""})
        self.assertEqual(garbage.status_code, 403)

    def test_poll_fallback(self):
        """The scheduled query (1002) records what the pushes missed, once."""
        rma = self._approved_return()
        self.kdniao.traces = [
            {"AcceptTime": "2026/11/30 09:00:00", "AcceptStation": "Picked up"},
            {"AcceptTime": "2026/12/01 08:00:00", "AcceptStation": "Out for delivery"},
        ]
        self.kdniao.state = "2"
        self.env["rma.order"]._cron_kdniao_poll()
        self.env["rma.order"]._cron_kdniao_poll()
        (query, _again) = self._requests("1002")
        self.assertEqual(query["LogisticCode"], rma.tracking_ref)
        self.assertEqual(len(rma.tracking_event_ids), 2)
        self.assertEqual(rma.tracking_status, "in_transit")
        self.assertEqual(rma.tracking_event_ids.mapped("source"), ["poll", "poll"])

    def test_portal_pickup_choice(self):
        """The customer (with the return's link) picks a pickup window on the
        portal; the booking goes to Kdniao in that window. A window that was
        not offered gets a message, not an error page."""
        rma = self._approved_return()
        token = rma._portal_ensure_token()
        self.authenticate(None, None)
        page = self.url_open(f"/my/returns/{rma.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_rma_pickup_form", page.text)
        label = rma.label_attachment_ids
        self.assertIn(f"/my/returns/{rma.id}/label/{label.id}", page.text)
        download = self.url_open(f"/my/returns/{rma.id}/label/{label.id}?access_token={token}")
        self.assertEqual(download.status_code, 200)
        self.assertIn(rma.tracking_ref.encode(), download.content)
        other = self._receipt(rma).sudo().return_label_ids  # not the return's own copy
        stray = self.url_open(f"/my/returns/{rma.id}/label/{other.id}?access_token={token}")
        self.assertEqual(stray.status_code, 404)
        url = f"/my/returns/{rma.id}/pickup?access_token={token}"
        csrf = http.Request.csrf_token(self)
        wrong = self.url_open(url, data={"csrf_token": csrf, "slot": "2020-01-01-am"})
        self.assertEqual(wrong.status_code, 200)
        self.assertIn("Choose one of the pickup windows offered", wrong.text)
        self.assertEqual(rma.pickup_state, "none")
        slot = rma._rma_pickup_slots()[1]
        response = self.url_open(
            url, data={"csrf_token": csrf, "slot": slot["key"]}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=pickup_booked", response.headers["Location"])
        self.assertEqual(rma.pickup_state, "booked")
        self.assertEqual(rma.pickup_start, slot["start"])
        (booking,) = self._requests("1801")
        self.assertEqual(booking["LogisticCode"], rma.tracking_ref)
        page = self.url_open(f"/my/returns/{rma.id}?access_token={token}")
        self.assertNotIn("o_rma_pickup_form", page.text)
        self.assertIn("o_rma_pickup", page.text)

    def test_pickup_scan_refunds_trusted_customers(self):
        """Refund at carrier scan: the pushed "picked up" scan refunds the
        return of a customer under the policy's return-rate limit (credit note
        posted), not that of a customer above it (refund once received)."""
        self.policy.write({"refund_timing": "carrier_scan", "fast_refund_max_rate": 30.0})
        trusted = self._approved_return()  # first return: 0% returned before
        self.assertEqual(trusted.refund_timing, "carrier_scan")
        self.assertIn("when the carrier scans the parcel", trusted.decision_explanation)
        self.assertFalse(trusted.credit_note_ids, "no refund before the carrier has it")
        # the same customer returns the second pair: 50% returned before
        untrusted = self._approved_return()
        self.assertEqual(untrusted.refund_timing, "receipt")
        self.assertIn("No fast refund", untrusted.decision_explanation)
        # a "picked up" typed by an agent is not the carrier's word: no money
        self.env["rma.tracking.event"].with_user(self.agent).create(
            {"rma_id": trusted.id, "code": "picked_up", "date": "2026-11-30 08:00:00"}
        )
        self.assertTrue(trusted.tracking_event_ids)
        self.assertFalse(trusted.date_carrier_scan)
        self.assertFalse(trusted.credit_note_ids)
        picked = self._trace("2026-11-30 09:00:00", "Picked up in Grenoble", "1")
        self._push(trusted, [picked])
        self._push(trusted, [picked])  # twice: one refund
        (note,) = trusted.credit_note_ids
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.move_type, "out_refund")
        self.assertAlmostEqual(note.amount_untaxed, 100.0)
        self.assertEqual(trusted.state, "approved", "the goods are still on their way")
        self.assertEqual(trusted.line_ids.qty_refunded, 1.0)
        self._push(untrusted, [picked])
        self.assertTrue(untrusted.tracking_event_ids)
        self.assertFalse(untrusted.credit_note_ids)
        # the goods arrive: each refunded once
        self._validate(self._receipt(trusted))
        self._validate(self._receipt(untrusted))
        self.assertEqual(len(trusted.credit_note_ids), 1)
        self.assertEqual(len(untrusted.credit_note_ids), 1)
        self.assertAlmostEqual(untrusted.credit_note_ids.amount_untaxed, 100.0)

    def test_pushed_nodes_mail_the_customer_once(self):
        """The same push twice, then an older scan late: the customer hears of
        "picked up" once and never of the late, older scan."""
        self.env["rma.order.notification"].search([("state", "=", "pending")])._rma_send()
        rma = self._approved_return()
        picked = self._trace("2026-11-30 09:00:00", "Picked up in Grenoble", "1")
        transit = self._trace("2026-12-01 08:00:00", "Left Grenoble hub", "2")
        self._push(rma, [picked])
        self._push(rma, [picked])
        self.env["rma.order.notification"]._cron_send()
        self._push(rma, [transit])  # in transit is not mailed by default
        events = self.env["rma.order.notification"].search([("rma_id", "=", rma.id)])
        self.assertEqual(sorted(events.mapped("event")), ["approved", "tracking_picked_up"])

    def test_portal_pickup_tour(self):
        """In the browser: the customer picks the second window offered and
        books it; Kdniao gets the booking for that window."""
        rma = self._approved_return()
        token = rma._portal_ensure_token()
        slot = rma._rma_pickup_slots()[1]
        self.start_tour(f"/my/returns/{rma.id}?access_token={token}", "rma_kdniao_pickup_tour")
        self.assertEqual(rma.pickup_state, "booked")
        self.assertEqual(rma.pickup_start, slot["start"])
        self.assertEqual(rma.pickup_end, slot["end"])
        (booking,) = self._requests("1801")
        self.assertEqual(booking["LogisticCode"], rma.tracking_ref)
