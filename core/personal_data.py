"""Spreadsheet exports of people's personal data only for the roles that keep those lists.

Nominees for honorary citizenship and members of outbound delegations are named people with
employers and posts; a bulk export of them is a transfer of personal information
(《个人信息保护法》第六条 minimum necessary, 第五十一条 access control). The staff who enter
and correct these lists (those with the change permission: 录入员, 管理员) may export them
to work on them; read-only roles (审核人, 领导) read them in the admin but cannot export.
"""


class PersonalDataExportMixin:
    def has_export_permission(self, request) -> bool:
        return super().has_export_permission(request) and self.has_change_permission(request)
