/** @odoo-module **/

import { registry } from "@web/core/registry";

// Relies on the data created by rma_returns/tests/test_rma_analytics_tour.py.

registry.category("web_tour.tours").add("rma_manager_overview_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the Returns app",
            trigger: ".o_app[data-menu-xmlid='rma_returns.rma_menu_root']",
            run: "click",
        },
        {
            content: "The overview is the manager's first screen",
            trigger: ".o_kanban_record button[name='action_open_to_review']:contains('To Review')",
        },
        {
            content: "Open the returns to review",
            trigger: ".o_kanban_record button[name='action_open_to_review']",
            run: "click",
        },
        {
            content: "The return waiting for its review is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Overview Customer')",
        },
    ],
});
