from odoo.exceptions import AccessError
from odoo.tests import tagged

from .portal_common import RmaPortalCommon
from .test_rma_policy import RmaPolicyCommon


@tagged("post_install", "-at_install")
class TestRmaPolicyPublicExplanation(RmaPolicyCommon):
    """Customers read why, without the shop's internal risk limits."""

    def test_customer_does_not_read_the_limits(self):
        self.policy.write(
            {"auto_approve_max_amount": 100.0, "max_return_rate": 30.0, "return_rate_days": 90}
        )
        rma = self._rma({self.product_a: 2.0}, reason=self.reasons["wrong_size"])
        rma.action_submit()
        self.assertEqual(rma.decision, "review")
        self.assertIn("auto-approval limit", rma.decision_explanation)
        self.assertIn("% of the value delivered", rma.decision_explanation)
        public = rma.decision_explanation_public
        self.assertNotIn("auto-approval limit", public)
        self.assertNotIn("100.00", public, "the limit's amount")
        self.assertNotIn("% of the value delivered", public)
        self.assertNotIn("30.0%", public)
        self.assertIn("Our team checks returns of this value in person.", public)
        self.assertIn("within the 30-day window", public, "the rules that apply to all stay")
        self.assertIn("Decision: to review by an agent.", public)

    def test_failed_fast_refund_reads_as_a_plain_timing(self):
        self.policy.write({"refund_timing": "approval", "fast_refund_max_amount": 50.0})
        rma = self._rma({self.product_a: 1.0}, reason=self.reasons["wrong_size"])
        result = self._evaluate(rma)
        self.assertIn("No fast refund", result["explanation"])
        self.assertNotIn("No fast refund", result["explanation_public"])
        self.assertIn("Refund once the goods are received.", result["explanation_public"])


@tagged("post_install", "-at_install")
class TestRmaPortalPublicExplanation(RmaPortalCommon):
    def test_portal_page_and_preview_hide_the_limits(self):
        policy = self.env.ref("rma_returns.rma_policy_default")
        policy.write({"auto_approve_max_amount": 50.0})
        self._login(self.portal_a)
        reason = self.env.ref("rma_returns.rma_reason_wrong_size")
        preview = self._post_return(
            self.order_a, {self.line_a_boots: (1, reason, "refund")}, step="preview"
        )
        self.assertEqual(preview.status_code, 200)
        self.assertIn("Our team checks returns of this value in person.", preview.text)
        self.assertNotIn("auto-approval limit", preview.text)
        response = self._post_return(self.order_a, {self.line_a_boots: (1, reason, "refund")})
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a)
        self.assertEqual(rma.decision, "review")
        self.assertIn("auto-approval limit", rma.decision_explanation)
        page = self.url_open(f"/my/returns/{rma.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("checking your request and will reply within one business day", page.text)
        self.assertNotIn("auto-approval limit", page.text)
        self.assertNotIn("50.00", page.text)

    def test_customer_cannot_read_the_limits_through_the_orm(self):
        """The web client's RPC reads as the portal user: the internal
        explanation and the customer's return rate stay the shop's."""
        policy = self.env.ref("rma_returns.rma_policy_default")
        policy.write({"auto_approve_max_amount": 50.0})
        self._login(self.portal_a)
        reason = self.env.ref("rma_returns.rma_reason_wrong_size")
        response = self._post_return(self.order_a, {self.line_a_boots: (1, reason, "refund")})
        self.assertEqual(response.status_code, 303)
        rma = self._returns_of(self.order_a)
        self.assertIn("auto-approval limit", rma.decision_explanation)
        as_customer = rma.with_user(self.portal_a)
        self.assertEqual(as_customer.read(["decision"])[0]["decision"], "review")
        self.assertIn(
            "Our team checks returns of this value in person.",
            as_customer.read(["decision_explanation_public"])[0]["decision_explanation_public"],
        )
        for fname in ("decision_explanation", "return_rate"):
            with self.assertRaises(AccessError, msg=fname):
                as_customer.read([fname])
