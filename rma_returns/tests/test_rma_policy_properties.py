import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from odoo import Command, fields
from odoo.tests import tagged

from .test_rma_policy import RmaPolicyCommon

REASONS = ("changed_mind", "wrong_size", "defective", "wrong_item", "damaged_transit")
RESOLUTIONS = ("refund", "replacement", "exchange")
CONDITIONS = ("unopened", "opened", "damaged", "defective")

# Hypothesis' own files go to the temp folder, not into the source tree.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "rma_returns_hypothesis")

# Each example writes to the database: few examples, no deadline; no example
# database on disk (runs stay reproducible from the seed hypothesis prints).
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)

money = st.integers(min_value=0, max_value=40000).map(lambda cents: cents / 100.0)
policies = st.fixed_dictionaries(
    {
        "restocking_fee_percent": st.integers(min_value=0, max_value=100).map(float),
        "restocking_fee_fixed": money,
        "shipping_fee": money,
        "shipping_payer": st.sampled_from(["customer", "merchant"]),
        "return_days": st.integers(min_value=0, max_value=40),
        "auto_approve_max_amount": money,
        "refund_timing": st.sampled_from(["approval", "receipt", "inspection"]),
    }
)
lines = st.fixed_dictionaries(
    {
        "qty": st.integers(min_value=1, max_value=3).map(float),
        "reason": st.sampled_from(REASONS),
        "resolution": st.sampled_from(RESOLUTIONS),
        "condition": st.sampled_from(CONDITIONS),
    }
)
returns = st.fixed_dictionaries(
    {
        "boots": lines,
        "jacket": st.none() | lines,
        "delivered_days_ago": st.integers(min_value=0, max_value=45),
        "boots_returnable": st.booleans(),
        "jacket_returnable": st.booleans(),
    }
)

# Returns the policy approves while rejecting one of their lines (not
# returnable): the approval automation runs with a rejected line on board.
partly_rejected = st.fixed_dictionaries(
    {
        "kept": st.sampled_from(["boots", "jacket"]),
        "kept_qty": st.integers(min_value=1, max_value=3).map(float),
        "kept_reason": st.sampled_from(("changed_mind", "wrong_size")),
        "kept_resolution": st.sampled_from(("refund", "replacement")),
        "rejected_qty": st.integers(min_value=1, max_value=3).map(float),
        "rejected_reason": st.sampled_from(REASONS),
        "rejected_resolution": st.sampled_from(RESOLUTIONS),
        "refund_timing": st.sampled_from(["approval", "receipt"]),
    }
)


