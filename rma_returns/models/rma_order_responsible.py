from collections import defaultdict

from odoo import api, models


class RmaOrder(models.Model):
    """Who works on a return: returns created for a customer (portal, guest,
    automation running as superuser) go to a person of the shop, never to the
    customer or to OdooBot."""

    _inherit = "rma.order"

    # === CRUD METHODS === #
    @api.model_create_multi
    def create(self, vals_list):
        rmas = super().create(vals_list)
        rmas._rma_assign_responsible()
        return rmas

    # === BUSINESS METHODS === #
    @api.model
    def _rma_is_staff(self, user):
        """An active internal user who is not the superuser (OdooBot)."""
        return bool(user) and user.active and not user.share and not user._is_superuser()

    def _rma_responsible_candidates(self):
        """The people who should handle this return, in order: the policy's
        reviewer, the order's salesperson, the sales team's leader."""
        self.ensure_one()
        order = self.sale_order_id
        return [self.policy_id.review_user_id, order.user_id, order.team_id.user_id]

    def _rma_responsible(self):
        """The first staff member among the candidates (empty when none is)."""
        self.ensure_one()
        return next(
            (
                user
                for user in self.sudo()._rma_responsible_candidates()
                if self._rma_is_staff(user)
            ),
            self.env["res.users"],
        )

    def _rma_assign_responsible(self, reassign=False):
        """Give the returns without a staff responsible (created by a customer or
        by the system) to the first staff candidate; others keep theirs unless
        ``reassign`` (the policy is known now and names its reviewer)."""
        by_user = defaultdict(lambda: self.env["rma.order"].sudo())
        for rma in self.sudo():
            if not reassign and rma._rma_is_staff(rma.user_id):
                continue
            responsible = rma._rma_responsible()
            if responsible and responsible != rma.user_id:
                by_user[responsible] |= rma
        for user, rmas in by_user.items():
            rmas.user_id = user
