from odoo import fields, models


class RmaPolicyOverrideWizard(models.TransientModel):
    """Managers replace the policy's decision on returns, with a reason."""

    _name = "rma.policy.override.wizard"
    _description = "Override Return Decision"

    rma_ids = fields.Many2many("rma.order", required=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve"
    )
    reason = fields.Text(
        required=True, help="Tracked on the return; shown to the customer on a rejection."
    )

    def action_override(self):
        """Apply the override to the returns."""
        self.ensure_one()
        self.rma_ids._rma_override(self.decision, self.reason)
        return {"type": "ir.actions.act_window_close"}
