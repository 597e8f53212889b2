from odoo.addons.rma_returns.controllers.portal_return_form import RmaReturnFormPortal
from odoo.http import request

METHODS = ("original", "store_credit")


class RmaReturnFormPortalPayment(RmaReturnFormPortal):
    """The return form offers store credit (with the policy's bonus) instead
    of money back, when the company has an eWallet for it, and an exchange for
    a variant in stock before money back."""

    def _rma_store_credit_offer(self, order_sudo):
        """The eWallet program store credit goes to, when it can be chosen."""
        company = order_sudo.company_id.sudo()
        if not company.rma_store_credit_account_id:
            return None
        return company.rma_ewallet_program_id or None

    def _rma_store_credit_bonus(self, lines):
        """The store credit bonus (%) the policies of ``lines`` give, when they
        agree on one; 0.0 when none or when it depends on the items chosen."""
        policies = lines._rma_portal_policies()
        bonuses = {policies[line.id].store_credit_bonus for line in lines if policies.get(line.id)}
        return bonuses.pop() if len(bonuses) == 1 else 0.0

    def _rma_form_values(self, order_sudo, lines, returnable, access_token):
        values = super()._rma_form_values(order_sudo, lines, returnable, access_token)
        offer = self._rma_store_credit_offer(order_sudo)
        chosen = request.params.get("refund_method")
        values.update(
            store_credit_offer=offer,
            store_credit_bonus=self._rma_store_credit_bonus(lines) if offer else 0.0,
            refund_method=chosen if offer and chosen in METHODS else "original",
        )
        # an exchange for a variant in stock is offered first: that variant
        # is the one suggested
        in_stock = lines._rma_portal_exchange_in_stock()
        entered = dict(values.get("entered") or {})
        for line in lines:
            variant = in_stock.get(line.id)
            if variant and values["resolutions"][line.id][:1] == ["exchange"]:
                entered.setdefault(line.id, {"exchange": str(variant.id)})
        values["entered"] = entered
        return values

    def _rma_parse_form(self, order_sudo, lines, returnable, post):
        parsed, errors = super()._rma_parse_form(order_sudo, lines, returnable, post)
        chosen = post.get("refund_method") or "original"
        if chosen not in METHODS or (
            chosen == "store_credit" and not self._rma_store_credit_offer(order_sudo)
        ):
            errors.append(request.env._("Choose how you want your money back."))
            chosen = "original"
        parsed["refund_method"] = chosen
        return parsed, errors

    def _rma_prepare_vals(self, order_sudo, parsed):
        vals = super()._rma_prepare_vals(order_sudo, parsed)
        vals["refund_method"] = parsed.get("refund_method") or "original"
        return vals
