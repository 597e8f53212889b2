"""Benchmark: SQL queries and milliseconds per returned order, for rma_returns and
for the OCA ``rma_sale`` addon, on the same Odoo 18 and PostgreSQL.

Scenario (identical inputs on both sides): N confirmed sale orders of two storable
products, delivered and invoiced. Measured phases, all orders at once (batch):

- request:  the return requests are created (ours: one return of two lines per
            order; OCA: one RMA per returned product, its data model);
- approve:  the requests are confirmed/approved: return receipts are created;
- receive:  every return receipt is validated (same code on both sides);
- refund:   credit notes exist for every returned line.

Everything runs in one transaction that is rolled back, so runs are repeatable.
Usage: see bench/run.sh (``make bench``); ``--report DIR`` prints the comparison.
"""

import argparse
import json
import os
import pathlib
import time

PHASES = ("request", "approve", "receive", "refund")


def _setup(env, orders_count):
    """Delivered and invoiced orders, two storable products each."""
    command = __import__("odoo").fields.Command
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    products = env["product.product"].create(
        [
            {
                "name": f"Bench product {i}",
                "type": "consu",
                "is_storable": True,
                "list_price": 50.0 + i,
                "invoice_policy": "delivery",
            }
            for i in range(2)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10.0 * orders_count
        )
    partner = env["res.partner"].create({"name": "Bench customer", "email": "b@example.com"})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    command.create({"product_id": p.id, "product_uom_qty": 2.0}) for p in products
                ],
            }
            for _ in range(orders_count)
        ]
    )
    orders.action_confirm()
    pickings = orders.picking_ids
    for move in pickings.move_ids:
        move.quantity = move.product_uom_qty
    pickings.move_ids.picked = True
    pickings.button_validate()
    orders._create_invoices().action_post()
    env.flush_all()
    return orders


class Side:
    """What each addon does in each phase."""

    def __init__(self, env, orders):
        self.env = env
        self.orders = orders

    def _validate_receipts(self, pickings):
        pickings = pickings.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
        )
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True).button_validate()


class Ours(Side):
    """rma_returns, its default policy told to leave credit notes in draft, as
    OCA's refund does: the same outcome on both sides."""

    post_credit_notes = False

    def request(self):
        self.env.ref("rma_returns.rma_policy_default").auto_post_refund = self.post_credit_notes
        command = __import__("odoo").fields.Command
        self.rmas = self.env["rma.order"].create(
            [
                {
                    "sale_order_id": order.id,
                    "line_ids": [
                        command.create({"sale_line_id": line.id, "product_uom_qty": 1.0})
                        for line in order.order_line
                    ],
                }
                for order in self.orders
            ]
        )

    def approve(self):
        self.rmas.action_submit()
        self.rmas.action_approve()

    def receive(self):
        self._validate_receipts(self.rmas.picking_ids)

    def refund(self):
        pending = self.rmas.filtered(lambda r: not r.credit_note_ids)
        if pending and hasattr(pending, "action_refund"):
            pending.action_refund()

    def check(self):
        return {
            "returns": len(self.rmas),
            "receipts_done": len(self.rmas.picking_ids.filtered(lambda p: p.state == "done")),
            "credit_notes": len(self.rmas.credit_note_ids),
        }


class OursPosted(Ours):
    """rma_returns as installed: credit notes posted and reconciled with the
    unpaid invoice on receipt (an accountant's work OCA leaves to do by hand)."""

    post_credit_notes = True


class Oca(Side):
    def request(self):
        location = self.env["stock.warehouse"].search([], limit=1).rma_loc_id
        operation = self.env.ref("rma.rma_operation_refund")
        vals = []
        for order in self.orders:
            for line in order.order_line:
                move = line.move_ids.filtered(lambda m: m.state == "done")[:1]
                vals.append(
                    {
                        "partner_id": order.partner_id.id,
                        "order_id": order.id,
                        "move_id": move.id,
                        "product_id": line.product_id.id,
                        "product_uom_qty": 1.0,
                        "product_uom": line.product_uom.id,
                        "location_id": location.id,
                        "operation_id": operation.id,
                    }
                )
        self.rmas = self.env["rma"].create(vals)

    def approve(self):
        self.rmas.action_confirm()

    def receive(self):
        self._validate_receipts(self.rmas.reception_move_id.picking_id)

    def refund(self):
        self.rmas.action_refund()

    def check(self):
        return {
            "returns": len(self.rmas),
            "receipts_done": len(
                self.rmas.reception_move_id.picking_id.filtered(lambda p: p.state == "done")
            ),
            "credit_notes": len(self.rmas.refund_id),
        }


SIDES = {"ours": Ours, "ours_posted": OursPosted, "oca": Oca}


def _profiler(phase):
    """BENCH_PROFILE=<phase> writes a cProfile dump of that phase to /tmp."""
    if os.environ.get("BENCH_PROFILE") != phase:
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def run(config, database, side, orders_count):
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    results = {"side": side, "orders": orders_count, "phases": {}}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        orders = _setup(env, orders_count)
        runner = SIDES[side](env, orders)
        for phase in PHASES:
            queries = cr.sql_log_count
            profiler = _profiler(phase)
            start = time.perf_counter()
            getattr(runner, phase)()
            env.flush_all()
            elapsed = time.perf_counter() - start
            if profiler:
                profiler.disable()
                profiler.dump_stats(f"/tmp/bench-{side}-{phase}.prof")
            results["phases"][phase] = {
                "queries_per_order": (cr.sql_log_count - queries) / orders_count,
                "ms_per_order": elapsed * 1000 / orders_count,
            }
        results["check"] = runner.check()
        cr.rollback()
    out = pathlib.Path(__file__).parent / "results" / f"{side}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    return results


LABELS = {
    "ours": "rma_returns (draft credit notes)",
    "ours_posted": "rma_returns (posted + reconciled)",
    "oca": "OCA rma_sale",
}


def report(folder):
    sides = {}
    for side in SIDES:
        path = pathlib.Path(folder) / f"{side}.json"
        if path.exists():
            sides[side] = json.loads(path.read_text())
    lines = []
    for key, title in (("queries_per_order", "SQL queries"), ("ms_per_order", "milliseconds")):
        lines.append(f"\n{title} per returned order\n")
        lines.append("| phase | " + " | ".join(LABELS[side] for side in sides) + " |")
        lines.append("|---" * (len(sides) + 1) + "|")
        totals = dict.fromkeys(sides, 0.0)
        for phase in PHASES:
            cells = []
            for side, data in sides.items():
                value = data["phases"][phase][key]
                totals[side] += value
                cells.append(f"{value:.1f}")
            lines.append(f"| {phase} | " + " | ".join(cells) + " |")
        lines.append("| **total** | " + " | ".join(f"**{totals[s]:.1f}**" for s in sides) + " |")
    lines.append("")
    for side, data in sides.items():
        lines.append(f"- {LABELS[side]}: {data['orders']} orders, {data['check']}")
    text = "\n".join(lines)
    (pathlib.Path(folder) / "summary.md").write_text(text + "\n")
    print(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config")
    parser.add_argument("--database")
    parser.add_argument("--side", choices=tuple(SIDES))
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--report")
    args = parser.parse_args()
    if args.report:
        report(args.report)
    else:
        run(args.config, args.database, args.side, args.orders)


if __name__ == "__main__":
    main()
