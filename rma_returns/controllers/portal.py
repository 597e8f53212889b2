import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models.rma_order_line import _format_qty

# States the customer finds under "Returns" (drafts are still the shop's).
PORTAL_STATES = ("submitted", "approved", "received", "done", "rejected", "cancelled")
SLIP_STATES = ("approved", "received", "done")
SLIP_REPORT = "rma_returns.action_report_rma_slip"
# Marks the photos a customer uploaded with the return: the only attachments
# of a return served on the portal.
PHOTO_TAG = "rma_portal_photo"
# Ids in URLs beyond this cannot exist (PostgreSQL integer): not found.
MAX_RECORD_ID = 2**31 - 1
# What an access token of a URL can look like (uuid4, token_urlsafe): anything
# else (non-ASCII, NUL, a file, 5 kB of text) is no token at all.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_\-]{1,128}")
# A page number of the list: ASCII digits, a reasonable number of them.
PAGE_PATTERN = re.compile(r"[0-9]{1,9}")
# The signature of a chatter link sent by e-mail (hex HMAC).
HASH_PATTERN = re.compile(r"[0-9a-f]{1,128}")


def _valid_ids(*ids):
    """True when every id of a URL can be a record's id."""
    return all(isinstance(rid, int) and 0 < rid <= MAX_RECORD_ID for rid in ids)


def _clean_text(value):
    """A form value as text: "" for a missing value or a file sent in its
    place; NUL characters, which PostgreSQL refuses, dropped."""
    return value.replace("\x00", "") if isinstance(value, str) else ""


def _valid_token(access_token):
    """The access token of a URL, when it can be one (short ASCII text), else None."""
    if isinstance(access_token, str) and TOKEN_PATTERN.fullmatch(access_token):
        return access_token
    return None


def _chatter_args(kw):
    """The chatter's identification of an e-mail recipient (pid, hash) from
    the URL, when well-formed; everything else of the query is dropped."""
    args = {}
    if isinstance(kw.get("pid"), str) and PAGE_PATTERN.fullmatch(kw["pid"]):
        args["pid"] = kw["pid"]
    if isinstance(kw.get("hash"), str) and HASH_PATTERN.fullmatch(kw["hash"]):
        args["hash"] = kw["hash"]
    return args


def _valid_page(page):
    """The page number of the list: a positive int, 1 for anything else."""
    if isinstance(page, int):
        return max(page, 1)
    if isinstance(page, str) and PAGE_PATTERN.fullmatch(page):
        return max(int(page), 1)
    return 1


