from odoo.tests import HttpCase, new_test_user, tagged

from .common import RmaCommon

SLIP_TOKEN = "TourClerkSlipToken0123456789abcdef"


@tagged("post_install", "-at_install")
class TestRmaBackofficeTours(RmaCommon, HttpCase):
    """Each back-office role in a browser: the agent approves a return, the
    clerk scans a slip and receives the parcel, the accountant finds the
    invoice a return's credit note reverses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # returns wait for an agent
        cls.env.ref("rma_returns.rma_policy_default").auto_approve = False

    def _submitted_return(self, customer_name):
        customer = self.env["res.partner"].create({"name": customer_name})
        order = self._create_order([(self.product_a, 1.0)], partner=customer)
        rma = self._create_rma(order, {self.product_a: 1.0})
        rma.action_submit()
        self.assertEqual(rma.state, "submitted")
        return rma

    def test_agent_approves(self):
        rma = self._submitted_return("Tour Agent Customer")
        self.start_tour("/odoo", "rma_agent_approve_tour", login="rma_agent")
        self.assertEqual(rma.state, "approved")

    def test_clerk_scans_confirms_disposes_and_scans_the_next_parcel(self):
        new_test_user(
            self.env,
            login="rma_tour_clerk",
            groups="base.group_user,stock.group_stock_user",
            name="Carl Clerk",
        )
        customer = self.env["res.partner"].create({"name": "Tour Clerk Customer"})
        order = self._create_order([(self.product_a, 2.0), (self.product_b, 1.0)], partner=customer)
        rma = self._create_rma(order, {self.product_a: 2.0, self.product_b: 1.0})
        rma.description = "Left boot is scuffed."
        rma.action_submit()
        rma.action_approve()
        rma.slip_token = SLIP_TOKEN
        following = self._submitted_return("Tour Clerk Next Customer")
        following.action_approve()
        following.slip_token = "TourClerkNextSlip0123456789abcdef"
        stock = self.warehouse.lot_stock_id
        scrap = self.env["stock.location"].search(
            [("scrap_location", "=", True), ("company_id", "in", [self.company.id, False])],
            limit=1,
        )
        boots_before = self.product_a.with_context(location=stock.id).qty_available
        fleece_before = self.product_b.with_context(location=stock.id).qty_available
        self.start_tour("/rma/scan", "rma_clerk_scan_tour", login="rma_tour_clerk")
        lines = {line.product_id: line for line in rma.line_ids}
        self.assertEqual(lines[self.product_a].qty_received, 1.0)
        self.assertEqual(lines[self.product_b].qty_received, 1.0)
        self.assertEqual(lines[self.product_b].disposition, "scrap")
        self.assertEqual(
            self.product_a.with_context(location=stock.id).qty_available, boots_before + 1
        )
        self.assertEqual(
            self.product_b.with_context(location=stock.id).qty_available, fleece_before
        )
        self.assertEqual(self.product_b.with_context(location=scrap.id).qty_available, 1.0)
        self.assertEqual(
            rma._rma_pending_receipts().move_ids.product_uom_qty, 1.0, "one boot still to come"
        )
        self.assertEqual(following.line_ids.qty_received, 0.0, "the next parcel waits")

    def test_accountant_sees_the_reversed_invoice(self):
        new_test_user(
            self.env,
            login="rma_tour_accountant",
            groups="base.group_user,account.group_account_invoice",
            name="Ada Accountant",
        )
        rma = self._submitted_return("Tour Accountant Customer")
        invoice = rma.sale_order_id.invoice_ids
        credit_note = invoice._reverse_moves()
        credit_note.rma_order_id = rma
        credit_note.action_post()
        self.start_tour(
            "/odoo/action-rma_returns.account_move_action_rma_refund",
            "rma_accountant_credit_note_tour",
            login="rma_tour_accountant",
        )
