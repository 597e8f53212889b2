# ruff: noqa: B018
{
    "name": "RMA Returns: Webhooks",
    "summary": "Example automation rules that post return events (submitted, approved, "
    "rejected, received, refunded, replacement shipped) to a web shop's webhook URL",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "rma_returns developers",
    "website": "https://github.com/rma-returns/rma_returns",
    "maintainers": ["rma-returns"],
    "depends": ["rma_returns", "base_automation"],
    "data": ["data/rma_webhook_automation.xml"],
    "installable": True,
    "auto_install": True,
}
