"""Changes made outside the service functions (the admin's generic forms, spreadsheet
imports, the demo loader) also change what the public pages show: a save or delete of any
model the public pages display replaces the public content version, as the services do
explicitly (core.publiccontent). View counts are written with queryset updates, which send
no signal, so counting never empties the page cache."""

from django.db.models.signals import post_delete, post_save

from core.models import Organization
from core.publiccontent import public_content_changed
from disclosure.models import DisclosureAttachment, DisclosureItem
from lawbuilding.models import AnnualReport, ReportSection
from supervision.models import HonoraryCitizenNotice, Nominee, NoticeComment

SHOWN_PUBLICLY = [
    Organization,
    DisclosureItem,
    DisclosureAttachment,
    HonoraryCitizenNotice,
    Nominee,
    AnnualReport,
    ReportSection,
]


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixture loading
        return
    public_content_changed()


def _comment_changed(sender, instance, **kwargs):
    # A comment waiting for moderation is not shown anywhere public.
    if instance.status != NoticeComment.Status.PENDING:
        public_content_changed()


def connect() -> None:
    for model in SHOWN_PUBLICLY:
        post_save.connect(_changed, sender=model, dispatch_uid=f"publicsite-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"publicsite-del-{model.__name__}")
    post_save.connect(_comment_changed, sender=NoticeComment, dispatch_uid="publicsite-comment")
    post_delete.connect(
        _comment_changed, sender=NoticeComment, dispatch_uid="publicsite-del-comment"
    )
