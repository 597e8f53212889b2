from datetime import timedelta

from odoo import fields
from odoo.addons.rma_returns.tests.common_flow import RmaFlowCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRmaTrackingMail(RmaFlowCommon):
    """The parcel's key nodes, as the customer and the clerk notice them; the
    customs data a generic carrier connector receives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order([(cls.product_a, 3.0)])
        cls.company.write(
            {
                "rma_notify_tracking_picked_up": True,
                "rma_notify_tracking_in_transit": False,
                "rma_notify_tracking_out_for_delivery": False,
                "rma_notify_tracking_delivered": True,
                "rma_notify_tracking_exception": True,
            }
        )

    def setUp(self):
        super().setUp()
        self.env["rma.order.notification"].search([("state", "=", "pending")])._rma_send()
        self.rma = self._approve(self._create_rma(self.order, {self.product_a: 1.0}))
        self.now = fields.Datetime.now()

    def _scan(self, code, hours_ago, key, rma=None):
        (rma or self.rma)._rma_record_tracking(
            code, self.now - timedelta(hours=hours_ago), code, key, "push"
        )

    def _parcel_subjects(self, rma=None):
        """Subjects of the parcel e-mails the customer received, oldest first."""
        rma = rma or self.rma
        self.env["rma.order.notification"]._cron_send()
        mails = rma.message_ids.filtered(
            lambda m: (
                "parcel" in (m.subject or "")
                and m.notification_ids.filtered(
                    lambda n: n.res_partner_id == self.customer and n.notification_type == "email"
                )
            )
        )
        return [m.subject.split(": ", 1)[1] for m in mails.sorted("id")]

    def test_configured_nodes_each_mailed_once(self):
        name = self.rma.name
        self._scan("picked_up", 30, "a")
        self._scan("picked_up", 30, "a")  # the same push twice
        self._scan("in_transit", 20, "b")  # not chosen in the settings
        self._scan("delivered", 2, "c")
        self._scan("delivered", 1, "d")  # a second delivery scan: told already
        self._scan("out_for_delivery", 5, "e")  # late and older: nothing new
        self.assertEqual(
            self._parcel_subjects(),
            [
                f"your return parcel {name} is on its way",
                f"your return parcel {name} reached our warehouse",
            ],
        )

    def test_late_older_scan_is_not_mailed(self):
        """Delivered arrives first: the customer is not told afterwards that
        the parcel was picked up."""
        self._scan("delivered", 1, "c")
        self._scan("picked_up", 30, "a")
        self.assertEqual(
            self._parcel_subjects(), [f"your return parcel {self.rma.name} reached our warehouse"]
        )

    def test_one_push_with_several_nodes_is_one_mail(self):
        self.rma.env["rma.tracking.event"]._rma_record(
            [
                {
                    "rma_id": self.rma.id,
                    "code": code,
                    "date": self.now - timedelta(hours=h),
                    "external_id": code,
                    "source": "push",
                }
                for code, h in (("picked_up", 30), ("delivered", 1))
            ]
        )
        self.assertEqual(
            self._parcel_subjects(), [f"your return parcel {self.rma.name} reached our warehouse"]
        )

    def test_exception_mailed_and_switched_off_nodes_silent(self):
        self.company.write({"rma_notify_tracking_picked_up": False})
        self._scan("picked_up", 30, "a")
        self._scan("exception", 10, "x")
        self.assertEqual(
            self._parcel_subjects(), [f"a problem with your return parcel {self.rma.name}"]
        )

    def test_delivered_opens_the_receipt_for_the_clerk(self):
        # the warehouse's setup: the receipt's responsible is the clerk
        receipt = self._receipt(self.rma).sudo()
        receipt.user_id = self.clerk
        self._scan("delivered", 1, "c")
        activity = receipt.activity_ids
        self.assertEqual(activity.user_id, self.clerk)
        self.assertIn(self.rma.name, activity.summary)
        found = (
            self.env["stock.picking"]
            .with_user(self.clerk)
            .search(
                [
                    ("rma_order_id.tracking_status", "=", "delivered"),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
        )
        self.assertIn(receipt, found)
        # switched off: no activity, the filter still finds it
        self.company.rma_tracking_open_receipt = False
        other = self._approve(self._create_rma(self.order, {self.product_a: 1.0}))
        self._receipt(other).sudo().user_id = self.clerk
        self._scan("delivered", 1, "c", rma=other)
        self.assertFalse(self._receipt(other).sudo().activity_ids)

    def test_generic_connector_gets_customs_data(self):
        """A carrier connector of stock_delivery builds its customs declaration
        from the commodities: HS code, origin, declared value per unit in the
        order's currency."""
        self.product_a.write(
            {"rma_hs_code": "6403.91", "rma_origin_country_id": self.env.ref("base.vn").id}
        )
        receipt = self._receipt(self.rma)
        (commodity,) = self.env["delivery.carrier"]._get_commodities_from_stock_move_lines(
            receipt.move_line_ids
        )
        self.assertEqual(commodity.product_id, self.product_a)
        self.assertEqual(commodity.qty, 1)
        self.assertEqual(commodity.hs_code, "6403.91")
        self.assertEqual(commodity.country_of_origin, "VN")
        self.assertAlmostEqual(commodity.monetary_value, self.rma.line_ids.price_subtotal)
        self.assertEqual(commodity.currency_code, self.order.currency_id.name)

    def test_missing_customs_named(self):
        self.product_a.write({"rma_hs_code": "6403.91", "rma_origin_country_id": False})
        self.rma.sudo().is_cross_border = True
        self.assertEqual(self.rma._rma_customs_missing(), "Hiking Boots: country of origin")
        self.rma.sudo().is_cross_border = False
        self.assertEqual(self.rma._rma_customs_missing(), "")
