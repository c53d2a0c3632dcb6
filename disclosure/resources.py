from dataio.resources import PortalResource
from disclosure import models


class IndexCounterResource(PortalResource):
    class Meta:
        model = models.IndexCounter
        natural_key = ("organization", "year")


class DisclosureItemResource(PortalResource):
    class Meta:
        model = models.DisclosureItem
        natural_key = ("index_number",)
        # The workflow's fields are set by review only: an imported item is never published
        # by the import itself (《政府信息公开条例》第十七条).
        exclude = (
            "index_year",
            "index_serial",
            "status",
            "submitted_by",
            "submitted_at",
            "published_by",
            "repealed_by",
            "repeal_reason",
            "revised_on",
            "supersedes",
        )

    @classmethod
    def object_label(cls, obj):
        return obj.index_number

    def prepare_for_bulk(self, instance):
        if not instance.index_number:
            return
        instance.index_year, instance.index_serial = instance.split_index_number(
            instance.index_number
        )


class DisclosureAttachmentResource(PortalResource):
    # Files are uploaded in the admin; a spreadsheet can only list them.
    import_allowed = False

    class Meta:
        model = models.DisclosureAttachment
        natural_key = ("item", "title")
