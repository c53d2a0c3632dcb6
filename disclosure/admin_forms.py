"""Admin forms of the disclosure app: counters that may only move forward, index numbers
unique per office and year, and attachment fingerprints."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core.files import sha256_chunks
from disclosure.models import DisclosureAttachment, DisclosureItem, IndexCounter


class IndexCounterForm(forms.ModelForm):
    """The counter may start above zero (serials issued before the portal) but never fall
    below a serial already used, or the next allocation would repeat it."""

    class Meta:
        model = IndexCounter
        fields = ["organization", "year", "last_serial"]

    def clean(self):
        cleaned = super().clean()
        organization, year = cleaned.get("organization"), cleaned.get("year")
        last_serial = cleaned.get("last_serial")
        if organization is not None and year and last_serial is not None:
            used = DisclosureItem.objects.filter(
                organization=organization, index_year=year
            ).aggregate(top=Max("index_serial"))["top"]
            if used and last_serial < used:
                raise ValidationError(
                    {
                        "last_serial": _(
                            "%(year)s 年已使用到第 %(used)s 号，计数器不能小于已用流水号。"
                        )
                        % {"year": year, "used": used}
                    },
                    code="counter_below_used",
                )
        return cleaned


class DisclosureItemForm(forms.ModelForm):
    """The year and serial of the index number are stored apart (so the database keeps
    serials unique per office and year); check that here so a clash is a form error, not a
    database error on save."""

    class Meta:
        model = DisclosureItem
        fields = [
            "organization",
            "title",
            "index_number",
            "category",
            "method",
            "document_number",
            "publisher",
            "generated_on",
            "published_on",
            "repealed_on",
            "summary",
            "body",
        ]

    def clean(self):
        cleaned = super().clean()
        organization, index_number = cleaned.get("organization"), cleaned.get("index_number")
        if organization is not None and index_number:
            try:
                year, serial = DisclosureItem.split_index_number(index_number)
            except ValidationError:
                return cleaned  # the model's validator reports the format, with an example
            clash = (
                DisclosureItem.objects.filter(
                    organization=organization, index_year=year, index_serial=serial
                )
                .exclude(pk=self.instance.pk)
                # The same number exactly is reported by the unique check.
                .exclude(index_number=index_number)
            )
            if clash.exists():
                raise ValidationError(
                    {"index_number": _("该年度的索引号流水号已被使用。")},
                    code="duplicate_serial",
                )
        return cleaned


class DisclosureAttachmentForm(forms.ModelForm):
    """Fingerprints each uploaded file (SHA-256) so citizens can check what they download,
    and refuses files over the portal's upload limit."""

    class Meta:
        model = DisclosureAttachment
        fields = ["item", "title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            if upload.size > settings.FAO_MAX_UPLOAD_BYTES:
                raise ValidationError(
                    _("附件不能超过 %(mb)s MB。")
                    % {"mb": settings.FAO_MAX_UPLOAD_BYTES // (1024 * 1024)},
                    code="file_too_large",
                )
            self.instance.sha256 = sha256_chunks(upload.chunks())
            upload.seek(0)
        return upload
