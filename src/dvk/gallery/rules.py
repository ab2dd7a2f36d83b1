"""Who publishes a recognised model's photos in the public gallery."""
from __future__ import annotations

from dvk.common.rules import UNIT_OUTSIDE, Refusal, rule
from dvk.orgs.enums import Role

PUBLISH_ROLE = Refusal("role", "Chỉ thư ký Ban Chỉ đạo được chọn ảnh đưa lên trang mô hình "
                               "tiêu biểu.", 403)
NOT_IMAGE = Refusal("not_image", "Chỉ ảnh (JPEG, PNG) được đưa lên trang công khai.", 409)
NOT_RECOGNISED = Refusal("not_recognised", "Mô hình chưa được công nhận: chưa thể đưa ảnh "
                                           "lên trang công khai.", 409)


def model_of(attachment):
    """The model (Initiative) an attachment illustrates: its own, or its registration's."""
    return attachment.initiative if attachment.initiative_id else \
        attachment.registration.initiative


@rule("gallery.publish", new_work=True)
def can_publish(scope, attachment=None) -> Refusal | None:
    """A committee's secretariat, for the models of its unit's subtree; only images, only
    of a model recognised at least once."""
    from dvk.initiatives.queries import recognised_registrations

    if not scope.has_role(Role.SECRETARIAT):
        return PUBLISH_ROLE
    if attachment is None:
        return None
    model = model_of(attachment)
    if not scope.contains(model.unit):
        return UNIT_OUTSIDE
    if not attachment.content_type.startswith("image/"):
        return NOT_IMAGE
    if not recognised_registrations().filter(initiative=model).exists():
        return NOT_RECOGNISED
    return None
