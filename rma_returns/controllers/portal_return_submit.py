import logging

from odoo.fields import Command
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from .portal import PHOTO_TAG, _clean_text

_logger = logging.getLogger(__name__)

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Photos of one return, all lines together: how many, and how heavy.
PHOTO_MAX_COUNT = 5
PHOTOS_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


class RmaReturnSubmit:
    """Submitting the portal's return form: the return's values, the photos
    uploaded with it, and the return created and submitted for the customer."""

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

    def _rma_parse_photos(self, parsed):
        """Photos uploaded per line: images only, size-limited (each, and all
        of the return together), at most PHOTO_MAX_COUNT; required where the
        reason asks for one.

        :return: ({sale line id: [(filename, bytes, mimetype)]}, [errors])
        """
        env = request.env
        files = request.httprequest.files
        photos, errors = {}, []
        uploads_of = {
            item["sale_line"].id: [
                f for f in files.getlist(f"photo_{item['sale_line'].id}") if f and f.filename
            ]
            for item in parsed["lines"]
        }
        if sum(len(uploads) for uploads in uploads_of.values()) > PHOTO_MAX_COUNT:
            errors.append(
                env._("Please send at most %(max)s photos with a return.", max=PHOTO_MAX_COUNT)
            )
            return photos, errors
        total = 0
        for item in parsed["lines"]:
            line = item["sale_line"]
            product = line.product_id.display_name
            uploads = uploads_of[line.id]
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
                total += len(data)
                if total > PHOTOS_MAX_BYTES:
                    errors.append(
                        env._(
                            "Your photos are larger than %(max)s MB together: please send "
                            "smaller ones.",
                            max=PHOTOS_MAX_BYTES // (1024 * 1024),
                        )
                    )
                    return photos, errors
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
                filename = _clean_text(upload.filename)
                photos.setdefault(line.id, []).append((filename, data, mimetype))
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
