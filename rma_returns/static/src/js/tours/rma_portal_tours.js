/** @odoo-module **/

import { registry } from "@web/core/registry";

// These tours rely on the data created by rma_returns/tests/test_portal.py.

registry.category("web_tour.tours").add("rma_portal_return_tour", {
    steps: () => [
        {
            content: "Start a return from the delivered order",
            trigger: "a.o_rma_return_items",
            run: "click",
        },
        {
            content: "Return one pair of boots",
            trigger: ".o_rma_form_line:contains('Hiking Boots') input[name^='qty_']",
            run: "edit 1",
        },
        {
            content: "Say why",
            trigger: ".o_rma_form_line:contains('Hiking Boots') select[name^='reason_']",
            run: "selectByLabel Wrong size",
        },
        {
            content: "Ask for the preview",
            trigger: "button.o_rma_review",
            run: "click",
        },
        {
            content: "The policy's preview is shown before anything is created",
            trigger: ".o_rma_preview .o_rma_preview_decision:not(:empty)",
        },
        {
            content: "Confirm the return",
            trigger: "button.o_rma_confirm",
            run: "click",
        },
        {
            content: "The return is sent",
            trigger: ".o_rma_submitted",
        },
        {
            content: "The decision is shown",
            trigger: "#rma_decision .o_rma_decision:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("rma_portal_guest_tour", {
    url: "/returns/guest",
    steps: () => [
        {
            content: "Order number",
            trigger: "input#rma_order_ref",
            run: "edit S-GUEST-0001",
        },
        {
            content: "E-mail on the order",
            trigger: "input#rma_email",
            run: "edit gary.guest@example.com",
        },
        {
            content: "Find the order",
            trigger: "button.o_rma_guest_submit",
            run: "click",
        },
        {
            content: "Return the jacket",
            trigger: ".o_rma_form_line:contains('Fleece Jacket') input[name^='qty_']",
            run: "edit 1",
        },
        {
            content: "Say why",
            trigger: ".o_rma_form_line:contains('Fleece Jacket') select[name^='reason_']",
            run: "selectByLabel Changed my mind",
        },
        {
            content: "Ask for the preview",
            trigger: "button.o_rma_review",
            run: "click",
        },
        {
            content: "The preview is shown",
            trigger: ".o_rma_preview .o_rma_preview_decision:not(:empty)",
        },
        {
            content: "Confirm",
            trigger: "button.o_rma_confirm",
            run: "click",
        },
        {
            content: "The return is sent and its decision shown",
            trigger: ".o_rma_submitted",
        },
        {
            trigger: "#rma_decision .o_rma_decision:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("rma_portal_timeline_tour", {
    url: "/my/returns",
    steps: () => [
        {
            content: "Open the return",
            trigger: "tr.o_rma_row a",
            run: "click",
        },
        {
            content: "Submitted and approved are done, with their dates",
            trigger:
                ".o_rma_timeline_step[data-step='submitted'].o_rma_step_done .o_rma_step_date:not(:contains('—'))",
        },
        {
            trigger: ".o_rma_timeline_step[data-step='approved'].o_rma_step_done",
        },
        {
            content: "Received is still to come",
            trigger: ".o_rma_timeline_step[data-step='received'].o_rma_step_todo",
        },
        {
            content: "Enter the carrier",
            trigger: "input#rma_carrier_name",
            run: "edit DHL",
        },
        {
            content: "Enter the tracking number",
            trigger: "input#rma_tracking_ref",
            run: "edit TRK-4242",
        },
        {
            content: "Save",
            trigger: "button.o_rma_tracking_submit",
            run: "click",
        },
        {
            content: "Shipped back is now done and shows the tracking number",
            trigger:
                ".o_rma_timeline_step[data-step='shipped'].o_rma_step_done:contains('TRK-4242')",
        },
        {
            trigger: ".o_rma_tracking_saved",
        },
    ],
});

// On a phone (390 px): cards, not clipped tables.
registry.category("web_tour.tours").add("rma_portal_phone_tour", {
    url: "/my/returns",
    steps: () => [
        {
            content: "The returns are cards on a phone",
            trigger: "a.o_rma_card:contains('Approved')",
            run: "click",
        },
        {
            content: "The next step comes first",
            trigger: "#rma_next_step .o_rma_ship_by",
        },
        {
            trigger: "#rma_next_step a.o_rma_next_slip",
        },
        {
            content: "The decision, in the customer's words",
            trigger: ".o_rma_explanation:contains('send the parcel by')",
        },
        {
            content: "The returned items are cards too",
            trigger: ".o_rma_line_card:contains('Hiking Boots'):contains('Refund')",
        },
    ],
});

registry.category("web_tour.tours").add("rma_portal_guest_phone_tour", {
    url: "/returns/guest",
    steps: () => [
        {
            content: "Order number",
            trigger: "input#rma_order_ref",
            run: "edit S-GUEST-0002",
        },
        {
            content: "E-mail on the order",
            trigger: "input#rma_email",
            run: "edit gina.guest@example.com",
        },
        {
            content: "Find the order",
            trigger: "button.o_rma_guest_submit",
            run: "click",
        },
        {
            content: "The return form of the order opens, with its items",
            trigger: ".o_rma_form_line:contains('Fleece Jacket') input[name^='qty_']",
        },
        {
            content: "No breadcrumbs lead a guest to a login page",
            trigger: "body:not(:has(.o_portal_submenu a[href='/my/home']))",
        },
    ],
});
