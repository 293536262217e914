from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from gongkai.annualreport import queries as annualreport_queries
from gongkai.annualreport.models import PublishedReport
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Category, Page, Record
from gongkai.engagement import queries as engagement_queries
from gongkai.engagement.models import Inquiry, OnlineEvent, Proposal
from gongkai.powers import queries as powers_queries
from gongkai.powers.models import ItemVersion
from gongkai.pressroom import queries as pressroom_queries
from gongkai.pressroom.models import Conference, Interpretation


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


# Each app's pages list only what its public queries give (what a visitor can open), never a draft.


class PowerItemSitemap(Sitemap[ItemVersion]):
    """The live version of each item (a cancelled item's last page is history, not listed)."""

    changefreq = "monthly"
    limit = 5000

    def items(self) -> QuerySet[ItemVersion]:
        return (
            powers_queries.live_versions()
            .select_related(None)
            .only("code", "published_at")
            .order_by("code", "id")
        )

    def lastmod(self, item: ItemVersion) -> dt.datetime:
        return item.published_at


class ApprovalGuideSitemap(PowerItemSitemap):
    """The service guide (办事指南) of each live item that has one."""

    def items(self) -> QuerySet[ItemVersion]:
        return super().items().exclude(content__guide=None)

    def location(self, item: ItemVersion) -> str:
        return reverse("powers:guide", args=[item.code])


class ConferenceSitemap(Sitemap[Conference]):
    changefreq = "yearly"

    def items(self) -> QuerySet[Conference]:
        return pressroom_queries.public_conferences().only("pk", "published_at").order_by("id")

    def lastmod(self, item: Conference) -> dt.datetime | None:
        return item.published_at


class InterpretationSitemap(Sitemap[Interpretation]):
    changefreq = "yearly"

    def items(self) -> QuerySet[Interpretation]:
        return (
            pressroom_queries.public_interpretations()
            .select_related(None)
            .only("pk", "published_at")
            .order_by("id")
        )

    def lastmod(self, item: Interpretation) -> dt.datetime | None:
        return item.published_at


class AnswerSitemap(Sitemap[Inquiry]):
    """The answers published on the site (an answer kept private is not)."""

    changefreq = "yearly"
    limit = 5000

    def items(self) -> QuerySet[Inquiry]:
        return engagement_queries.public_inquiries().only("number", "published_at").order_by("id")

    def lastmod(self, item: Inquiry) -> dt.datetime | None:
        return item.published_at


class EventSitemap(Sitemap[OnlineEvent]):
    """Announced and archived events (both open to the public), never a draft."""

    changefreq = "weekly"

    def items(self) -> QuerySet[OnlineEvent]:
        return (
            engagement_queries.public_events()
            .select_related(None)
            .only("pk", "announced_at", "archived_at")
            .order_by("id")
        )

    def lastmod(self, item: OnlineEvent) -> dt.datetime | None:
        return item.archived_at or item.announced_at


class ProposalSitemap(Sitemap[Proposal]):
    """The disclosed summaries of proposals (建议提案)."""

    changefreq = "yearly"

    def items(self) -> QuerySet[Proposal]:
        return (
            engagement_queries.public_proposals()
            .select_related(None)
            .only("pk", "disclosed_on")
            .order_by("id")
        )

    def lastmod(self, item: Proposal) -> dt.date | None:
        return item.disclosed_on


class AnnualReportSitemap(Sitemap[PublishedReport]):
    """Each year's latest published report."""

    changefreq = "yearly"

    def items(self) -> QuerySet[PublishedReport]:
        return annualreport_queries.published_reports().only("year", "published_at")

    def location(self, item: PublishedReport) -> str:
        return reverse("annualreport:report", args=[item.year])

    def lastmod(self, item: PublishedReport) -> dt.datetime:
        return item.published_at


class SectionSitemap(Sitemap[str]):
    """The portal's fixed sections: home, catalog, search, applying, the human site map, and the
    index pages of the powers lists, the press room, engagement and the annual reports."""

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
            "powers:index",
            "powers:approvals",
            "pressroom:index",
            "pressroom:interpretations",
            "engagement:index",
            "engagement:ask",
            "engagement:answers",
            "engagement:events",
            "engagement:proposals",
            "annualreport:index",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "sections": SectionSitemap,
    "records": RecordSitemap,
    "categories": CategorySitemap,
    "pages": PageSitemap,
    "powers": PowerItemSitemap,
    "approval-guides": ApprovalGuideSitemap,
    "conferences": ConferenceSitemap,
    "interpretations": InterpretationSitemap,
    "answers": AnswerSitemap,
    "events": EventSitemap,
    "proposals": ProposalSitemap,
    "annual-reports": AnnualReportSitemap,
}
