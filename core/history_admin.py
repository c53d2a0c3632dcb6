"""History pages are a record, not an editing path.

django-simple-history's history form view (`…/history/<id>/`) saves the posted form over
the object for anyone with view-or-change permission, without the change form's
permission, validation or workflow checks. The audit trail kept under 《中华人民共和国档案法》
and the review steps of 《政府信息公开条例》 (第十七条) must not be bypassed that way: every
admin with history uses `ReadOnlyHistoryAdmin`, whose history form only displays the old
version and answers 403 to any POST. A correction is made on the change page, with the
same permission, validation and workflow checks as any other change.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
