"""Atom feed of new disclosures (/disclosure/feed/)."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from disclosure.models import DisclosureItem

FEED_SIZE = 20


class PlainSummaryAtomFeed(Atom1Feed):
    """Summaries are plain text typed by staff: marked `type="text"` so a feed reader shows
    "<script>" as those characters instead of running it as markup (RFC 4287 §3.1.1)."""

    def add_item_elements(self, handler, item):
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class DisclosureFeed(Feed):
    feed_type = PlainSummaryAtomFeed
    title = _("常州市人民政府外事办公室 · 政务公开")
    subtitle = _("市外事办最新公开的政府信息")

    def link(self):
        return reverse("publicsite:disclosure_list")

    def items(self):
        return DisclosureItem.objects.public().only(
            "title", "index_number", "summary", "published_on", "publisher"
        )[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return item.publisher

    def item_pubdate(self, item):
        # A disclosure carries a date only; midnight in the office's time zone.
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time()))

    def item_updateddate(self, item):
        return self.item_pubdate(item)
