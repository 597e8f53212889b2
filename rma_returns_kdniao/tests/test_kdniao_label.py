from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KdniaoCommon


@tagged("post_install", "-at_install")
class TestKdniaoLabel(KdniaoCommon):
    def test_label_on_approval(self):
        """Approval asks Kdniao for the e-waybill (signed, customer → warehouse);
        the tracking number and the label land on the receipt and the return."""
        rma = self._approved_return()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.warehouse_id, self.lyon)
        (payload,) = self._requests("1007")  # the stand-in checked the DataSign
        receipt = self._receipt(rma)
        self.assertEqual(payload["OrderCode"], receipt.name)
        self.assertEqual(payload["ShipperCode"], "SF")
        self.assertEqual(payload["Sender"]["Name"], "Ruth Returner")
        self.assertEqual(payload["Sender"]["Mobile"], "+33 6 11 22 33 44")
        self.assertEqual(payload["Receiver"]["CityName"], "Lyon")
        self.assertEqual(
            payload["Commodity"],
            [{"GoodsName": "Hiking Boots", "Goodsquantity": 1, "GoodsPrice": 100.0}],
        )
        self.assertNotIn("Dutiable", payload, "domestic: nothing to declare")
        self.assertEqual(rma.label_state, "done", rma.label_error)
        self.assertTrue(rma.tracking_ref.startswith("SF"))
        self.assertEqual(receipt.carrier_tracking_ref, rma.tracking_ref)
        self.assertEqual(rma.carrier_name, "SF via Kdniao")
        self.assertEqual(rma.postage_payer, "shop")
        self.assertEqual(len(receipt.return_label_ids), 1)
        self.assertIn(rma.tracking_ref.encode(), receipt.return_label_ids.raw)
        self.assertEqual(rma.label_attachment_ids.res_model, "rma.order")
        self.assertEqual(rma.label_attachment_ids.raw, receipt.return_label_ids.raw)

    def test_refused_request_is_shown(self):
        """Kdniao refusing the request (Success false): the Reason is shown; the
        agent asks again once fixed, a warehouse clerk may not."""
        self.kdniao.mode = "refuse"
        rma = self._approved_return()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.label_state, "failed")
        self.assertIn("Address not served", rma.label_error)
        self.kdniao.mode = "ok"
        clerk = new_test_user(self.env, login="rma_clerk", groups="stock.group_stock_user")
        with self.assertRaises(AccessError):
            rma.with_user(clerk).action_retry_return_label()
        self.assertEqual(rma.label_state, "failed")
        rma.with_user(self.agent).action_retry_return_label()
        self.assertEqual(rma.label_state, "done")
        self.assertTrue(rma.tracking_ref)

    def test_customer_charged_for_prepaid_label(self):
        """The policy charges return shipping: the shop prepays the label and the
        fee is deducted from the refund."""
        self.policy.write({"shipping_fee": 7.0, "shipping_payer": "customer"})
        rma = self._approved_return()
        self.assertEqual(rma.shipping_fee, 7.0)
        self.assertEqual(rma.label_state, "done")
        self.assertEqual(rma.postage_payer, "shop_fee")

    def test_downtime_does_not_block_approval(self):
        """Kdniao down (HTTP 500): approval goes through, the error is shown on
        the return and in its chatter, and the retry cron gets the label once
        the service is back."""
        self.kdniao.mode = "500"
        rma = self._approved_return()
        self.assertEqual(rma.state, "approved")
        self.assertTrue(self._receipt(rma))
        self.assertEqual(rma.label_state, "failed")
        self.assertIn("500", rma.label_error)
        self.assertFalse(rma.tracking_ref)
        self.assertFalse(rma.label_attachment_ids)
        self.assertIn("could not be made", rma.message_ids[0].body)
        # still down: the cron leaves it failed
        self.env["rma.order"]._cron_retry_return_labels()
        self.assertEqual(rma.label_state, "failed")
        self.kdniao.mode = "ok"
        self.env["rma.order"]._cron_retry_return_labels()
        self.assertEqual(rma.label_state, "done")
        self.assertFalse(rma.label_error)
        self.assertTrue(rma.tracking_ref)
        self.assertEqual(len(self._receipt(rma).return_label_ids), 1)

    def test_connection_refused(self):
        """Nothing listens at the gateway address: same as downtime."""
        self.carrier.kdniao_api_url = "http://127.0.0.1:9/api/EOrderService"
        rma = self._approved_return()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.label_state, "failed")
        self.assertIn("not reachable", rma.label_error)

    def test_customer_pays_without_carrier(self):
        """No return carrier: no label, the slip is the fallback, customer pays."""
        self.lyon.rma_return_carrier_id = False
        rma = self._approved_return()
        self.assertEqual(rma.label_state, "none")
        self.assertEqual(rma.postage_payer, "customer")
        self.assertFalse(self.kdniao.requests)

    def test_pickup_booking_and_cancel(self):
        """A door pickup in the customer's window (1801, China time), then
        cancelled (1802)."""
        rma = self._approved_return()
        self.assertTrue(rma.can_book_pickup)
        start = fields.Datetime.now().replace(microsecond=0, second=0, minute=0) + timedelta(days=1)
        start = start.replace(hour=1)  # 09:00 in China
        ref = rma._rma_book_pickup(start, start + timedelta(hours=3))
        (payload,) = self._requests("1801")
        self.assertEqual(payload["StartDate"], start.strftime("%Y-%m-%d 09:00:00"))
        self.assertEqual(payload["EndDate"], start.strftime("%Y-%m-%d 12:00:00"))
        self.assertEqual(payload["LogisticCode"], rma.tracking_ref)
        self.assertTrue(ref.startswith("KDNP"))
        self.assertEqual(rma.pickup_state, "booked")
        self.assertFalse(rma.can_book_pickup)
        rma.with_user(self.agent).action_cancel_pickup()
        (cancel,) = self._requests("1802")
        self.assertEqual(cancel["OrderCode"], payload["OrderCode"])
        self.assertEqual(cancel["ExpNo"], rma.tracking_ref)
        self.assertEqual(rma.pickup_state, "cancelled")

    def test_pickup_window_in_the_past_refused(self):
        rma = self._approved_return()
        past = fields.Datetime.now() - timedelta(hours=5)
        with self.assertRaisesRegex(UserError, "future"):
            rma._rma_book_pickup(past, past + timedelta(hours=2))
        self.assertFalse(self._requests("1801"))
