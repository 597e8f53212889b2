/** @odoo-module **/

import { registry } from "@web/core/registry";

// Relies on the approved return of rma_returns_kdniao/tests/test_kdniao_push.py
// (test_portal_pickup_tour): the customer opens the return's page with its link.

registry.category("web_tour.tours").add("rma_kdniao_pickup_tour", {
    steps: () => [
        {
            content: "The prepaid label is offered for download",
            trigger: "a.o_rma_label_link",
        },
        {
            content: "Choose the second pickup window offered",
            trigger: "#rma_pickup_slot",
            run() {
                const select = this.anchor;
                select.selectedIndex = 1;
                select.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Book the pickup",
            trigger: ".o_rma_pickup_form button.o_rma_pickup_submit",
            run: "click",
        },
        {
            content: "The booking is confirmed",
            trigger: ".o_rma_pickup_booked",
        },
        {
            content: "The page shows the window, no second booking form",
            trigger: "p.o_rma_pickup:not(:has(~ .o_rma_pickup_form))",
        },
    ],
});
