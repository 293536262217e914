from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from gongkai.catalog.choices import Status
from gongkai.catalog.models import Category, Page, Record


class RecordSitemap(Sitemap[Record]):
    changefreq = "monthly"
    limit = 5000

    def items(self) -> QuerySet[Record]:
        return (
            Record.objects.filter(status=Status.PUBLISHED).only("index_number", "updated_at").order_by("id")
        )

    def lastmod(self, item: Record) -> dt.datetime:
        return item.updated_at


class CategorySitemap(Sitemap[Category]):
    changefreq = "daily"

    def items(self) -> QuerySet[Category]:
        return Category.objects.filter(is_active=True)


class PageSitemap(Sitemap[Page]):
    changefreq = "monthly"

    def items(self) -> QuerySet[Page]:
        return Page.objects.all()

    def lastmod(self, item: Page) -> dt.datetime:
        return item.updated_at


class SectionSitemap(Sitemap[str]):
    """The portal's fixed sections: home, catalog, search, applying, the human site map."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "portal:home",
            "catalog:index",
            "catalog:search",
            "inforequests:apply",
            "inforequests:status",
            "portal:sitemap",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "sections": SectionSitemap,
    "records": RecordSitemap,
    "categories": CategorySitemap,
    "pages": PageSitemap,
}
