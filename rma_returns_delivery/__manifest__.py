# ruff: noqa: B018
{
    "name": "RMA Returns: Carrier Labels and Tracking",
    "summary": "Prepaid return labels from the warehouse's return carrier on approval, "
    "tracking timeline on the return, stalled parcels flagged",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "rma_returns developers",
    "website": "https://github.com/rma-returns/rma_returns",
    "maintainers": ["rma-returns"],
    "depends": ["rma_returns", "stock_delivery"],
    "data": [
        "security/ir.model.access.csv",
        "security/rma_delivery_security.xml",
        "data/rma_delivery_cron.xml",
        "data/mail_templates.xml",
        "report/rma_slip_templates.xml",
        "views/stock_warehouse_views.xml",
        "views/rma_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "installable": True,
    "auto_install": True,
}
