import base64
import math

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq, float_compare

from ..models.rma_order_line import CONDITIONS, RESOLUTIONS, _format_qty
from .portal import RmaCustomerPortal, _clean_text, _valid_ids, _valid_token
from .portal_return_submit import PHOTO_MAX_BYTES, PHOTO_MAX_COUNT, RmaReturnSubmit

MAX_COMMENT_LENGTH = 2000
# Beyond this, a quantity is no quantity of goods (and overflows the rounding).
MAX_QTY = 1e12
# Stands in, during the preview, for the photo the confirmation step requires.
PREVIEW_PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class GuestLinkExpired(Exception):
    """The guest's link to the return form of an order has expired."""


class RmaReturnFormPortal(RmaReturnSubmit, RmaCustomerPortal):
    """The return form of a delivered order: choose lines and quantities,
    preview the policy's decision, then submit (see RmaReturnSubmit)."""

    def _rma_order_check_access(self, order_id, access_token=None):
        """The sale order (sudo) the visitor may return goods of: with the
        order's own token (e-mail links to the order), with a guest link of
        this order (rma.guest.token, until it expires), or logged in as a
        contact of the order's customer who can read the order.

        :raise NotFound: no access
        :raise GuestLinkExpired: the guest link of this order has expired
        """
        if not _valid_ids(order_id):
            raise NotFound()
        access_token = _valid_token(access_token)
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order_sudo:
            raise NotFound()
        if access_token:
            if order_sudo.access_token and consteq(order_sudo.access_token, access_token):
                return order_sudo
            link = request.env["rma.guest.token"]._rma_find(access_token)
            if link and link.sale_order_id == order_sudo:
                if link._rma_is_expired():
                    raise GuestLinkExpired()
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
        try:
            order_sudo = self._rma_order_check_access(order_id, access_token)
        except GuestLinkExpired:
            return self._rma_guest_link_expired()
        access_token = _valid_token(access_token)
        is_post = request.httprequest.method == "POST"
        submissions = request.env["rma.portal.submission"]
        submit_token = _clean_text(post.pop("submit_token", None))
        if is_post and step == "submit":
            # the same form posted again (double click, reload): its return
            done = submissions._rma_done(submit_token, order_sudo)
            if done:
                return self._rma_submitted_redirect(done, access_token)
        lines, returnable = order_sudo._rma_portal_returnable_lines()
        values = self._rma_form_values(order_sudo, lines, returnable, access_token)
        # the confirmation page keeps the token it was posted with
        values["submit_token"] = (
            submit_token
            if submissions._rma_valid_token(submit_token)
            else submissions._rma_new_token()
        )
        if not is_post or not lines:
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
        submission = submissions._rma_claim(submit_token, order_sudo)
        if not submission:
            values["errors"] = [
                request.env._("Please check your return once more and confirm it again.")
            ]
            values["submit_token"] = submissions._rma_new_token()
            return request.render("rma_returns.portal_return_preview", values)
        try:
            with request.env.cr.savepoint():
                rma_sudo = self._rma_create_return(order_sudo, parsed, photos)
        except (UserError, ValidationError) as exc:
            values["errors"] = [str(exc)]
            return request.render("rma_returns.portal_return_preview", values)
        submission.rma_id = rma_sudo
        return self._rma_submitted_redirect(rma_sudo, access_token)

    def _rma_submitted_redirect(self, rma_sudo, access_token):
        """To the page of the return just submitted: with the return's own
        token for guests and e-mail links."""
        return request.redirect(
            rma_sudo.get_portal_url(query_string="&message=submitted")
            if access_token or request.env.user._is_public()
            else self._rma_url(rma_sudo, message="submitted")
        )

    def _rma_guest_link_expired(self):
        values = {
            "page_name": "rma_guest",
            "error": request.env._(
                "This link has expired. Please look up your order again to return items."
            ),
        }
        return request.render("rma_returns.portal_guest_return", values, status=410)

    def _rma_form_values(self, order_sudo, lines, returnable, access_token):
        env = request.env
        reasons = self._rma_allowed_reasons(order_sudo)
        line_model = env["rma.order.line"]
        values = self._prepare_portal_layout_values()
        goods, picker = order_sudo._rma_portal_picker_lines()
        values.update(
            {
                "picker": picker,
                "blocked_lines": goods.filtered(lambda line: picker[line.id]["blocked"]),
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
                "photo_max_count": PHOTO_MAX_COUNT,
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
        line_model = env["rma.order.line"]
        precision = env["decimal.precision"].precision_get("Product Unit of Measure")
        reasons = self._rma_allowed_reasons(order_sudo)
        resolutions = lines._rma_portal_resolutions()
        exchanges = lines._rma_portal_exchange_products()
        conditions = {key for key, _label in CONDITIONS}
        known_resolutions = {key for key, _label in RESOLUTIONS}
        description = _clean_text(post.get("description")).strip()
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
                "qty": _clean_text(post.get(f"qty_{line.id}")).strip(),
                "reason": _clean_text(post.get(f"reason_{line.id}")),
                "condition": _clean_text(post.get(f"condition_{line.id}")) or "unopened",
                "resolution": _clean_text(post.get(f"resolution_{line.id}"))
                or next(iter(resolutions[line.id]), "refund"),
                "exchange": _clean_text(post.get(f"exchange_{line.id}")),
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
            maximum = returnable.get(line.id, 0.0)
            if (
                not math.isfinite(qty)
                or qty > MAX_QTY
                or float_compare(qty, maximum, precision_digits=precision) > 0
            ):
                errors.append(
                    env._(
                        "You can return at most %(max)s %(uom)s of %(product)s.",
                        max=_format_qty(maximum, precision),
                        uom=line.product_uom.name,
                        product=product,
                    )
                )
                continue
            if float_compare(qty, 0.0, precision_digits=precision) == 0:
                continue
            if not line_model._rma_qty_fits_uom(qty, line.product_uom):
                errors.append(
                    env._(
                        "%(product)s is counted in %(uom)s: %(rule)s",
                        product=product,
                        uom=line.product_uom.name,
                        rule=line_model._rma_uom_rule(line.product_uom),
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
                "explanation": evaluation.get("explanation_public")
                or evaluation.get("explanation")
                or "",
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