class RmaCustomerPortal(CustomerPortal):
    # ------------------------------------------------------------------
    # /my home counter and list
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "rma_count" in counters:
            rma_model = request.env["rma.order"]
            values["rma_count"] = (
                rma_model.search_count(self._prepare_rma_domain(request.env.user.partner_id))
                if rma_model.has_access("read")
                else 0
            )
        return values

    def _prepare_rma_domain(self, partner):
        return [
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("state", "in", PORTAL_STATES),
        ]

    def _get_rma_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_submitted desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, id desc"},
        }

    def _get_rma_searchbar_filters(self):
        labels = dict(request.env["rma.order"]._fields["state"]._description_selection(request.env))
        filters = {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("In progress"),
                "domain": [("state", "in", ("submitted", "approved", "received"))],
            },
        }
        for state in PORTAL_STATES:
            filters[state] = {"label": labels[state], "domain": [("state", "=", state)]}
        return filters

    @http.route(
        ["/my/returns", "/my/returns/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_returns(self, page=1, sortby=None, filterby=None, **kw):
        rma_model = request.env["rma.order"]
        values = self._prepare_portal_layout_values()
        sortings = self._get_rma_searchbar_sortings()
        filters = self._get_rma_searchbar_filters()
        sortby = sortby if isinstance(sortby, str) and sortby in sortings else "date"
        filterby = filterby if isinstance(filterby, str) and filterby in filters else "all"
        page = _valid_page(page)
        domain = self._prepare_rma_domain(request.env.user.partner_id) + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/returns",
            url_args={"sortby": sortby, "filterby": filterby},
            total=rma_model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        rmas = rma_model.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_rmas_history"] = rmas.ids[:100]
        values.update(
            {
                "rmas": rmas.sudo(),
                "page_name": "rma",
                "pager": pager,
                "default_url": "/my/returns",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("rma_returns.portal_my_returns", values)

    # ------------------------------------------------------------------
    # Return detail and its sub-documents
    # ------------------------------------------------------------------
    def _rma_check_access(self, rma_id, access_token=None):
        """The return (sudo) if the visitor may see it: through the record
        rules (own commercial partner) or with the return's own token, once
        it was submitted (drafts are the shop's)."""
        if not _valid_ids(rma_id):
            raise NotFound()
        try:
            rma_sudo = self._document_check_access(
                "rma.order", rma_id, access_token=_valid_token(access_token)
            )
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        if rma_sudo.state not in PORTAL_STATES:
            # a draft is the shop's work in progress, not yet the customer's
            raise NotFound()
        return rma_sudo

    @http.route("/my/returns/<int:rma_id>", type="http", auth="public", website=True)
    def portal_my_return(self, rma_id, access_token=None, message=None, **kw):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        access_token = _valid_token(access_token)
        message = message if isinstance(message, str) else None
        return request.render(
            "rma_returns.portal_return_page",
            self._rma_detail_values(rma_sudo, access_token, message=message, **_chatter_args(kw)),
        )

    def _rma_detail_values(self, rma_sudo, access_token, message=None, error=None, **kw):
        env = request.env
        decisions = dict(rma_sudo._fields["decision"]._description_selection(env))
        states = dict(rma_sudo._fields["state"]._description_selection(env))
        conditions = dict(rma_sudo.line_ids._fields["condition"]._description_selection(env))
        resolutions = dict(rma_sudo.line_ids._fields["resolution"]._description_selection(env))
        token_query = f"?access_token={access_token}" if access_token else ""
        precision = env["decimal.precision"].precision_get("Product Unit of Measure")
        values = {
            "rma": rma_sudo,
            "page_name": "rma",
            "message": message,
            "error": error,
            "decision_label": self._rma_decision_text(rma_sudo, decisions),
            "decision_text": rma_sudo._rma_customer_decision_text(lang=env.lang),
            "ship_by": rma_sudo._rma_ship_by_date(),
            "return_address": rma_sudo._rma_return_address(),
            "refund_notes": rma_sudo._rma_refund_documents(),
            "state_label": states.get(rma_sudo.state, ""),
            "condition_labels": conditions,
            "resolution_labels": resolutions,
            "timeline": rma_sudo._rma_portal_timeline(),
            "credit_notes": rma_sudo._rma_portal_credit_notes(),
            "replacements": rma_sudo._rma_portal_replacements(),
            "photos": env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "rma.order"),
                    ("res_id", "=", rma_sudo.id),
                    ("description", "=", PHOTO_TAG),
                ]
            ),
            "show_slip": self._rma_slip_available(rma_sudo),
            "token_query": token_query,
            "format_qty": lambda qty: _format_qty(qty, precision),
            "access_token": access_token,
            "report_type": "html",
        }
        return self._get_page_view_values(
            # a guest (link with a token) has no "My account" to go back to
            rma_sudo,
            access_token,
            values,
            "my_rmas_history",
            request.env.user._is_public(),
            **kw,
        )

    def _rma_decision_text(self, rma_sudo, decisions):
        """The policy's decision; for returns decided by hand, what the agent did."""
        if rma_sudo.decision:
            return decisions[rma_sudo.decision]
        return {
            "approved": request.env._("Approved"),
            "received": request.env._("Approved"),
            "done": request.env._("Approved"),
            "rejected": request.env._("Rejected"),
            "cancelled": request.env._("Cancelled"),
        }.get(rma_sudo.state, request.env._("Waiting for a decision"))

    def _rma_slip_available(self, rma_sudo):
        return rma_sudo.state in SLIP_STATES and bool(
            request.env.ref(SLIP_REPORT, raise_if_not_found=False)
        )

    @http.route(
        "/my/returns/<int:rma_id>/tracking",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_return_tracking(
        self, rma_id, access_token=None, carrier_name=None, tracking_ref=None, **kw
    ):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        access_token = _valid_token(access_token)
        user = request.env.user
        author = rma_sudo.partner_id if user._is_public() else user.partner_id
        try:
            rma_sudo._rma_portal_set_tracking(
                _clean_text(carrier_name), _clean_text(tracking_ref), author
            )
        except (UserError, ValidationError) as exc:
            values = self._rma_detail_values(rma_sudo, access_token, error=str(exc))
            return request.render("rma_returns.portal_return_page", values)
        return request.redirect(self._rma_url(rma_sudo, access_token, message="tracking_saved"))

    @http.route(
        "/my/returns/<int:rma_id>/cancel",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_return_cancel(self, rma_id, access_token=None, **kw):
        """The customer withdraws their return (see rma.order._rma_portal_cancel)."""
        rma_sudo = self._rma_check_access(rma_id, access_token)
        access_token = _valid_token(access_token)
        try:
            # as the visitor: the method checks who cancels
            rma = request.env["rma.order"].browse(rma_sudo.id)
            rma._rma_portal_cancel(access_token=access_token)
        except AccessError as exc:
            raise NotFound() from exc
        except UserError as exc:
            values = self._rma_detail_values(rma_sudo, access_token, error=str(exc))
            return request.render("rma_returns.portal_return_page", values)
        return request.redirect(self._rma_url(rma_sudo, access_token, message="cancelled"))

    def _rma_url(self, rma_sudo, access_token=None, message=None):
        params = []
        if access_token:
            params.append(f"access_token={access_token}")
        if message:
            params.append(f"message={message}")
        return f"/my/returns/{rma_sudo.id}" + ("?" + "&".join(params) if params else "")

    @http.route("/my/returns/<int:rma_id>/slip", type="http", auth="public", website=True)
    def portal_return_slip(self, rma_id, access_token=None, download=None, **kw):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        if not self._rma_slip_available(rma_sudo):
            raise NotFound()
        return self._show_report(rma_sudo, "pdf", SLIP_REPORT, download=download == "true")

    @http.route(
        "/my/returns/<int:rma_id>/credit_note/<int:move_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_return_credit_note(self, rma_id, move_id, access_token=None, **kw):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        move_sudo = rma_sudo._rma_portal_credit_notes().filtered(lambda m: m.id == move_id)
        if not move_sudo:
            raise NotFound()
        return self._show_report(move_sudo, "pdf", "account.account_invoices", download=False)

    @http.route(
        "/my/returns/<int:rma_id>/picking/<int:picking_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_return_picking(self, rma_id, picking_id, access_token=None, **kw):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        picking_sudo = rma_sudo._rma_portal_replacements().filtered(lambda p: p.id == picking_id)
        if not picking_sudo:
            raise NotFound()
        return self._show_report(picking_sudo, "pdf", "stock.action_report_delivery")

    @http.route(
        "/my/returns/<int:rma_id>/photo/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
    )
    def portal_return_photo(self, rma_id, attachment_id, access_token=None, **kw):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        if not _valid_ids(attachment_id):
            raise NotFound()
        attachment_sudo = request.env["ir.attachment"].sudo().browse(attachment_id).exists()
        if (
            not attachment_sudo
            or attachment_sudo.res_model != "rma.order"
            or attachment_sudo.res_id != rma_sudo.id
            or attachment_sudo.description != PHOTO_TAG
        ):
            raise NotFound()
        return request.env["ir.binary"]._get_stream_from(attachment_sudo).get_response()