@tagged("post_install", "-at_install")
class TestRmaPolicyProperties(RmaPolicyCommon):
    """Invariants of the evaluation, over generated policies and returns.

    Every example runs in a savepoint that is rolled back, so that examples
    do not see each other's returns.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big_order = cls._create_order([(cls.product_a, 50.0), (cls.product_b, 50.0)])

    @contextmanager
    def _example(self):
        with self.env.cr.savepoint() as savepoint:
            try:
                yield
            finally:
                savepoint.rollback()
                self.env.invalidate_all()

    def _make_return(self, policy_vals, spec):
        """A draft return of the big order following ``spec``, under ``policy_vals``."""
        non_returnable = self.env["product.template"]
        if not spec["boots_returnable"]:
            non_returnable |= self.product_a.product_tmpl_id
        if not spec["jacket_returnable"]:
            non_returnable |= self.product_b.product_tmpl_id
        self.policy.write(
            dict(policy_vals, non_returnable_product_tmpl_ids=[Command.set(non_returnable.ids)])
        )
        self._set_delivered(
            self.big_order, fields.Datetime.now() - timedelta(days=spec["delivered_days_ago"])
        )
        sale_lines = {line.product_id: line for line in self.big_order.order_line}
        line_vals = []
        for product, key in ((self.product_a, "boots"), (self.product_b, "jacket")):
            if spec[key]:
                line_vals.append(
                    Command.create(
                        {
                            "sale_line_id": sale_lines[product].id,
                            "product_uom_qty": spec[key]["qty"],
                            "reason_id": self.reasons[spec[key]["reason"]].id,
                            "resolution": spec[key]["resolution"],
                            "condition": spec[key]["condition"],
                        }
                    )
                )
        return self.env["rma.order"].create(
            {"sale_order_id": self.big_order.id, "line_ids": line_vals}
        )

    @SETTINGS
    @given(policy_vals=policies, spec=returns)
    def test_fees_never_exceed_the_refund(self, policy_vals, spec):
        with self._example():
            rma = self._make_return(policy_vals, spec)
            result = self._evaluate(rma)
            kept = rma.line_ids.filtered(lambda ln: result["lines"][ln.id] != "reject")
            refund = sum(kept.filtered(lambda ln: ln.resolution == "refund").mapped("price_total"))
            self.assertAlmostEqual(result["refund_amount"], refund, places=2)
            self.assertGreaterEqual(result["restocking_fee"], 0.0)
            self.assertGreaterEqual(result["shipping_fee"], 0.0)
            self.assertLessEqual(
                result["fees"], result["refund_amount"] + 0.001, result["explanation"]
            )

    @SETTINGS
    @given(policy_vals=policies, spec=returns)
    def test_rejected_lines_never_move_nor_get_refunded(self, policy_vals, spec):
        with self._example():
            rma = self._make_return(policy_vals, spec)
            rma.action_submit()
            self.env.flush_all()
            rejected = rma.line_ids.filtered(lambda ln: ln.decision == "reject")
            self.assertEqual(rma.state == "rejected", rejected == rma.line_ids)
            moves = self.env["stock.move"].search([("rma_line_id", "in", rejected.ids)])
            self.assertFalse(moves, "a rejected line is never shipped back")
            credit_lines = self.env["account.move.line"].search(
                [
                    ("move_id.rma_order_id", "=", rma.id),
                    ("product_id", "in", rejected.product_id.ids),
                ]
            )
            self.assertFalse(credit_lines, "a rejected line is never refunded")
            if rma.state == "rejected":
                self.assertFalse(
                    self.env["account.move"].search_count([("rma_order_id", "=", rma.id)])
                )

    @SETTINGS
    @given(policy_vals=policies, spec=returns, other=returns)
    def test_same_input_same_decision(self, policy_vals, spec, other):
        with self._example():
            rma = self._make_return(policy_vals, spec)
            first = self._evaluate(rma)
            self.assertEqual(self._evaluate(rma), first, "evaluating twice")
            self.assertEqual(rma.state, "draft", "evaluating writes nothing")
            self.assertFalse(rma.decision)
            # evaluated in a batch with another return: the same result
            other_spec = dict(other, delivered_days_ago=spec["delivered_days_ago"])
            other_spec["boots_returnable"] = spec["boots_returnable"]
            other_spec["jacket_returnable"] = spec["jacket_returnable"]
            second = self._make_return(policy_vals, other_spec)
            batch = (rma | second)._rma_evaluate()
            self.assertEqual(batch[rma.id], first, "evaluating in a batch")
            self.assertEqual(batch[second.id], self._evaluate(second))

    def _partly_rejected_return(self, spec):
        """A return of boots and jackets where the ``kept`` product passes the
        policy and the other one is not returnable."""
        kept_key = spec["kept"]
        rejected_key = "jacket" if kept_key == "boots" else "boots"
        policy_vals = {
            "refund_timing": spec["refund_timing"],
            "restocking_fee_percent": 0.0,
            "restocking_fee_fixed": 0.0,
            "shipping_fee": 0.0,
            "auto_approve_max_amount": 0.0,
            "return_days": 30,
        }
        line_spec = {
            kept_key: {
                "qty": spec["kept_qty"],
                "reason": spec["kept_reason"],
                "resolution": spec["kept_resolution"],
                "condition": "unopened",
            },
            rejected_key: {
                "qty": spec["rejected_qty"],
                "reason": spec["rejected_reason"],
                "resolution": spec["rejected_resolution"],
                "condition": "unopened",
            },
            "delivered_days_ago": 3,
            f"{kept_key}_returnable": True,
            f"{rejected_key}_returnable": False,
        }
        rma = self._make_return(policy_vals, line_spec)
        product = {"boots": self.product_a, "jacket": self.product_b}
        kept = rma.line_ids.filtered(lambda ln: ln.product_id == product[kept_key])
        return rma, kept, rma.line_ids - kept

    @SETTINGS
    @given(spec=partly_rejected)
    def test_approved_return_leaves_its_rejected_line_alone(self, spec):
        """The automation ships back and refunds the approved line only."""
        with self._example():
            rma, kept, rejected = self._partly_rejected_return(spec)
            rma.action_submit()
            self.env.flush_all()
            self.assertEqual(rma.state, "approved", rma.decision_explanation)
            self.assertEqual(rejected.decision, "reject")
            self.assertEqual(kept.decision, "approve")
            # the approved line travels back; the rejected one never does
            self.assertEqual(sum(kept.move_ids.mapped("product_uom_qty")), kept.product_uom_qty)
            self.assertFalse(rejected.move_ids)
            self.assertNotIn(rejected.product_id, rma.picking_ids.move_ids.product_id)
            if spec["refund_timing"] == "approval" and kept.resolution == "refund":
                # fast refund: the credit note is made now, for the kept line only
                credit_notes = rma.credit_note_ids
                self.assertTrue(credit_notes, rma.decision_explanation)
                refunded = credit_notes.invoice_line_ids.filtered("product_id")
                self.assertEqual(refunded.product_id, kept.product_id)
                self.assertEqual(sum(refunded.mapped("quantity")), kept.product_uom_qty)
            else:
                self.assertFalse(rma.credit_note_ids)
            # receiving everything that comes back leaves the rejected line untouched
            rma.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).button_validate()
            self.assertEqual(rejected.qty_received, 0.0)
            self.assertNotIn(rejected.product_id, rma.credit_note_ids.invoice_line_ids.product_id)
