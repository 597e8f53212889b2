from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import fields, models
from odoo.tools import float_compare

from .rma_order_line import _format_qty
from .rma_policy_rules import public_explanation
from .rma_return_rate import RATE_STATES, rate_percent


class RmaOrder(models.Model):
    """Policy evaluation of returns: pure reads, no writes (see _rma_evaluate)."""

    _inherit = "rma.order"

    # === BUSINESS METHODS === #
    def _rma_evaluate(self):
        """Pure, side-effect-free policy evaluation of each return.

        Every line is matched to the first applicable ``rma.policy``; hard rules
        (not returnable, return window, quantity) reject the line, soft rules
        (resolution, condition, photo, reason, auto-approval limit, return rate,
        customs data) send the return to review. Anyone who may read the returns
        gets their evaluation (read with sudo), so the portal can preview a
        decision before the customer submits.

        :return: {rma id: {"decision", "explanation", "refund_amount" (gross value
            of the refunded lines), "fees", "restocking_fee", "shipping_fee",
            "refund_timing", "auto_post_refund", "is_cross_border", "policy_id",
            "return_rate" (percent), "reject_reason", "checks" (the rules as a
            checklist, failed first), "lines": {line id: decision},
            "line_policies": {line id: policy id}}}
        """
        # whoever may read the returns gets their evaluation (the portal too)
        self.browse([rid for rid in self.ids if isinstance(rid, int)]).check_access("read")
        rmas = self.sudo()
        ctx = rmas._rma_evaluation_context()
        return {rma.id: rma._rma_evaluate_one(ctx) for rma in rmas}

    def _rma_evaluation_context(self):
        """Everything the evaluation needs, read once for the whole batch."""
        lines = self.line_ids
        policy_of = self._rma_line_policies()
        periods = {policy.return_rate_days for policy in policy_of.values() if policy}
        photos = self._rma_image_counts()
        insured = self.sale_order_id.sudo().filtered(
            lambda order: any(order.order_line.product_id.mapped("rma_return_insurance"))
        )
        return {
            "now": fields.Datetime.now(),
            "policy_of": policy_of,
            "available": lines.sale_line_id.sudo()._rma_returnable_qty(exclude_lines=lines),
            "photos": photos,
            "insured": insured,
            "rates": self._rma_return_rates(periods),
        }

    def _rma_cross_border_countries(self):
        """{rma id: (pickup country, warehouse country, cross-border?)}: a return is
        cross-border when the pickup country differs from the warehouse country
        (the return's warehouse, else the order's)."""
        result = {}
        for rma in self:
            pickup = (rma.partner_shipping_id or rma.partner_id).country_id
            warehouse = rma.warehouse_id or rma.sale_order_id.warehouse_id
            wh_country = (warehouse.partner_id or rma.company_id.partner_id).country_id
            cross = bool(pickup and wh_country and pickup != wh_country)
            result[rma.id] = (pickup, wh_country, cross)
        return result

    def _rma_line_policies(self):
        """{line: the first policy (sudo) that applies to it, or an empty recordset}."""
        policies = (
            self.env["rma.policy"]
            .sudo()
            .search([("company_id", "in", [*self.company_id.ids, False])])
            ._rma_sorted()
        )
        borders = self._rma_cross_border_countries()
        result = {}
        for rma in self:
            pickup, _wh_country, cross = borders[rma.id]
            candidates = policies.filtered(
                lambda p, company=rma.company_id: not p.company_id or p.company_id == company
            )
            for line in rma.line_ids:
                result[line] = next(
                    (p for p in candidates if p._rma_matches(line, pickup, cross)),
                    policies.browse(),
                )
        return result

    def _rma_return_rates(self, periods):
        """Return rate of the customer of each return, per period in days: the
        value rate of ``rma.return.rate`` (the analytics' own computation) for
        the customer's company, without the return itself. Two grouped reads
        per period for the batch.

        :return: {(rma id, days): rate in percent, at most 100}
        """
        partners = self.commercial_partner_id
        company = self.env.company
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        rates = {}
        for days in periods:
            since = now - timedelta(days=days)
            totals = self.env["rma.return.rate"]._rma_rates(
                "customer", since, keys=partners.ids, company=company
            )
            for rma in self:
                total = totals.get(rma.commercial_partner_id.id, {})
                ret = total.get("returned_value", 0.0)
                counted = (
                    rma.state in RATE_STATES and rma.date_submitted and rma.date_submitted >= since
                )
                if counted:  # a return does not count in its own rate
                    own = rma.line_ids.filtered(lambda line: line.decision != "reject")
                    ret -= rma.currency_id._convert(
                        sum(own.mapped("price_total")), company.currency_id, company, today
                    )
                rates[rma.id, days] = rate_percent(ret, total.get("delivered_value", 0.0))
        return rates

    def _rma_delivery_days(self, line, now):
        """Calendar days between the delivery of ``line``'s goods (the delivery's
        done date) and the request (submission, else now), counted in the
        company's time zone (else the user's, else UTC).

        :return: number of days, or None when no done delivery is known
        """
        self.ensure_one()
        move = line.move_id
        delivered_at = move.picking_id.date_done or (move.state == "done" and move.date)
        if not delivered_at:
            return None
        tz = pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")

        def local_day(moment):
            return pytz.utc.localize(moment).astimezone(tz).date()

        return max((local_day(self.date_submitted or now) - local_day(delivered_at)).days, 0)

    def _rma_hard_rule(self, line, policy, ctx, requested):
        """The hard rules of one line, in order: policy found, returnable,
        quantity, return window.

        :return: (decision or None when the line passes, explanation or None)
        """
        product = line.product_id.display_name
        if not policy:
            return "review", self.env._(
                "%(product)s: no return policy applies: needs review.", product=product
            )
        if not policy._rma_is_returnable(line.product_id):
            return "reject", self.env._(
                "%(product)s is not returnable under %(policy)s.",
                product=product,
                policy=policy.name,
            )
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        maximum = ctx["available"].get(line.sale_line_id.id, 0.0)
        if float_compare(requested, maximum, precision_digits=precision) > 0:
            return "reject", self.env._(
                "%(product)s: %(qty)s requested, but only %(max)s can still be returned.",
                product=product,
                qty=_format_qty(requested, precision),
                max=_format_qty(maximum, precision),
            )
        days = self._rma_delivery_days(line, ctx["now"])
        if days is None:
            return "review", self.env._(
                "%(product)s: no delivery date found: needs review.", product=product
            )
        if not policy.return_days:
            return None, None
        if days > policy.return_days:
            return "reject", self.env._(
                "%(product)s: returned %(days)s days after delivery, outside the "
                "%(window)s-day window.",
                product=product,
                days=days,
                window=policy.return_days,
            )
        return None, self.env._(
            "%(product)s: returned %(days)s days after delivery, within the %(window)s-day window.",
            product=product,
            days=days,
            window=policy.return_days,
        )

    def _rma_evaluate_one(self, ctx):
        """Evaluate one return with the batch data ``ctx`` (see _rma_evaluate)."""
        self.ensure_one()
        policy_of = {
            line: ctx["policy_of"].get(line) or self.env["rma.policy"].sudo()
            for line in self.line_ids
        }
        has_photo = bool(ctx["photos"].get(self.id))
        requested = defaultdict(float)
        for line in self.line_ids:
            requested[line.sale_line_id.id] += max(line.product_uom_qty - line.qty_received, 0.0)

        notes, rejections, line_decisions = [], [], {}
        checks = {"fail": [], "warning": [], "pass": []}  # the agent's checklist
        for line in self.line_ids:
            policy = policy_of[line]
            decision, note = self._rma_hard_rule(line, policy, ctx, requested[line.sale_line_id.id])
            if decision == "reject":
                rejections.append(note)
                checks["fail"].append(note)
            elif note:
                notes.append(note)
                checks["warning" if decision == "review" else "pass"].append(note)
            if decision is None:
                blocking, info = policy._rma_line_review_notes(line, has_photo)
                notes.extend(blocking + info)
                checks["warning"].extend(blocking)
                checks["pass"].extend(info)
                decision = "review" if blocking else "approve"
            line_decisions[line.id] = decision

        kept = self.line_ids.filtered(lambda ln: line_decisions[ln.id] != "reject")
        kept_policies = self.env["rma.policy"].sudo()
        for line in kept:
            kept_policies |= policy_of[line]
        primary = kept_policies[:1] or (
            policy_of[self.line_ids[0]] if self.line_ids else kept_policies
        )
        refund_amount = self._rma_currency().round(
            sum(kept.filtered(lambda ln: ln.resolution == "refund").mapped("price_total"))
        )
        rate = ctx["rates"].get((self.id, primary.return_rate_days), 0.0)
        cross_border = self._rma_cross_border_countries()[self.id][2]
        review = "review" in line_decisions.values()
        if kept:
            blocking, info = self._rma_return_rules(kept, kept_policies, policy_of, ctx)
            notes.extend(info + blocking)
            checks["warning"].extend(blocking)
            checks["pass"].extend(info)
            review = review or bool(blocking)
        fees = self._rma_fees(kept, policy_of, primary, refund_amount, ctx)
        notes.extend(fees["notes"])
        checks["pass"].extend(fees["notes"])
        timing, timing_note = self._rma_refund_timing(kept_policies, rate, refund_amount)
        if timing_note:
            notes.append(timing_note)
            checks["pass"].append(timing_note)

        if not self.line_ids:
            decision, final = (
                "review",
                self.env._("No products to return: an agent reviews the request."),
            )
        elif not kept:
            decision, final = "reject", self.env._("Decision: rejected.")
        elif review:
            decision, final = "review", self.env._("Decision: to review by an agent.")
        else:
            decision, final = "approve", self.env._("Decision: approved automatically.")
        if kept and rejections:
            final += " " + self.env._(
                "%(count)s of %(total)s products rejected, the others go on.",
                count=len(self.line_ids) - len(kept),
                total=len(self.line_ids),
            )
        head = [self.env._("Policy: %(policy)s.", policy=", ".join(kept_policies.mapped("name")))]
        rejected = [self.env._("%(rule)s Rejected.", rule=rule) for rule in rejections]
        lines = (head if kept_policies else []) + rejected + notes + [final]
        return {
            "decision": decision,
            "explanation": "\n".join(lines),
            "explanation_public": public_explanation(lines),
            # blocking rules first: [{"status": "fail" | "warning" | "pass", "text"}]
            "checks": [
                {"status": status, "text": text}
                for status in ("fail", "warning", "pass")
                for text in checks[status]
            ],
            "refund_amount": refund_amount,
            "fees": fees["restocking"] + fees["shipping"],
            "restocking_fee": fees["restocking"],
            "shipping_fee": fees["shipping"],
            "refund_timing": timing or self.refund_timing,
            "auto_post_refund": all(kept_policies.mapped("auto_post_refund"))
            if kept_policies
            else self.auto_post_refund,
            "is_cross_border": cross_border,
            "policy_id": primary.id if primary else False,
            "return_rate": rate,
            "reject_reason": "\n".join(rejections),
            "lines": line_decisions,
            "line_policies": {line.id: policy_of[line].id for line in self.line_ids},
        }
