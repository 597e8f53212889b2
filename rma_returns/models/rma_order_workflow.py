from odoo import fields, models
from odoo.exceptions import UserError

from .rma_order import STATE_DATES, TRANSITIONS


class RmaOrder(models.Model):
    """The return's workflow: guarded, idempotent, tracked transitions and the
    hooks the policy, automation and notification code plug into."""

    _inherit = "rma.order"

    # === ACTION METHODS === #
    def action_submit(self):
        """Customer or agent sends the request: draft → submitted."""
        todo = self._start_transition("submit")
        empty = todo.filtered(lambda r: not r.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Add at least one product to return before submitting %(names)s.",
                    names=", ".join(empty.mapped("name")),
                )
            )
        todo.line_ids._check_returnable_qty()
        todo._finish_transition("submit")
        todo._on_submit()
        return True

    def action_approve(self):
        """Accept the return: submitted → approved, then run what approval triggers."""
        todo = self._start_transition("approve")
        todo._finish_transition("approve")
        todo._on_approve()
        return True

    def action_reject(self):
        """Refuse the return: draft/submitted → rejected."""
        todo = self._start_transition("reject")
        todo._finish_transition("reject")
        return True

    def action_receive(self):
        """Record that the goods arrived: approved → received."""
        todo = self._start_transition("receive")
        todo._finish_transition("receive")
        return True

    def action_done(self):
        """Close the return once every line is resolved: received → done."""
        todo = self._start_transition("done")
        todo._finish_transition("done")
        return True

    def action_cancel(self):
        """Withdraw the return: draft/submitted/approved → cancelled."""
        todo = self._start_transition("cancel")
        todo._finish_transition("cancel")
        return True

    def action_draft(self):
        """Reopen a rejected or cancelled return: → draft (quantities checked again)."""
        todo = self._start_transition("draft")
        todo.line_ids._check_qty_available()
        todo._finish_transition("draft")
        return True

    def action_open_reject_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Return"),
            "res_model": "rma.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_ids": self.ids},
        }

    # === BUSINESS METHODS === #
    def _start_transition(self, action):
        """Return the records that still have to make ``action``'s transition.

        Records already in the target state are skipped (actions are idempotent);
        any record in a state the action cannot start from raises a UserError.
        The returns are locked so that two workers cannot move them at once.
        """
        sources, target = TRANSITIONS[action]
        self._lock_for_update()
        todo = self.filtered(lambda r: r.state != target)
        wrong = todo.filtered(lambda r: r.state not in sources)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(names)s: the return is %(state)s.",
                    action=self._transition_label(action),
                    names=", ".join(wrong.mapped("name")),
                    state=labels[wrong[0].state].lower(),
                )
            )
        return todo

    def _finish_transition(self, action):
        target = TRANSITIONS[action][1]
        vals = {"state": target}
        if target in STATE_DATES:
            vals[STATE_DATES[target]] = fields.Datetime.now()
        if self:
            self.write(vals)
            self._rma_notify(target)

    def _transition_label(self, action):
        return {
            "submit": self.env._("Submitting"),
            "approve": self.env._("Approving"),
            "reject": self.env._("Rejecting"),
            "receive": self.env._("Receiving"),
            "done": self.env._("Closing"),
            "cancel": self.env._("Cancelling"),
            "draft": self.env._("Resetting to draft"),
        }[action]

    def _lock_for_update(self):
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM rma_order WHERE id IN %s FOR UPDATE", [tuple(self.ids)]
            )
            self.invalidate_recordset(["state"])

    def _on_submit(self):
        """Hook run on the returns that were just submitted."""

    def _on_approve(self):
        """Hook run on the returns that were just approved."""

    def _rma_notify(self, event):
        """Hook: tell the customer about ``event`` on these returns.

        Events: the state just entered (``submitted``, ``approved``, ``rejected``,
        ``received``, ``done``, ``cancelled``), and ``refunded`` /
        ``replacement_shipped`` from the automation.
        """

    def _rma_evaluate(self):
        """Pure, side-effect-free policy evaluation of each return.

        :return: {rma id: {"decision": "approve"|"review"|"reject",
                  "explanation": str, "refund_amount": float, "fees": float,
                  "refund_timing": str, "lines": {line id: decision}}}
        Without a return policy every request goes to an agent for review.
        """
        return {
            rma.id: {
                "decision": "review",
                "explanation": self.env._(
                    "No return policy applies: an agent reviews the request."
                ),
                "refund_amount": rma.amount_total,
                "fees": 0.0,
                "refund_timing": rma.refund_timing,
                "lines": {line.id: "review" for line in rma.line_ids},
            }
            for rma in self
        }
