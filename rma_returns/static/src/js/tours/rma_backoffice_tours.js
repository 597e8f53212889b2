/** @odoo-module **/

import { registry } from "@web/core/registry";

// These tours rely on the data created by rma_returns/tests/test_rma_backoffice_tours.py.

registry.category("web_tour.tours").add("rma_agent_approve_tour", {
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
            content: "Open the submitted return",
            trigger: ".o_kanban_record:contains('Tour Agent Customer')",
            run: "click",
        },
        {
            content: "The return waits for its review",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_approve']",
            run: "click",
        },
        {
            content: "The return is approved",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Approved')",
        },
    ],
});

registry.category("web_tour.tours").add("rma_clerk_scan_tour", {
    url: "/rma/scan",
    steps: () => [
        {
            content: "Scan the slip",
            trigger: ".o_rma_scan_form input[name='code']",
            run: "edit TourClerkSlipToken0123456789abcdef",
        },
        {
            content: "Open it",
            trigger: ".o_rma_scan_form button[type='submit']",
            run: "click",
        },
        {
            content: "The customer's comment shows beside the parcel",
            trigger: ".o_rma_scan_comment:contains('Left boot is scuffed')",
        },
        {
            content: "The fleece arrived damaged: scrap it",
            trigger: ".o_rma_scan_line:contains('Fleece Jacket') select.o_rma_scan_disposition",
            run: "select scrap",
        },
        {
            content: "One boot arrived",
            trigger: ".o_rma_scan_line:contains('Hiking Boots') input.o_rma_scan_qty",
            run: "edit 1",
        },
        {
            content: "Validate the parcel",
            trigger: "button.o_rma_scan_validate",
            run: "click",
        },
        {
            content: "The parcel is received",
            trigger: ".o_rma_scan_done:contains('Scan the next parcel')",
        },
        {
            content: "The scan field waits for the next parcel",
            trigger: ".o_rma_scan_form input[name='code']",
            run() {
                if (document.activeElement !== this.anchor) {
                    throw new Error("The scan field does not have the focus.");
                }
            },
        },
        {
            content: "Scan the next parcel",
            trigger: ".o_rma_scan_form input[name='code']",
            run: "edit TourClerkNextSlip0123456789abcdef",
        },
        {
            content: "Open it",
            trigger: ".o_rma_scan_form button[type='submit']",
            run: "click",
        },
        {
            content: "The next parcel shows",
            trigger: ".o_rma_scan_parcel:contains('Tour Clerk Next Customer') button.o_rma_scan_validate",
        },
    ],
});

registry.category("web_tour.tours").add("rma_accountant_credit_note_tour", {
    url: "/odoo/action-rma_returns.account_move_action_rma_refund",
    steps: () => [
        {
            content: "Show every return credit note, reconciled ones too",
            trigger: ".o_searchview .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the return's credit note",
            trigger: ".o_list_view .o_data_row:contains('Tour Accountant Customer') td[name='name']",
            run: "click",
        },
        {
            content: "The credit note links the invoice it reverses",
            trigger: ".o_form_view .o_field_widget[name='reversed_entry_id'] a",
        },
        {
            content: "and the return",
            trigger: ".o_form_view .o_field_widget[name='rma_order_id'] a",
        },
    ],
});
