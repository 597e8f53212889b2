from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .rma_order import DECISIONS

REVIEW_ACTIVITY = "rma_returns.mail_activity_type_rma_review"


class RmaOrder(models.Model):
    """Applying the return policy: decision on submission, re-evaluation,
    manager override, photo status for the portal."""

    _inherit = "rma.order"

    # === FIELDS === #
    policy_id = fields.Many2one(
        "rma.policy",
        string="Return Policy",
        readonly=True,
        copy=False,
        tracking=True,
        groups="base.group_user",
        help="The policy of the returned products (the first one when they differ).",
    )
    return_rate = fields.Float(
        string="Customer Return Rate (%)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        groups="base.group_user",
        help="Share of the value delivered to the customer that they returned, over the "
        "policy's period, when the return was evaluated.",
    )
    decision_explanation_public = fields.Text(
        string="Explanation for the Customer",
        readonly=True,
        copy=False,
        help="The explanation as the customer reads it on the portal and in e-mails: "
        "without the shop's internal limits (amounts, the customer's return rate).",
    )
    override_reason = fields.Text(
        copy=False, readonly=True, tracking=True, groups="base.group_user"
    )
    override_user_id = fields.Many2one(
        "res.users",
        string="Overridden By",
        copy=False,
        readonly=True,
        tracking=True,
        groups="base.group_user",
    )
    photo_required = fields.Boolean(
        compute="_compute_photo_status",
        help="A returned product's reason needs a photo under its policy.",
    )
    has_photo = fields.Boolean(
        compute="_compute_photo_status", help="An image is attached to the return."
    )

    # === COMPUTE METHODS === #
    @api.depends("line_ids.photo_required", "message_attachment_count")
    def _compute_photo_status(self):
        """Photo needed by a line's reason, and whether an image is attached."""
        status = self._rma_photo_status()
        for rma in self:
            rma.photo_required = status[rma.id]["required"]
            rma.has_photo = status[rma.id]["attached"]

    # === ACTION METHODS === #
    def action_rma_reevaluate(self):
        """Evaluate the returns again after edits (photo added, address or policy
        changed): a draft gets a preview of the decision, a submitted return gets
        the new decision applied (approved, to review again, or rejected)."""
        self._rma_check_rights("approve")
        return self.sudo()._rma_reevaluate()

    def _rma_reevaluate(self):
        self._lock_for_update()
        wrong = self.filtered(lambda r: r.state not in ("draft", "submitted"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only draft or submitted returns can be evaluated again: %(names)s.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        results = self._rma_evaluate()
        drafts = self.filtered(lambda r: r.state == "draft")
        drafts._rma_apply_evaluation(results, transition=False)
        submitted = self - drafts
        submitted.activity_unlink([REVIEW_ACTIVITY])
        submitted._rma_apply_evaluation(results)
        return True

    def action_open_override_wizard(self):
        """Managers: open the wizard that overrides the policy decision."""
        self._rma_check_manager()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Decision"),
            "res_model": "rma.policy.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_ids": self.ids},
        }

    # === BUSINESS METHODS === #
    def _rma_apply_policy(self):
        """Step of submitting: evaluate the returns and apply the decision."""
        if self:
            self._rma_apply_evaluation(self._rma_evaluate())

    def _rma_close_review(self):
        """Step of leaving "submitted": the review activities are done."""
        if self:
            self.activity_unlink([REVIEW_ACTIVITY])

    def _rma_apply_evaluation(self, results, transition=True):
        """Store the evaluation ``results`` (see _rma_evaluate) on the returns and
        their lines; with ``transition``, post the explanation in the chatter and
        approve (running the approval automation), schedule a review activity,
        or reject with the reason."""
        by_decision = defaultdict(lambda: self.env["rma.order.line"])
        by_policy = defaultdict(lambda: self.env["rma.order.line"])
        for rma in self:
            result = results[rma.id]
            vals = {
                "decision": result["decision"],
                "decision_explanation": result["explanation"],
                "decision_explanation_public": result.get("explanation_public")
                or result["explanation"],
                "restocking_fee": result["restocking_fee"],
                "shipping_fee": result["shipping_fee"],
                "refund_timing": result["refund_timing"],
                "auto_post_refund": result["auto_post_refund"],
                "is_cross_border": result["is_cross_border"],
                "policy_id": result["policy_id"],
                "return_rate": result["return_rate"],
                "decision_checks": result.get("checks", []),
            }
            if transition and result["decision"] == "reject":
                vals["reject_reason"] = result["reject_reason"]
            rma.write(vals)
            for line in rma.line_ids:
                by_decision[result["lines"][line.id]] |= line
                by_policy[result["line_policies"][line.id]] |= line
        for decision, lines in by_decision.items():
            lines.write({"decision": decision})
        for policy_id, lines in by_policy.items():
            lines.write({"policy_id": policy_id})
        if not transition:
            return
        self.filtered(lambda r: not self._rma_is_staff(r.create_uid))._rma_assign_responsible(
            reassign=True
        )
        labels = dict(DECISIONS)
        system = self._rma_system_author()
        for rma in self:
            rma.message_post(
                author_id=system.id,
                body=self._rma_explanation_html(
                    self.env._(
                        "Return policy decision: %(decision)s",
                        decision=labels[rma.decision],
                    ),
                    rma.decision_explanation,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.filtered(lambda r: r.decision == "reject")._rma_reject()
        self.filtered(lambda r: r.decision == "review")._rma_schedule_review()
        self.filtered(lambda r: r.decision == "approve")._rma_auto_approve()

    def _rma_auto_approve(self):
        """Approve the returns the policy accepted.

        When the approval automation cannot run for a return (no warehouse takes
        returns, no journal, ...), that approval is rolled back entirely and the
        return goes to an agent's review with the reason: a customer's submission
        is never lost because of a configuration problem.
        """
        try:
            with self.env.cr.savepoint():
                self._rma_approve()
        except UserError:
            self._rma_auto_approve_one_by_one()

    def _rma_auto_approve_one_by_one(self):
        """Approve each return alone, so that one bad return does not hold back
        the others; those that fail go to review."""
        for rma in self:
            try:
                with self.env.cr.savepoint():
                    rma._rma_approve()
            except UserError as error:
                rma._rma_review_after_failed_approval(error)

    def _rma_review_after_failed_approval(self, error):
        self.ensure_one()
        explanation = self.env._(
            "Automatic approval failed, an agent must review: %(error)s",
            error=error.args[0] if error.args else "",
        )
        self.write(
            {
                "decision": "review",
                "decision_explanation": f"{self.decision_explanation or ''}\n{explanation}",
                "decision_explanation_public": "\n".join(
                    filter(
                        None,
                        [
                            self.decision_explanation_public,
                            self.env._("Our team checks this return before approving it."),
                        ],
                    )
                ),
            }
        )
        self.message_post(
            body=explanation, subtype_xmlid="mail.mt_note", author_id=self._rma_system_author().id
        )
        self._rma_schedule_review()

    @api.model
    def _rma_explanation_html(self, title, explanation):
        """Chatter body: a title and one bullet per line of the explanation."""
        items = Markup().join(
            Markup("<li>%s</li>") % line for line in (explanation or "").splitlines() if line
        )
        return Markup("<p><b>%s</b></p><ul>%s</ul>") % (title, items)

    def _rma_schedule_review(self):
        """One review activity per return, for the policy's reviewer, else the
        return's staff responsible, else the order's salesperson or sales team
        leader, else the current user (one create for the batch)."""
        if not self:
            return self.env["mail.activity"]
        activity_type = self.env.ref(REVIEW_ACTIVITY, raise_if_not_found=False) or self.env.ref(
            "mail.mail_activity_data_todo"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        return (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": rma.id,
                        "user_id": rma._rma_reviewer().id,
                        "summary": self.env._("Review return %(name)s", name=rma.name),
                        "note": self._rma_explanation_html(
                            self.env._("Why it needs a review"), rma.decision_explanation
                        ),
                        "date_deadline": activity_type._get_date_deadline(),
                        "automated": True,
                    }
                    for rma in self
                ]
            )
        )

    def _rma_reviewer(self):
        """Who reviews this return: see _rma_schedule_review."""
        self.ensure_one()
        reviewer = self.policy_id.sudo().review_user_id
        if self._rma_is_staff(reviewer):
            return reviewer
        if self._rma_is_staff(self.user_id):
            return self.user_id
        return self._rma_responsible() or self.env.user

    @api.model
    def _rma_system_author(self):
        """Decisions of the policy are the system's words, never the customer's."""
        return self.env.ref("base.partner_root")

    def _rma_check_manager(self):
        if not self.env.user.has_group("rma_returns.group_rma_manager"):
            raise AccessError(self.env._("Only returns managers can override a decision."))

    def _rma_override(self, decision, reason):
        """Managers replace the policy's decision with ``decision`` ("approve" or
        "reject") for ``reason``: every line follows, the reason is tracked and
        posted, and the return is approved (running the automation) or rejected.
        A rejected return is reopened first, without evaluating it again."""
        self._rma_check_manager()
        self.check_access("write")
        # the decision fields are the flow's: written as superuser once checked
        return self.sudo()._rma_apply_override(decision, reason)

    def _rma_apply_override(self, decision, reason):
        if decision not in ("approve", "reject"):
            raise UserError(self.env._("A decision can only be overridden to approve or reject."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the override."))
        wrong = self.filtered(lambda r: r.state not in ("submitted", "rejected"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only submitted or rejected returns can be overridden: %(names)s.",
                    names=", ".join(wrong.mapped("name")),
                )
            )
        self._lock_for_update()
        label = dict(DECISIONS)[decision]
        note = self.env._(
            "Overridden by %(user)s: %(decision)s. %(reason)s",
            user=self.env.user.name,
            decision=label.lower(),
            reason=reason,
        )
        for rma in self:
            rma.write(
                {
                    "decision": decision,
                    "override_reason": reason,
                    "override_user_id": self.env.user.id,
                    "decision_explanation": "\n".join(
                        filter(None, [rma.decision_explanation, note])
                    ),
                    "decision_explanation_public": "\n".join(
                        filter(
                            None,
                            [
                                rma.decision_explanation_public,
                                self.env._(
                                    "Our team changed the decision: %(decision)s.",
                                    decision=label.lower(),
                                ),
                            ],
                        )
                    ),
                }
            )
            rma.message_post(
                body=self._rma_explanation_html(self.env._("Decision overridden"), note),
                subtype_xmlid="mail.mt_note",
            )
        self.line_ids.write({"decision": decision})
        if decision == "reject":
            self.write({"reject_reason": reason})
            self.filtered(lambda r: r.state == "submitted")._rma_reject()
            return True
        rejected = self.filtered(lambda r: r.state == "rejected")
        rejected._rma_reset()
        rejected._rma_submit(evaluate=False)
        self._rma_approve()
        return True

    def _rma_image_counts(self):
        """{rma id: number of images attached}, one grouped read for the batch."""
        return dict(
            self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", [rid for rid in self.ids if isinstance(rid, int)]),
                    ("mimetype", "=like", "image/%"),
                ],
                ["res_id"],
                ["__count"],
            )
        )

    def _rma_photo_status(self):
        """For the portal: does a return need a photo, and is one attached?

        :return: {rma id: {"required": bool, "attached": bool,
                  "products": [names of the products whose reason needs a photo]}}
        """
        images = self._rma_image_counts()
        result = {}
        for rma in self:
            needing = rma.line_ids.filtered("photo_required")
            result[rma.id] = {
                "required": bool(needing),
                "attached": bool(images.get(rma.id)),
                "products": needing.product_id.mapped("display_name"),
            }
        return result
