"""Benchmark: SQL queries and milliseconds per returned order, for rma_returns, for
the OCA ``rma_sale`` addon and for Odoo core by hand (bench_core.py), on the same
Odoo 18 and PostgreSQL.

Scenario (identical inputs on every side): N confirmed sale orders of two storable
products, delivered and invoiced. Measured phases, all orders at once (batch):

- request:  the return requests are created (ours: one return of two lines per
            order; OCA: one RMA per returned product, its data model; core: the
            delivery's return wizard);
- approve:  the requests are confirmed/approved: return receipts are created;
- receive:  every return receipt is validated (same code on every side);
- refund:   credit notes exist for every returned line.

Mode single: each order end to end before the next, each order invoiced on its
own (a batch's orders, of one customer, share an invoice).

Everything runs in one transaction that is rolled back, so runs are repeatable.
Usage: see bench/run.sh (``make bench``); ``--report DIR`` prints the comparison.
"""

import argparse
import json
import os
import pathlib
import time

from bench_core import CoreByHand
from bench_report import MODES, PHASES, report


def _setup(env, orders_count, invoice_each=False):
    """Delivered and invoiced orders, two storable products each. Odoo invoices
    the orders of one customer together, unless ``invoice_each`` (one invoice
    per order, as when customers arrive one at a time)."""
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
    orders._create_invoices(grouped=invoice_each).action_post()
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
        self.rmas = (
            self.env["rma.order"]
            .with_context(mail_create_nosubscribe=True)
            .create(
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
        )
        if len(self.rmas) == 1:  # as the portal does for the customer's return
            self.rmas._portal_ensure_token()

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


class Core(CoreByHand, Side):
    """Plain Odoo 18 (``sale_stock``): return wizard, reversal wizard (bench_core.py)."""


SIDES = {"ours": Ours, "ours_posted": OursPosted, "oca": Oca, "core": Core}


def _profiler(phase):
    """BENCH_PROFILE=<phase> writes a cProfile dump of that phase to /tmp."""
    if os.environ.get("BENCH_PROFILE") != phase:
        return None
    import cProfile

    return cProfile.Profile()


def _measure(env, runner, phase, totals, profiler):
    """Run one phase of ``runner``, add its queries and seconds to ``totals``."""
    cr = env.cr
    queries = cr.sql_log_count
    if profiler:
        profiler.enable()
    start = time.perf_counter()
    getattr(runner, phase)()
    env.flush_all()
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
    totals[phase][0] += cr.sql_log_count - queries
    totals[phase][1] += elapsed


def _serve_assets(env):
    """Serve this database over HTTP (a thread, on the configured port) for the
    PDF renderer's style sheets, as a running Odoo does: without it,
    wkhtmltopdf renders unstyled pages after a network error."""
    import threading

    from werkzeug.serving import make_server

    import odoo

    port = odoo.tools.config["http_port"]
    odoo.service.server.load_server_wide_modules()
    odoo.tools.config["db_name"] = env.cr.dbname
    server = make_server("127.0.0.1", port, odoo.http.root, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env["ir.config_parameter"].set_param("report.url", f"http://127.0.0.1:{port}")
    return server


def _measure_mails(env):
    """The e-mail cron's cost per e-mail: the queued customer e-mails of the
    returns are rendered and posted (PDFs included). Outgoing mails stay
    queued (no SMTP server: the mail queue's own cron would send them)."""
    cr = env.cr
    env.flush_all()
    Notification = env["rma.order.notification"].with_context(mail_notify_force_send=False)
    if not Notification.sudo().search_count([("state", "=", "pending")]):
        return None
    server = _serve_assets(env)
    profiler = _profiler("mail")
    if profiler:
        profiler.enable()
    queries = cr.sql_log_count
    start = time.perf_counter()
    notifications = Notification._cron_send()
    env.flush_all()
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats("/tmp/bench-mail.prof")
    server.shutdown()
    sent = notifications.filtered(lambda n: n.state == "sent")
    return {
        "emails": len(notifications),
        "sent": len(sent),
        "queries_per_email": (cr.sql_log_count - queries) / len(notifications),
        "ms_per_email": elapsed * 1000 / len(notifications),
    }


def run(config, database, side, orders_count, mode="batch"):
    """``mode`` batch: each phase for all orders at once; single: each order
    end to end, one phase at a time, as customers arrive one by one."""
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", config, "-d", database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(database)
    results = {"side": side, "mode": mode, "orders": orders_count, "phases": {}}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        orders = _setup(env, orders_count, invoice_each=mode == "single")
        totals = {phase: [0, 0.0] for phase in PHASES}
        profilers = {phase: _profiler(phase) for phase in PHASES}
        if mode == "batch":
            runners = [SIDES[side](env, orders)]
        else:
            runners = [SIDES[side](env, order) for order in orders]
        for runner in runners:
            for phase in PHASES:
                _measure(env, runner, phase, totals, profilers[phase])
        for phase, profiler in profilers.items():
            if profiler:
                profiler.dump_stats(f"/tmp/bench-{side}-{mode}-{phase}.prof")
        for phase, (queries, elapsed) in totals.items():
            results["phases"][phase] = {
                "queries_per_order": queries / orders_count,
                "ms_per_order": elapsed * 1000 / orders_count,
            }
        checks = [runner.check() for runner in runners]
        results["check"] = {key: sum(c[key] for c in checks) for key in checks[0]}
        if side == "ours_posted" and mode == "single" and os.environ.get("BENCH_MAIL", "1") == "1":
            results["mail"] = _measure_mails(env)
        cr.rollback()
    out = pathlib.Path(__file__).parent / "results" / f"{side}-{mode}-{orders_count}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config")
    parser.add_argument("--database")
    parser.add_argument("--side", choices=tuple(SIDES))
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--mode", choices=tuple(MODES), default="batch")
    parser.add_argument("--report")
    args = parser.parse_args()
    if args.report:
        report(args.report)
    else:
        run(args.config, args.database, args.side, args.orders, args.mode)


if __name__ == "__main__":
    main()
