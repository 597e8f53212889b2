from odoo import models
from odoo.exceptions import UserError

MANAGER = "rma_returns.group_rma_manager"


class RmaOrder(models.Model):
    """The form's header buttons: one next step per state, a manager's reason
    when approving against the policy, and a notification saying what a step
    that moved goods or money did."""

    _inherit = "rma.order"

    # === ACTION METHODS === #
    def action_rma_approve(self):
        """Approve; a return the policy rejected is approved only by a manager,
        with a reason (the override wizard)."""
        against = self.filtered(lambda r: r.state == "rejected" or r.decision == "reject")
        if not against:
            return self.action_approve()
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "The return policy rejected %(names)s: only a returns manager can "
                    "approve it, giving the reason.",
                    names=", ".join(against.mapped("name")),
                )
            )
        action = self.action_open_override_wizard()
        action["name"] = self.env._("Approve Against the Policy")
        action["context"] = dict(action["context"], default_decision="approve")
        return action

    def action_rma_receive(self):
        """Mark Received, then say which transfers were validated."""
        before = self._rma_pending_receipts()
        self.action_receive()
        done = before.filtered(lambda p: p.state == "done")
        qty = f"{sum(done.move_ids.mapped('quantity')):g}"
        return self._rma_notification(
            self.env._("Goods received"),
            self.env._(
                "%(qty)s unit(s) received on %(pickings)s.",
                qty=qty,
                pickings=", ".join(done.mapped("name")) or "-",
            ),
        )

    def action_rma_close(self):
        """Close, then say what closing did to the goods and the money."""
        self.action_done()
        notes = self.credit_note_ids.filtered(lambda m: m.state == "posted")
        return self._rma_notification(
            self.env._("Return closed"),
            self.env._(
                "%(names)s closed. Credit notes: %(notes)s.",
                names=", ".join(self.mapped("name")),
                notes=", ".join(notes.mapped("name")) or self.env._("none"),
            ),
        )

    # === BUSINESS METHODS === #
    def _rma_notification(self, title, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
