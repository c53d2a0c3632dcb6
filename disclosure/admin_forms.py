"""Admin forms of the disclosure app. They parse input only: the rules (counters that only
move forward, serials unique per office and year) live on the models, so imports obey them
too; attachments are fingerprinted on upload."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from core.files import sha256_chunks
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter


class IndexCounterForm(forms.ModelForm):
    class Meta:
        model = IndexCounter
        fields = ["organization", "year", "last_serial"]


class DisclosureItemForm(forms.ModelForm):
    """Drafts only: the index number, publication date, status and repeal are set by the
    workflow (disclosure.services), never typed."""

    class Meta:
        model = DisclosureItem
        fields = [
            "organization",
            "title",
            "category",
            "method",
            "document_number",
            "publisher",
            "generated_on",
            "expires_on",
            "interpretation",
            "summary",
            "body",
        ]


class DisclosureAttachmentForm(forms.ModelForm):
    """Fingerprints each uploaded file (SHA-256) so citizens can check what they download.
    Size and content are checked by the model field's validator (core/uploads.py)."""

    class Meta:
        model = DisclosureAttachment
        fields = ["item", "title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.instance.sha256 = sha256_chunks(upload.chunks())
            upload.seek(0)
        return upload
