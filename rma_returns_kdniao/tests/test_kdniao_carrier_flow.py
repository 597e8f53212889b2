from odoo.tests import tagged

from .common import KdniaoCommon

LABEL = "rma_returns.action_report_rma_slip_label"


@tagged("post_install", "-at_install")
class TestKdniaoCarrierFlow(KdniaoCommon):
    """What the customer receives with a Kdniao label: the label with the
    approval e-mail (or one follow-up when it comes later), on the 4x6 slip;
    and the customs data of a cross-border return."""

    def setUp(self):
        super().setUp()
        # e-mails queued before the test are not its to count
        self.env["rma.order.notification"].search([("state", "=", "pending")])._rma_send()

    def _customer_mails(self, rma):
        self.env["rma.order.notification"]._cron_send()
        return rma.message_ids.filtered(
            lambda m: m.notification_ids.filtered(
                lambda n: n.res_partner_id == self.customer and n.notification_type == "email"
            )
        ).sorted("id")

    def test_label_attached_to_the_approval_mail(self):
        rma = self._approved_return()
        self.assertEqual(rma.label_state, "done", rma.label_error)
        mails = self._customer_mails(rma)
        self.assertEqual(len(mails), 1, "one e-mail for the approval, label included")
        self.assertIn("is approved", mails.subject)
        label = mails.attachment_ids.filtered(lambda a: rma.tracking_ref in a.name)
        self.assertEqual(len(label), 1, mails.attachment_ids.mapped("name"))
        self.assertIn(rma.tracking_ref.encode(), label.raw)
        self.assertTrue(mails.attachment_ids.filtered(lambda a: a.name.startswith("Return Slip")))

    def test_late_label_sent_in_one_follow_up(self):
        self.kdniao.mode = "500"
        rma = self._approved_return()
        self.assertEqual(rma.label_state, "failed")
        (approval,) = self._customer_mails(rma)
        self.assertFalse(approval.attachment_ids.filtered(lambda a: "SF" in a.name))
        self.kdniao.mode = "ok"
        Rma = self.env["rma.order"]
        Rma._cron_retry_return_labels()
        self.assertEqual(rma.label_state, "done")
        Rma._cron_retry_return_labels()  # nothing left to retry: no second e-mail
        approval_again, follow_up = self._customer_mails(rma)
        self.assertEqual(approval_again, approval)
        self.assertIn("prepaid label", follow_up.subject)
        self.assertIn(rma.tracking_ref, follow_up.body)
        (label,) = follow_up.attachment_ids
        self.assertIn(rma.tracking_ref.encode(), label.raw)

    def test_label_before_the_approval_mail_left_is_in_it(self):
        """The cron sends the approval e-mail after the label came: the label
        rides along, no follow-up."""
        self.kdniao.mode = "500"
        rma = self._approved_return()
        self.kdniao.mode = "ok"
        self.env["rma.order"]._cron_retry_return_labels()
        (approval,) = self._customer_mails(rma)
        self.assertTrue(approval.attachment_ids.filtered(lambda a: rma.tracking_ref in a.name))

    def test_slip_prints_the_carrier_label(self):
        rma = self._approved_return()
        html = str(self.env["ir.actions.report"]._render_qweb_html(LABEL, rma.ids)[0])
        self.assertIn(f"E-waybill {rma.tracking_ref}", html)
        self.assertIn("o_rma_slip_carrier_label", html)
        self.assertNotIn("RETURN TO", html, "the carrier's label replaces the address block")
        # without a label, the plain address block stays
        self.kdniao.mode = "refuse"
        other = self._approved_return()
        html = str(self.env["ir.actions.report"]._render_qweb_html(LABEL, other.ids)[0])
        self.assertIn("RETURN TO", html)
        self.assertNotIn("o_rma_slip_carrier_label", html)

    def _cross_border(self):
        """The customer moves to Geneva (Switzerland): the return to Lyon is cross-border."""
        self.customer.country_id = self.env.ref("base.ch")
        self.product_a.write(
            {"rma_hs_code": "6403.91", "rma_origin_country_id": self.env.ref("base.vn").id}
        )

    def test_customs_data_in_the_ewaybill(self):
        self._cross_border()
        rma = self._approved_return()
        self.assertTrue(rma.is_cross_border)
        self.assertEqual(rma.label_state, "done", rma.label_error)
        (payload,) = self._requests("1007")
        (item,) = payload["Commodity"]
        unit = rma.line_ids.price_subtotal
        self.assertEqual(item["GoodsName"], "Hiking Boots")
        self.assertEqual(item["Goodsquantity"], 1)
        self.assertEqual(item["GoodsPrice"], unit)
        self.assertEqual(item["GoodsDesc"], "HS:6403.91 Origin:VN")
        self.assertEqual(payload["CurrencyCode"], self.order.currency_id.name)
        self.assertEqual(payload["Dutiable"], {"DeclaredValue": unit})

    def test_missing_customs_data_holds_the_label(self):
        """No label is bought while the products lack customs data; the message
        names the product and the fields; completed, the agent asks again."""
        self._cross_border()
        self.product_a.write({"rma_hs_code": False, "rma_origin_country_id": False})
        rma = self._approved_return()
        self.assertEqual(rma.state, "approved")
        self.assertEqual(rma.label_state, "held")
        self.assertIn("Hiking Boots: HS code, country of origin", rma.label_error)
        self.assertFalse(self._requests("1007"), "no label bought")
        self.assertFalse(rma.tracking_ref)
        self.env["rma.order"]._cron_retry_return_labels()
        self.assertFalse(self._requests("1007"))
        self.product_a.write(
            {"rma_hs_code": "6403.91", "rma_origin_country_id": self.env.ref("base.vn").id}
        )
        rma.with_user(self.agent).action_retry_return_label()
        self.assertEqual(rma.label_state, "done", rma.label_error)
        (payload,) = self._requests("1007")
        self.assertEqual(payload["Commodity"][0]["GoodsDesc"], "HS:6403.91 Origin:VN")

    def test_production_services(self):
        """In production each interface goes to its own Kdniao service."""
        self.carrier.prod_environment = True
        rma = self._approved_return()
        self.assertEqual(rma.label_state, "done", rma.label_error)
        slot = rma._rma_pickup_slots()[0]
        rma._rma_book_pickup(slot["start"], slot["end"])
        self.env["rma.order"]._cron_kdniao_poll()
        self.assertEqual(
            self.kdniao.paths,
            [
                ("1007", "/api/EOrderService"),
                ("1801", "/api/OOrderService"),
                ("1002", "/Ebusiness/EbusinessOrderHandle.aspx"),
            ],
        )
        self.carrier.prod_environment = False
        rma.with_user(self.agent).action_cancel_pickup()
        self.assertEqual(self.kdniao.paths[-1], ("1802", "/api/EOrderService"))
