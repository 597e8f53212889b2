# ruff: noqa: B018
{
    "name": "RMA Returns: Kdniao Connector",
    "summary": "Kdniao (快递鸟) return e-waybills, door pickups and tracking pushes "
    "for rma_returns",
    "version": "18.0.1.1.0",
    "category": "Inventory/Delivery",
    "license": "LGPL-3",
    "author": "rma_returns developers",
    "website": "https://github.com/rma-returns/rma_returns",
    "maintainers": ["rma-returns"],
    "depends": ["rma_returns_delivery"],
    "data": [
        "security/ir.model.access.csv",
        "data/rma_kdniao_cron.xml",
        "views/delivery_carrier_views.xml",
    ],
    "demo": ["demo/rma_kdniao_demo.xml"],
    "assets": {
        "web.assets_tests": ["rma_returns_kdniao/static/src/js/tours/*.js"],
    },
    "installable": True,
}
