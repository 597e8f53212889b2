/** @odoo-module **/

import { registry } from "@web/core/registry";

// Relies on the data created by rma_returns_payment/tests/test_rma_portal_store_credit.py.

registry.category("web_tour.tours").add("rma_portal_store_credit_tour", {
    steps: () => [
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
            content: "Choose store credit instead of money back",
            trigger: ".o_rma_refund_method input#rma_refund_store_credit",
            run: "click",
        },
        {
            content: "Ask for the preview",
            trigger: "button.o_rma_review",
            run: "click",
        },
        {
            content: "The preview says the money comes back as store credit",
            trigger: ".o_rma_preview_refund_method:contains('store credit on your Shop eWallet')",
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
            content: "The store credit is shown on the return, with the balance",
            trigger:
                ".o_rma_store_credit:contains('Shop eWallet') .o_rma_store_credit_balance_amount:contains('126.50')",
        },
    ],
});
