from collections import defaultdict

from odoo import fields, models

# A lot "concentrates" a product's defects with at least this many defective
# units received back, and this share of all of them: 2 of 3 is a pattern, 1 of 1 is not.
LOT_CLUSTER_MIN_QTY = 2.0
LOT_CLUSTER_SHARE = 0.5


class ProductTemplate(models.Model):
    """Why a product comes back: its reason mix against its category's."""

    _inherit = "product.template"

    # === FIELDS === #
    rma_return_insight = fields.Text(
        string="Why It Comes Back",
        readonly=True,
        groups="rma_returns.group_rma_user",
        help="For a product with a high return rate: its main return reason compared "
        "with the other products of its category, and what to change.",
    )

    # === BUSINESS METHODS === #
    def _rma_suggestions(self):
        """{reason code: what to change, in plain words}: the rules applied to
        a product's main return reason."""
        return {
            "WRONG_SIZE": self.env._(
                "Sizing seems off: add a size note or a size chart on the product page."
            ),
            "CHANGED_MIND": self.env._(
                "Described differently than received: review the description and photos."
            ),
            "DEFECTIVE": self.env._(
                "Defects cluster on this product: check the batch with the supplier."
            ),
            "WRONG_ITEM": self.env._(
                "Wrong items are sent: check the storage location and the labels."
            ),
            "DAMAGED_TRANSIT": self.env._(
                "Goods arrive damaged: review the packaging or the carrier."
            ),
        }

    def _rma_reason_mix(self, date_from=None):
        """The main reason of each template's returns against the other products
        of its category, over returns submitted since ``date_from``.

        Two grouped reads for the batch.

        :return: {template id: {"reason", "qty", "total", "share", "other_share",
            "ratio" (None when the category has no other returns), "category"}}
        """
        rate_model = self.env["rma.return.rate"]
        lines = self.env["rma.order.line"].sudo()
        domain = rate_model._rma_returned_domain(date_from)
        per_product = lines._read_group(
            [*domain, ("rma_product_tmpl_id", "in", self.ids)],
            ["rma_product_tmpl_id", "reason_id"],
            ["product_uom_qty:sum"],
        )
        per_category = lines._read_group(
            [*domain, ("rma_categ_id", "in", self.categ_id.ids)],
            ["rma_categ_id", "reason_id"],
            ["product_uom_qty:sum"],
        )
        mine, categ = defaultdict(dict), defaultdict(dict)
        for template, reason, qty in per_product:
            mine[template.id][reason] = qty
        for category, reason, qty in per_category:
            categ[category.id][reason] = qty
        result = {}
        for template in self:
            reasons = mine.get(template.id)
            if not reasons:
                continue
            reason = max(reasons, key=lambda r: (reasons[r], -r.id if r else 0))
            total = sum(reasons.values())
            in_categ = categ.get(template.categ_id.id, {})
            other_total = sum(in_categ.values()) - total
            other_qty = in_categ.get(reason, 0.0) - reasons[reason]
            share = reasons[reason] / total
            other_share = other_qty / other_total if other_total > 0 else 0.0
            result[template.id] = {
                "reason": reason,
                "qty": reasons[reason],
                "total": total,
                "share": share,
                "other_share": other_share,
                "ratio": share / other_share if other_share else None,
                "category": template.categ_id,
            }
        return result

    def _rma_insight_text(self, mix):
        """Plain-language insight of one template from its ``mix`` entry, with
        the numbers it rests on."""
        self.ensure_one()
        reason_name = mix["reason"].name if mix["reason"] else self.env._("no reason given")
        values = {
            "reason": reason_name,
            "qty": round(mix["qty"], 2),
            "total": round(mix["total"], 2),
            "share": round(100 * mix["share"]),
            "other": round(100 * mix["other_share"]),
            "category": mix["category"].display_name,
        }
        if mix["ratio"] is None:
            head = self.env._(
                'Returned for "%(reason)s": %(qty)s of %(total)s returned units (%(share)s%%); '
                "no other product of %(category)s came back to compare with.",
                **values,
            )
        else:
            head = self.env._(
                'Returned for "%(reason)s" %(ratio)s× as often as the other products of '
                "%(category)s: %(qty)s of %(total)s returned units (%(share)s%%) against "
                "%(other)s%%.",
                ratio=round(mix["ratio"], 1),
                **values,
            )
        code = (mix["reason"].code or "").upper() if mix["reason"] else ""
        suggestion = self._rma_suggestions().get(code)
        cluster = mix.get("lot")
        if cluster:
            lot_text = self.env._(
                "Defects cluster on lot %(lot)s: %(qty)s of the %(total)s defective units "
                "received came from it (%(share)s%%). Check this batch with the supplier.",
                lot=cluster["lot"].name,
                qty=round(cluster["qty"], 2),
                total=round(cluster["total"], 2),
                share=round(100 * cluster["qty"] / cluster["total"]),
            )
            suggestion = (
                lot_text if code == "DEFECTIVE" or not suggestion else (f"{suggestion}\n{lot_text}")
            )
        return f"{head}\n{suggestion}" if suggestion else head

    def _rma_defect_lots(self, date_from=None):
        """The lot that concentrates each template's defective returns: at least
        ``LOT_CLUSTER_MIN_QTY`` units and ``LOT_CLUSTER_SHARE`` of the defective
        units received back (by lot, from the receipts' move lines).

        One grouped read for the batch.

        :return: {template id: {"lot", "qty", "total"}}
        """
        domain = [
            ("state", "=", "done"),
            ("location_id.usage", "=", "customer"),
            ("move_id.rma_line_id.rma_product_tmpl_id", "in", self.ids),
            ("move_id.rma_line_id.reason_id.code", "=ilike", "defective"),
        ]
        if date_from:
            domain.append(("move_id.rma_line_id.rma_id.date_submitted", ">=", date_from))
        groups = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(domain, ["product_id", "lot_id"], ["quantity_product_uom:sum"])
        )
        per_lot, totals = defaultdict(dict), defaultdict(float)
        for product, lot, qty in groups:
            template = product.product_tmpl_id.id
            totals[template] += qty
            if lot:
                per_lot[template][lot] = per_lot[template].get(lot, 0.0) + qty
        result = {}
        for template, lots in per_lot.items():
            lot = max(lots, key=lambda lt: (lots[lt], -lt.id))
            qty, total = lots[lot], totals[template]
            if qty >= LOT_CLUSTER_MIN_QTY and qty >= LOT_CLUSTER_SHARE * total:
                result[template] = {"lot": lot, "qty": qty, "total": total}
        return result

    def _rma_write_insights(self, date_from=None):
        """Store the insight of flagged templates, clear the others'."""
        flagged = self.filtered("rma_high_return_rate")
        mixes = flagged._rma_reason_mix(date_from)
        lots = flagged._rma_defect_lots(date_from)
        for template_id, cluster in lots.items():
            if template_id in mixes:
                mixes[template_id]["lot"] = cluster
        (self - flagged).filtered("rma_return_insight").rma_return_insight = False
        for template in flagged:
            mix = mixes.get(template.id)
            template.rma_return_insight = template._rma_insight_text(mix) if mix else False
