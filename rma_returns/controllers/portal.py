import base64
import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import consteq, float_compare
from odoo.tools.mimetypes import guess_mimetype

from ..models.rma_order_line import CONDITIONS, RESOLUTIONS, _format_qty

_logger = logging.getLogger(__name__)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MAX_COMMENT_LENGTH = 2000
# States the customer finds under "Returns" (drafts are still the shop's).
PORTAL_STATES = ("submitted", "approved", "received", "done", "rejected", "cancelled")
SLIP_STATES = ("approved", "received", "done")
SLIP_REPORT = "rma_returns.action_report_rma_slip"
# Marks the photos a customer uploaded with the return: the only attachments
# of a return served on the portal.
PHOTO_TAG = "rma_portal_photo"
# Stands in, during the preview, for the photo the confirmation step requires.
PREVIEW_PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


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
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
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
        rules (own commercial partner) or with the return's own token."""
        try:
            return self._document_check_access("rma.order", rma_id, access_token=access_token)
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc

    @http.route("/my/returns/<int:rma_id>", type="http", auth="public", website=True)
    def portal_my_return(self, rma_id, access_token=None, message=None, **kw):
        rma_sudo = self._rma_check_access(rma_id, access_token)
        return request.render(
            "rma_returns.portal_return_page",
            self._rma_detail_values(rma_sudo, access_token, message=message, **kw),
        )

    def _rma_detail_values(self, rma_sudo, access_token, message=None, error=None, **kw):
        env = request.env
        decisions = dict(rma_sudo._fields["decision"]._description_selection(env))
        states = dict(rma_sudo._fields["state"]._description_selection(env))
        conditions = dict(rma_sudo.line_ids._fields["condition"]._description_selection(env))
        resolutions = dict(rma_sudo.line_ids._fields["resolution"]._description_selection(env))
        token_query = f"?access_token={access_token}" if access_token else ""
        values = {
            "rma": rma_sudo,
            "page_name": "rma",
            "message": message,
            "error": error,
            "decision_label": self._rma_decision_text(rma_sudo, decisions),
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
            "access_token": access_token,
            "report_type": "html",
        }
        return self._get_page_view_values(
            rma_sudo, access_token, values, "my_rmas_history", False, **kw
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
        user = request.env.user
        author = rma_sudo.partner_id if user._is_public() else user.partner_id
        try:
            rma_sudo._rma_portal_set_tracking(carrier_name, tracking_ref, author)
        except (UserError, ValidationError) as exc:
            values = self._rma_detail_values(rma_sudo, access_token, error=str(exc))
            return request.render("rma_returns.portal_return_page", values)
        return request.redirect(self._rma_url(rma_sudo, access_token, message="tracking_saved"))

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
        attachment_sudo = request.env["ir.attachment"].sudo().browse(attachment_id).exists()
        if (
            not attachment_sudo
            or attachment_sudo.res_model != "rma.order"
            or attachment_sudo.res_id != rma_sudo.id
            or attachment_sudo.description != PHOTO_TAG
        ):
            raise NotFound()
        return request.env["ir.binary"]._get_stream_from(attachment_sudo).get_response()

    # ------------------------------------------------------------------
    # Return form on a delivered order
    # ------------------------------------------------------------------
    def _rma_order_check_access(self, order_id, access_token=None):
        """The sale order (sudo) the visitor may return goods of: with the
        order's own token (guests, e-mail links), or logged in as a contact of
        the order's customer who can read the order."""
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order_sudo:
            raise NotFound()
        if access_token:
            if order_sudo.access_token and consteq(order_sudo.access_token, access_token):
                return order_sudo
            raise NotFound()
        user = request.env.user
        if (
            user._is_public()
            or order_sudo.partner_id.commercial_partner_id != user.partner_id.commercial_partner_id
            or not order_sudo.with_user(user).has_access("read")
        ):
            raise NotFound()
        return order_sudo

    @http.route(
        "/my/orders/<int:order_id>/return",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_order_return(self, order_id, access_token=None, step=None, **post):
        order_sudo = self._rma_order_check_access(order_id, access_token)
        lines, returnable = order_sudo._rma_portal_returnable_lines()
        values = self._rma_form_values(order_sudo, lines, returnable, access_token)
        if request.httprequest.method != "POST" or not lines:
            return request.render("rma_returns.portal_return_form", values)
        parsed, errors = self._rma_parse_form(order_sudo, lines, returnable, post)
        values.update(entered=parsed["entered"], description=parsed["description"])
        if errors or step == "edit":
            values["errors"] = errors
            return request.render("rma_returns.portal_return_form", values)
        try:
            preview = self._rma_preview(order_sudo, parsed)
        except (UserError, ValidationError) as exc:
            values["errors"] = [str(exc)]
            return request.render("rma_returns.portal_return_form", values)
        values.update(preview=preview, parsed=parsed)
        if step != "submit":
            return request.render("rma_returns.portal_return_preview", values)
        photos, errors = self._rma_parse_photos(parsed)
        if errors:
            values["errors"] = errors
            return request.render("rma_returns.portal_return_preview", values)
        try:
            with request.env.cr.savepoint():
                rma_sudo = self._rma_create_return(order_sudo, parsed, photos)
        except (UserError, ValidationError) as exc:
            values["errors"] = [str(exc)]
            return request.render("rma_returns.portal_return_preview", values)
        return request.redirect(
            rma_sudo.get_portal_url(query_string="&message=submitted")
            if access_token or request.env.user._is_public()
            else self._rma_url(rma_sudo, message="submitted")
        )

    def _rma_form_values(self, order_sudo, lines, returnable, access_token):
        env = request.env
        reasons = self._rma_allowed_reasons(order_sudo)
        line_model = env["rma.order.line"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "sale_order": order_sudo,
                "page_name": "rma_form",
                "lines": lines,
                "returnable": returnable,
                "reasons": reasons,
                "conditions": line_model._fields["condition"]._description_selection(env),
                "condition_labels": dict(
                    line_model._fields["condition"]._description_selection(env)
                ),
                "resolution_labels": dict(
                    line_model._fields["resolution"]._description_selection(env)
                ),
                "resolutions": lines._rma_portal_resolutions(),
                "exchanges": lines._rma_portal_exchange_products(),
                "access_token": access_token,
                "form_action": f"/my/orders/{order_sudo.id}/return"
                + (f"?access_token={access_token}" if access_token else ""),
                "format_qty": self._rma_format_qty,
                "entered": {},
                "description": "",
                "errors": [],
                "preview": None,
                "photo_max_mb": PHOTO_MAX_BYTES // (1024 * 1024),
            }
        )
        return values

    def _rma_format_qty(self, qty):
        precision = request.env["decimal.precision"].precision_get("Product Unit of Measure")
        return _format_qty(qty, precision)

    def _rma_allowed_reasons(self, order_sudo):
        return (
            request.env["rma.reason"]
            .sudo()
            .search([("company_id", "in", [False, order_sudo.company_id.id])])
        )

    def _rma_parse_form(self, order_sudo, lines, returnable, post):
        """Validate every field of the return form against the order.

        :return: ({"lines": [{sale_line, qty, reason, condition, resolution,
                  exchange_product}], "entered": raw values per line id,
                  "description": str}, [error messages])
        """
        env = request.env
        errors = []
        precision = env["decimal.precision"].precision_get("Product Unit of Measure")
        reasons = self._rma_allowed_reasons(order_sudo)
        resolutions = lines._rma_portal_resolutions()
        exchanges = lines._rma_portal_exchange_products()
        conditions = {key for key, _label in CONDITIONS}
        known_resolutions = {key for key, _label in RESOLUTIONS}
        description = (post.get("description") or "").strip()
        if len(description) > MAX_COMMENT_LENGTH:
            errors.append(
                env._("Please keep your comment under %(max)s characters.", max=MAX_COMMENT_LENGTH)
            )
        # Every line the form names must be a returnable line of this order.
        named_ids = set()
        for key in post:
            if key.startswith("qty_"):
                try:
                    named_ids.add(int(key[4:]))
                except ValueError:
                    errors.append(env._("The form contains an unknown line."))
        foreign = named_ids - set(lines.ids)
        if foreign:
            errors.append(
                env._(
                    "Some of the products you selected cannot be returned on order %(order)s.",
                    order=order_sudo.name,
                )
            )
        result, entered = [], {}
        for line in lines:
            raw = {
                "qty": (post.get(f"qty_{line.id}") or "").strip(),
                "reason": post.get(f"reason_{line.id}") or "",
                "condition": post.get(f"condition_{line.id}") or "unopened",
                "resolution": post.get(f"resolution_{line.id}") or "refund",
                "exchange": post.get(f"exchange_{line.id}") or "",
            }
            entered[line.id] = raw
            product = line.product_id.display_name
            try:
                qty = float(raw["qty"] or 0.0)
            except ValueError:
                errors.append(env._("Please enter a number for %(product)s.", product=product))
                continue
            if qty != qty or qty < 0:  # NaN or negative
                errors.append(env._("Please enter a number for %(product)s.", product=product))
                continue
            if float_compare(qty, 0.0, precision_digits=precision) == 0:
                continue
            maximum = returnable.get(line.id, 0.0)
            if float_compare(qty, maximum, precision_digits=precision) > 0:
                errors.append(
                    env._(
                        "You can return at most %(max)s %(uom)s of %(product)s.",
                        max=_format_qty(maximum, precision),
                        uom=line.product_uom.name,
                        product=product,
                    )
                )
                continue
            reason = reasons.filtered(lambda r, raw=raw: str(r.id) == raw["reason"])
            if not reason:
                errors.append(env._("Please tell us why you return %(product)s.", product=product))
                continue
            if raw["condition"] not in conditions:
                errors.append(env._("Please choose the condition of %(product)s.", product=product))
                continue
            if (
                raw["resolution"] not in known_resolutions
                or raw["resolution"] not in resolutions[line.id]
            ):
                errors.append(
                    env._("This resolution is not available for %(product)s.", product=product)
                )
                continue
            exchange_product = env["product.product"]
            if raw["resolution"] == "exchange":
                exchange_product = exchanges[line.id].filtered(
                    lambda p, raw=raw: str(p.id) == raw["exchange"]
                )
                if not exchange_product:
                    errors.append(
                        env._(
                            "Please choose the variant you want instead of %(product)s.",
                            product=product,
                        )
                    )
                    continue
            result.append(
                {
                    "sale_line": line,
                    "qty": qty,
                    "reason": reason,
                    "condition": raw["condition"],
                    "resolution": raw["resolution"],
                    "exchange_product": exchange_product,
                }
            )
        if not result and not errors:
            errors.append(env._("Choose at least one product and the quantity to return."))
        return {"lines": result, "entered": entered, "description": description}, errors

    def _rma_prepare_vals(self, order_sudo, parsed):
        return {
            "sale_order_id": order_sudo.id,
            "partner_id": order_sudo.partner_id.id,
            "company_id": order_sudo.company_id.id,
            "user_id": order_sudo.user_id.id,
            "description": parsed["description"] or False,
            "line_ids": [
                Command.create(
                    {
                        "sale_line_id": item["sale_line"].id,
                        "product_uom_qty": item["qty"],
                        "reason_id": item["reason"].id,
                        "condition": item["condition"],
                        "resolution": item["resolution"],
                        "exchange_product_id": item["exchange_product"].id,
                    }
                )
                for item in parsed["lines"]
            ],
        }

    def _rma_preview(self, order_sudo, parsed):
        """What the return policy would decide, without creating anything: a
        draft return (with a stand-in for the photos the submission requires)
        is created in a savepoint, evaluated, and rolled back."""
        env = order_sudo.env
        rma_model = (
            env["rma.order"]
            .with_company(order_sudo.company_id)
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
            )
        )
        vals = self._rma_prepare_vals(order_sudo, parsed)
        vals["name"] = env._("Preview")  # keeps the sequence untouched
        savepoint = env.cr.savepoint()
        try:
            rma = rma_model.create(vals)
            if any(item["reason"].photo_required for item in parsed["lines"]):
                # The return cannot be sent without the photos its reasons ask
                # for: evaluate it as it will be submitted.
                env["ir.attachment"].create(
                    {
                        "name": "preview.png",
                        "raw": PREVIEW_PHOTO,
                        "mimetype": "image/png",
                        "res_model": "rma.order",
                        "res_id": rma.id,
                    }
                )
            evaluation = rma._rma_evaluate()[rma.id]
            labels = dict(rma._fields["decision"]._description_selection(env))
            preview = {
                "decision": evaluation.get("decision"),
                "decision_label": labels.get(evaluation.get("decision"), ""),
                "explanation": evaluation.get("explanation") or "",
                "refund_amount": evaluation.get("refund_amount") or 0.0,
                "fees": evaluation.get("fees") or 0.0,
                "refund_timing": dict(rma._fields["refund_timing"]._description_selection(env)).get(
                    evaluation.get("refund_timing"), ""
                ),
                "amount_total": rma.amount_total,
                "currency": rma.currency_id,
                "lines": {
                    line.sale_line_id.id: evaluation.get("lines", {}).get(line.id)
                    for line in rma.line_ids
                },
            }
        finally:
            # the draft return, its lines and anything the policy wrote go away
            savepoint.close(rollback=True)
        env.invalidate_all()
        return preview

    def _rma_parse_photos(self, parsed):
        """Photos uploaded per line: images only, size-limited; required where
        the reason asks for one.

        :return: ({sale line id: [(filename, bytes, mimetype)]}, [errors])
        """
        env = request.env
        files = request.httprequest.files
        photos, errors = {}, []
        for item in parsed["lines"]:
            line = item["sale_line"]
            product = line.product_id.display_name
            uploads = [f for f in files.getlist(f"photo_{line.id}") if f and f.filename]
            for upload in uploads:
                data = upload.read(PHOTO_MAX_BYTES + 1)
                if len(data) > PHOTO_MAX_BYTES:
                    errors.append(
                        env._(
                            "The photo %(name)s is larger than %(max)s MB.",
                            name=upload.filename,
                            max=PHOTO_MAX_BYTES // (1024 * 1024),
                        )
                    )
                    continue
                mimetype = guess_mimetype(data)
                if mimetype not in PHOTO_MIMETYPES:
                    errors.append(
                        env._(
                            "%(name)s is not a photo: please upload a JPEG, PNG, GIF or "
                            "WebP image.",
                            name=upload.filename,
                        )
                    )
                    continue
                photos.setdefault(line.id, []).append((upload.filename, data, mimetype))
            if item["reason"].photo_required and not photos.get(line.id):
                errors.append(
                    env._(
                        "Please add a photo of %(product)s: the reason “%(reason)s” needs one.",
                        product=product,
                        reason=item["reason"].name,
                    )
                )
        return photos, errors

    def _rma_create_return(self, order_sudo, parsed, photos):
        """Create and submit the return as superuser, for the order's customer."""
        env = order_sudo.env
        user = request.env.user
        author = order_sudo.partner_id if user._is_public() else user.partner_id
        rma_sudo = (
            env["rma.order"]
            .with_company(order_sudo.company_id)
            .with_context(mail_create_nosubscribe=True)
            .create(self._rma_prepare_vals(order_sudo, parsed))
        )
        by_sale_line = {line.sale_line_id.id: line for line in rma_sudo.line_ids}
        attachment_vals = [
            {
                "name": f"{by_sale_line[line_id].product_id.display_name} - {filename}",
                "raw": data,
                "mimetype": mimetype,
                "description": PHOTO_TAG,
                "res_model": "rma.order",
                "res_id": rma_sudo.id,
            }
            for line_id, files in photos.items()
            for filename, data, mimetype in files
        ]
        attachments = env["ir.attachment"].create(attachment_vals)
        if parsed["description"] or attachments:
            rma_sudo.message_post(
                body=parsed["description"] or env._("Photos of the returned goods."),
                attachment_ids=attachments.ids,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        rma_sudo._portal_ensure_token()
        rma_sudo.action_submit()
        _logger.info("Return %s submitted on the portal for %s", rma_sudo.name, order_sudo.name)
        return rma_sudo
