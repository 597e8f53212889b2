import threading
import time
from contextlib import closing
from functools import partial

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

LOGIN = "rma_concurrency_agent"


@tagged("post_install", "-at_install")
class TestRmaConcurrency(TransactionCase):
    """Two agents (or a customer's double click) return the same sale line at
    the same moment, each in its own transaction on its own connection.

    Separate connections only see committed data: the sale, its delivery and
    the agent are committed in a cursor of their own, and removed again by a
    cleanup that runs even when the test fails."""

    def setUp(self):
        super().setUp()
        self.created = {}
        self.addCleanup(self._remove_committed_data)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            agent = new_test_user(
                env,
                login=LOGIN,
                groups="base.group_user,rma_returns.group_rma_user",
                name="Concurrent Agent",
            )
            self.created["user"] = agent.id
            self.created["partners"] = agent.partner_id.ids
            customer = env["res.partner"].create({"name": "Connie Current"})
            self.created["partners"] += customer.ids
            product = env["product.product"].create(
                {"name": "Racing Bike", "type": "consu", "is_storable": True, "list_price": 900}
            )
            self.created["product"] = product.id
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 3.0)
            order = env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 3})
                    ],
                }
            )
            self.created["order"] = order.id
            order.action_confirm()
            order.picking_ids.move_ids.write({"quantity": 3.0, "picked": True})
            order.picking_ids.button_validate()
            self.assertEqual(order.order_line.qty_delivered, 3.0)
            self.sale_line_id = order.order_line.id
            self.reason_id = env.ref("rma_returns.rma_reason_wrong_size").id
        # leaving the block commits the cursor

    def _remove_committed_data(self):
        """Delete what setUp and the test committed. Done deliveries cannot be
        deleted through the ORM, so the stock and sale rows go by SQL, children
        first; the user, product and partners go through the ORM."""
        with self.registry.cursor() as cr:  # commits when the block ends
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            order = env["sale.order"].browse(self.created.get("order")).exists()
            product = env["product.product"].browse(self.created.get("product")).exists()
            rmas = env["rma.order"].search([("sale_order_id", "in", order.ids)])
            pickings = order.picking_ids
            moves = env["stock.move"].search([("product_id", "in", product.ids)])
            to_delete = [
                ("rma.order", rmas.ids),
                ("stock.move.line", moves.move_line_ids.ids),
                ("stock.quant", env["stock.quant"].search([("product_id", "in", product.ids)]).ids),
            ]
            if "stock.valuation.layer" in env:
                layers = env["stock.valuation.layer"].search([("product_id", "in", product.ids)])
                to_delete.append(("stock.valuation.layer", layers.ids))
            to_delete += [
                ("stock.move", moves.ids),
                ("stock.picking", pickings.ids),
                ("sale.order", order.ids),
                ("procurement.group", order.procurement_group_id.ids),
            ]
            for model, ids in to_delete:
                if ids:
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE id IN %s",
                            SQL.identifier(env[model]._table),
                            tuple(ids),
                        )
                    )
            for model, ids in [
                ("rma.order", rmas.ids),
                ("stock.picking", pickings.ids),
                ("sale.order", order.ids),
            ]:
                env["mail.message"].search([("model", "=", model), ("res_id", "in", ids)]).unlink()
                env["mail.followers"].search(
                    [("res_model", "=", model), ("res_id", "in", ids)]
                ).unlink()
            env.invalidate_all()
            product.product_tmpl_id.unlink()
            env["res.users"].browse(self.created.get("user")).exists().unlink()
            env["res.partner"].browse(self.created.get("partners", [])).exists().unlink()

    def _return_vals(self, qty):
        return {
            "sale_order_id": self.created["order"],
            "line_ids": [
                Command.create(
                    {
                        "sale_line_id": self.sale_line_id,
                        "product_uom_qty": qty,
                        "reason_id": self.reason_id,
                    }
                )
            ],
        }

    def _agent_env(self, cr):
        return api.Environment(cr, self.created["user"], {})

    def _wait_for_lock(self, pid, thread, timeout=20.0):
        """Wait until the backend ``pid`` waits for a lock (or ``thread`` ended)."""
        deadline = time.monotonic() + timeout
        with closing(self.registry.cursor()) as cr:
            while thread.is_alive() and time.monotonic() < deadline:
                cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
                if cr.fetchone()[0] == "Lock":
                    return True
                cr.rollback()  # a new transaction: fresh activity statistics
                time.sleep(0.05)
        return False

    def _requested(self):
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            lines = env["rma.order.line"].search([("sale_line_id", "=", self.sale_line_id)])
            return sum(lines.mapped("product_uom_qty"))

    @mute_logger("odoo.sql_db")
    def test_two_simultaneous_returns_cannot_both_take_the_last_unit(self):
        """3 delivered: A asks for 2 and holds its transaction open; B asks for
        2 at the same moment. B waits for A, then fails with a serialization
        error (Odoo retries such requests); retried, B is refused: at most 1."""
        with closing(self.registry.cursor()) as cr_a, closing(self.registry.cursor()) as cr_b:
            # B's transaction starts before A writes anything: its snapshot
            # cannot see A's return, as for two requests arriving together.
            cr_b.execute("SELECT pg_backend_pid()")
            pid_b = cr_b.fetchone()[0]
            env_a, env_b = self._agent_env(cr_a), self._agent_env(cr_b)
            env_a["rma.order"].create(self._return_vals(2.0))
            env_a.flush_all()

            outcome = {}

            def return_b():
                try:
                    env_b["rma.order"].create(self._return_vals(2.0))
                    env_b.flush_all()
                    outcome["b"] = "accepted"
                except Exception as exc:  # reported by the main thread
                    outcome["b"] = exc

            thread = threading.Thread(target=return_b, name="rma_return_b", daemon=True)
            thread.start()
            try:
                self.assertTrue(
                    self._wait_for_lock(pid_b, thread),
                    f"B should wait for A's lock on the sale line, got {outcome.get('b')!r}",
                )
                cr_a.commit()
            finally:
                if thread.is_alive():
                    cr_a.rollback()
                thread.join(timeout=30)
            self.assertFalse(thread.is_alive(), "B is still blocked")
            self.assertIsInstance(
                outcome["b"],
                SerializationFailure | ValidationError,
                "B must not get the unit A just took",
            )
            cr_b.rollback()
            self.assertEqual(self._requested(), 2.0)

            # Odoo's RPC and HTTP layers retry a request that failed that way:
            # in a new transaction, B sees A's return and is refused.
            with self.assertRaisesRegex(ValidationError, "at most 1 Units can still be returned"):
                retrying(partial(env_b["rma.order"].create, self._return_vals(2.0)), env_b)
            cr_b.rollback()
        self.assertEqual(self._requested(), 2.0, "never more than the 3 delivered")
