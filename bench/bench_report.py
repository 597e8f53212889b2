"""The bench's comparison tables (``bench_rma.py --report DIR``): every side
side by side, per returned order, from the runs' JSON files in DIR."""

import json
import pathlib

PHASES = ("request", "approve", "receive", "refund")

# the sides in the order of the comparison's columns
LABELS = {
    "oca": "OCA rma_sale (draft credit notes)",
    "core": "Odoo core by hand (posted + reconciled)",
    "ours_posted": "rma_returns (posted + reconciled)",
    "ours": "rma_returns (draft credit notes)",
}


MODES = {
    "batch": "batch (all orders at once)",
    "single": "one order at a time (each order end to end, as customers arrive)",
}


def _table(runs, key, title):
    lines = [f"\n{title}\n", "| phase | " + " | ".join(LABELS[r["side"]] for r in runs) + " |"]
    lines.append("|---" * (len(runs) + 1) + "|")
    totals = [0.0] * len(runs)
    for phase in PHASES:
        cells = []
        for i, data in enumerate(runs):
            value = data["phases"][phase][key]
            totals[i] += value
            cells.append(f"{value:.1f}")
        lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    lines.append("| **total** | " + " | ".join(f"**{t:.1f}**" for t in totals) + " |")
    return lines


def _overview(runs):
    """The comparison at a glance: whole return per order, every side, every run."""
    sides = [side for side in LABELS if any(side in found for found in runs.values())]
    lines = ["\n### Per returned order, end to end (request to credit note)\n"]
    lines.append("| run | " + " | ".join(LABELS[side] for side in sides) + " |")
    lines.append("|---" * (len(sides) + 1) + "|")
    for (mode, orders), found in sorted(runs.items()):
        for key, unit in (("queries_per_order", "SQL queries"), ("ms_per_order", "ms")):
            cells = [
                f"{sum(p[key] for p in found[side]['phases'].values()):.1f}"
                if side in found
                else "-"
                for side in sides
            ]
            lines.append(f"| {mode}, N={orders}, {unit} | " + " | ".join(cells) + " |")
    return lines


def report(folder):
    """Print (and write to summary.md) one table per mode and order count,
    the e-mail cron's cost per e-mail and the portal timings."""
    folder = pathlib.Path(folder)
    runs = {}
    for path in sorted(folder.glob("*-*-*.json")):
        data = json.loads(path.read_text())
        runs.setdefault((data["mode"], data["orders"]), {})[data["side"]] = data
    lines = _overview(runs)
    for (mode, orders), sides in sorted(runs.items()):
        ordered = [sides[side] for side in LABELS if side in sides]
        lines.append(f"\n### {MODES[mode]}, N={orders}: per returned order")
        lines += _table(ordered, "queries_per_order", "SQL queries")
        lines += _table(ordered, "ms_per_order", "milliseconds")
        lines.append("")
        for data in ordered:
            lines.append(f"- {LABELS[data['side']]}: {data['check']}")
            if data.get("mail"):
                mail = data["mail"]
                lines.append(
                    f"- e-mail cron (`rma.order.notification`): {mail['emails']} e-mails "
                    f"({mail['sent']} sent), **{mail['queries_per_email']:.1f} queries and "
                    f"{mail['ms_per_email']:.0f} ms per e-mail**"
                )
    portal = folder / "portal.json"
    if portal.exists():
        data = json.loads(portal.read_text())
        lines.append(
            f"\n### Portal: a customer with {data['customer_returns']} returns in a database "
            f"of {data['total_returns']} ({data['requests']} requests each)\n"
        )
        lines.append("| page | p50 ms | p95 ms | SQL queries |")
        lines.append("|---|---|---|---|")
        for page, timing in data["pages"].items():
            lines.append(
                f"| {page} | {timing['p50']:.0f} | {timing['p95']:.0f} | {timing['queries']} |"
            )
    text = "\n".join(lines)
    (folder / "summary.md").write_text(text + "\n")
    print(text)
