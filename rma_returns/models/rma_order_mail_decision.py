from odoo import models


class RmaOrder(models.Model):
    """A decision the policy makes while the return is submitted is told in one
    e-mail (the approval with its slip, or the rejection with its reason), not
    after an acknowledgement that says the same: one e-mail per event.

    (Loaded after rma_order_policy, whose step it wraps.)"""

    _inherit = "rma.order"

    def _rma_apply_policy(self):
        return super(RmaOrder, self.with_context(rma_policy_decision=True))._rma_apply_policy()
