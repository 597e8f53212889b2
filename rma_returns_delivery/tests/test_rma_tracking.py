from datetime import timedelta

from odoo import fields
from odoo.addons.rma_returns.tests.common_flow import RmaFlowCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRmaTracking(RmaFlowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 3.0)])
        cls.company.rma_tracking_stall_days = 5

    def _approved(self):
        return self._approve(self._create_rma(self.order, {self.product_a: 1.0}))

    def _age(self, rma, days):
        # milestone dates are the flow's: set as the system
        rma.sudo().date_approved = fields.Datetime.now() - timedelta(days=days)

    def test_no_carrier_keeps_slip(self):
        """A warehouse without return carrier: no label, the customer pays."""
        rma = self._approved()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.label_state, "none")
        self.assertEqual(rma.postage_payer, "customer")

    def test_manual_events_timeline(self):
        """Scans typed in by hand (carrier not integrated) form the timeline in
        scan order; the same external id twice is one event."""
        rma = self._approved()
        now = fields.Datetime.now()
        rma._rma_record_tracking("in_transit", now - timedelta(days=1), "Hub", "b")
        rma._rma_record_tracking("picked_up", now - timedelta(days=2), "Door", "a")
        rma._rma_record_tracking("picked_up", now - timedelta(days=2), "Door", "a")
        self.assertEqual(rma.tracking_event_ids.mapped("code"), ["in_transit", "picked_up"])
        self.assertEqual(rma.tracking_status, "in_transit")

    def test_stalled_parcel_flagged_and_reminded_once(self):
        rma = self._approved()
        moving = self._approved()
        self._age(rma, 6)
        self._age(moving, 6)
        moving._rma_record_tracking("picked_up", fields.Datetime.now() - timedelta(days=1))
        fresh = self._approved()
        self._age(fresh, 2)
        Rma = self.env["rma.order"]
        Rma._cron_flag_stalled_parcels()
        self.assertTrue(rma.tracking_stalled)
        self.assertFalse(moving.tracking_stalled)
        self.assertFalse(fresh.tracking_stalled)
        reminders = rma.message_ids.filtered(
            lambda m: self.customer in m.partner_ids and "not been on its way" in m.body
        )
        self.assertEqual(len(reminders), 1)
        # the parcel moves, then stalls again: flagged, but not reminded twice
        rma._rma_record_tracking("picked_up", fields.Datetime.now() - timedelta(days=10))
        self.assertFalse(rma.tracking_stalled)
        Rma._cron_flag_stalled_parcels()
        self.assertTrue(rma.tracking_stalled)
        reminders = rma.message_ids.filtered(lambda m: "not been on its way" in (m.body or ""))
        self.assertEqual(len(reminders), 1)
