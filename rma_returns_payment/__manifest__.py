{
    "name": "RMA Returns: Payment Refunds and Store Credit",
    "summary": "Refund returns through the payment provider of the order, or as store "
    "credit on the customer's eWallet",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "rma_returns developers",
    "website": "https://github.com/rma-returns/rma_returns",
    "maintainers": ["rma-returns"],
    "depends": ["rma_returns", "account_payment", "loyalty"],
    "data": [
        "data/rma_cron.xml",
        "views/rma_order_views.xml",
        "views/rma_policy_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": ["rma_returns_payment/static/src/js/tours/*.js"],
    },
    "installable": True,
    "auto_install": False,
}
