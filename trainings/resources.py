"""Spreadsheet resources of the law catalogue and the study sessions."""

from dataio.resources import PortalResource
from trainings import models


class LawResource(PortalResource):
    class Meta:
        model = models.Law
        natural_key = ("title",)

    @classmethod
    def object_label(cls, obj):
        return obj.title

    @classmethod
    def object_aliases(cls, obj):
        return (obj.short_title,) if obj.short_title else ()


class StudySessionResource(PortalResource):
    class Meta:
        model = models.StudySession
        natural_key = ("date", "title")

    @classmethod
    def object_label(cls, obj):
        return f"{obj.date:%Y-%m-%d} {obj.title}"
