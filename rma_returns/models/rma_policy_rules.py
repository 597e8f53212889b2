from odoo import models
from odoo.tools import float_compare, format_amount

from .rma_policy import TIMING_STRICTNESS


class InternalNote(str):
    """A line of the explanation meant for the shop only (risk limits, the
    customer's return rate). ``public`` replaces it in what the customer reads,
    or None to leave it out."""

    public = None

    def __new__(cls, text, public=None):
        note = super().__new__(cls, text)
        note.public = public
        return note


def public_explanation(lines):
    """The customer's version of an explanation's ``lines``."""
    shown = []
    for line in lines:
        text = line.public if isinstance(line, InternalNote) else line
        if text and text not in shown:
            shown.append(text)
    return "\n".join(shown)


class RmaOrder(models.Model):
    """Return-level policy rules: auto-approval limits, customs, fees, refund timing.

    Pure helpers of ``_rma_evaluate``: they read and compute, never write.
    """

    _inherit = "rma.order"

    # === BUSINESS METHODS === #
    def _rma_currency(self):
        self.ensure_one()
        return self.currency_id or self.company_id.currency_id

    def _rma_money(self, amount):
        """``amount`` formatted with the return's currency: "€ 240.00"."""
        return format_amount(self.env, amount, self._rma_currency())

    def _rma_policy_amount(self, policy, field_name):
        """Amount ``field_name`` of ``policy`` in the return's currency."""
        self.ensure_one()
        date = (self.date_submitted or self.create_date or policy.create_date).date()
        return policy._rma_amount(field_name, self._rma_currency(), self.company_id, date)

    def _rma_return_rules(self, kept, policies, policy_of, ctx):
        """Auto-approval rules of the whole return (lines ``kept``, not rejected).

        :return: (notes that send the return to review, informative notes)
        """
        self.ensure_one()
        blocking, info = [], []
        currency = self._rma_currency()
        value = currency.round(sum(kept.mapped("price_total")))
        is_refund = all(line.resolution == "refund" for line in kept)
        label = self.env._("Refund") if is_refund else self.env._("Return value")
        for policy in policies:
            if not policy.auto_approve:
                blocking.append(
                    InternalNote(
                        self.env._(
                            "Auto-approval is off in %(policy)s: needs review.",
                            policy=policy.name,
                        )
                    )
                )
            limit = self._rma_policy_amount(policy, "auto_approve_max_amount")
            values = {"label": label, "amount": self._rma_money(value)}
            values["limit"] = self._rma_money(limit)
            if limit and float_compare(value, limit, precision_rounding=currency.rounding) > 0:
                blocking.append(
                    InternalNote(
                        self.env._(
                            "%(label)s %(amount)s exceeds the %(limit)s auto-approval limit: "
                            "needs review.",
                            **values,
                        ),
                        public=self.env._("Our team checks returns of this value in person."),
                    )
                )
            elif limit:
                info.append(
                    InternalNote(
                        self.env._(
                            "%(label)s %(amount)s is within the %(limit)s auto-approval limit.",
                            **values,
                        )
                    )
                )
            if policy.max_return_rate:
                rate = ctx["rates"].get((self.id, policy.return_rate_days))
                values = {
                    "rate": round(rate or 0.0, 1),
                    "days": policy.return_rate_days,
                    "max": round(policy.max_return_rate, 1),
                }
                if (rate or 0.0) > policy.max_return_rate:
                    blocking.append(
                        InternalNote(
                            self.env._(
                                "The customer returned %(rate)s%% of the value delivered to "
                                "them in the last %(days)s days, above the %(max)s%% limit: "
                                "needs review.",
                                **values,
                            ),
                            public=self.env._("Our team checks this return before approving it."),
                        )
                    )
                else:
                    info.append(
                        InternalNote(
                            self.env._(
                                "The customer returned %(rate)s%% of the value delivered to "
                                "them in the last %(days)s days, within the %(max)s%% limit.",
                                **values,
                            )
                        )
                    )
        pickup, wh_country, cross_border = self._rma_cross_border_countries()[self.id]
        if cross_border:
            info.append(
                self.env._(
                    "Picked up in %(pickup)s, returned to a warehouse in %(warehouse)s: "
                    "cross-border, the slip carries customs data.",
                    pickup=pickup.name,
                    warehouse=wh_country.name,
                )
            )
            missing = kept.filtered(
                lambda line: (
                    policy_of[line].customs_required
                    and not (line.product_id.rma_hs_code and line.product_id.rma_origin_country_id)
                )
            )
            if missing:
                blocking.append(
                    self.env._(
                        "Customs data (HS code, country of origin) missing for %(products)s: "
                        "needs review.",
                        products=", ".join(missing.product_id.mapped("display_name")),
                    )
                )
        return blocking, info

    def _rma_fees(self, kept, policy_of, primary, refund_amount, ctx):
        """Restocking fee (per refunded line of customer fault: percent of its
        value plus the fixed fee) and return shipping fee (once per return, from
        the main policy), never more together than the refund.

        :return: {"restocking": amount, "shipping": amount, "notes": [str]}
        """
        self.ensure_one()
        currency = self._rma_currency()
        faults = dict(self.env["rma.reason"]._fields["fault"]._description_selection(self.env))
        notes = []
        restocking = 0.0
        for line in kept.filtered(lambda ln: ln.resolution == "refund"):
            policy = policy_of[line]
            fixed = self._rma_policy_amount(policy, "restocking_fee_fixed") if policy else 0.0
            if not policy or not (policy.restocking_fee_percent or fixed):
                continue
            product = line.product_id.display_name
            fault = line.reason_id.fault or "customer"
            if fault != "customer":
                notes.append(
                    self.env._(
                        "%(product)s: restocking fee waived, %(fault)s fault.",
                        product=product,
                        fault=faults[fault].lower(),
                    )
                )
                continue
            fee = currency.round(line.price_total * policy.restocking_fee_percent / 100.0 + fixed)
            restocking += fee
            notes.append(
                self.env._(
                    "%(product)s: restocking fee %(fee)s.",
                    product=product,
                    fee=self._rma_money(fee),
                )
            )
        shipping = 0.0
        fee = self._rma_policy_amount(primary, "shipping_fee") if primary and kept else 0.0
        if fee:
            other_fault = kept.reason_id.filtered(lambda r: r.fault != "customer")
            if primary.shipping_payer == "merchant":
                notes.append(self.env._("Return shipping paid by the shop."))
            elif other_fault:
                notes.append(
                    self.env._(
                        "Return shipping paid by the shop: %(reason)s is a %(fault)s fault.",
                        reason=other_fault[0].name,
                        fault=faults[other_fault[0].fault].lower(),
                    )
                )
            elif self.sale_order_id in ctx["insured"]:
                notes.append(
                    self.env._(
                        "Return shipping waived: the order carried return-shipping insurance."
                    )
                )
            else:
                shipping = fee
                notes.append(
                    self.env._(
                        "Return shipping %(fee)s paid by the customer.",
                        fee=self._rma_money(fee),
                    )
                )
        if (
            float_compare(
                restocking + shipping, refund_amount, precision_rounding=currency.rounding
            )
            > 0
        ):
            restocking = min(restocking, refund_amount)
            shipping = currency.round(min(shipping, refund_amount - restocking))
            notes.append(
                self.env._(
                    "Fees capped at the refund of %(amount)s.",
                    amount=self._rma_money(refund_amount),
                )
            )
        return {"restocking": restocking, "shipping": shipping, "notes": notes}

    def _rma_refund_timing(self, policies, rate, refund_amount):
        """When the credit note is made: the strictest timing of ``policies``.

        A fast refund (on approval) is granted only to customers whose return
        rate is under each policy's risk threshold and for refunds up to its
        amount; otherwise the refund waits for the goods.

        :return: (timing or False when no policy applies, explanation)
        """
        if not policies:
            return False, ""
        strictness = self._rma_refund_timing_strictness()
        timing = max(policies.mapped("refund_timing"), key=strictness.get)
        if timing == "receipt":
            return timing, self.env._("Refund once the goods are received.")
        if timing == "inspection":
            return timing, self.env._("Refund after the goods are received and inspected.")
        currency = self._rma_currency()
        why = []
        for policy in policies:
            if policy.fast_refund_max_rate and rate >= policy.fast_refund_max_rate:
                why.append(
                    self.env._(
                        "return rate %(rate)s%% is not under %(max)s%%",
                        rate=round(rate, 1),
                        max=round(policy.fast_refund_max_rate, 1),
                    )
                )
            limit = self._rma_policy_amount(policy, "fast_refund_max_amount")
            if (
                limit
                and float_compare(refund_amount, limit, precision_rounding=currency.rounding) > 0
            ):
                why.append(
                    self.env._(
                        "refund %(amount)s is above %(limit)s",
                        amount=self._rma_money(refund_amount),
                        limit=self._rma_money(limit),
                    )
                )
        if why:
            return "receipt", InternalNote(
                self.env._(
                    "No fast refund (%(why)s): refund once the goods are received.",
                    why="; ".join(why),
                ),
                public=self.env._("Refund once the goods are received."),
            )
        return timing, self._rma_fast_refund_note(timing)

    def _rma_refund_timing_strictness(self):
        """Hook: how strict each refund timing is (the strictest timing of the
        matching policies applies). Timings below "receipt" are fast refunds,
        granted under the policies' limits."""
        return dict(TIMING_STRICTNESS)

    def _rma_fast_refund_note(self, timing):
        """Hook: the explanation of a fast refund granted with ``timing``."""
        return self.env._("Fast refund: the credit note is made on approval.")
