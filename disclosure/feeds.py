"""Atom feed of new disclosures (/disclosure/feed/)."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from disclosure.models import DisclosureItem

FEED_SIZE = 20


class DisclosureFeed(Feed):
    feed_type = Atom1Feed
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
