"""18.0.1.1.0: portal customers no longer read an agent's draft return.

The portal record rules are ``noupdate`` data: an upgrade keeps their old
domain, so the new one is written here (fresh installs get it from
security/rma_security.xml).
"""

from odoo import SUPERUSER_ID, api

PORTAL_RULES = {
    "rma_returns.rma_order_rule_portal": (
        "[('commercial_partner_id', '=', user.commercial_partner_id.id), ('state', '!=', 'draft')]"
    ),
    "rma_returns.rma_order_line_rule_portal": (
        "[('rma_id.commercial_partner_id', '=', user.commercial_partner_id.id), "
        "('rma_id.state', '!=', 'draft')]"
    ),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in PORTAL_RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
