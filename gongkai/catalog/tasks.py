"""Catalog background jobs (core/jobs.py), loaded by `gongkai run_huey`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalog import search_bulk
from gongkai.core import jobs


@jobs.job(
    name="catalog.search.reindex",
    label=gettext_lazy("重建全文检索索引"),
    retries=2,
    retry_delay=60,
    atomic=False,
    lease=dt.timedelta(minutes=5),
)
def reindex(*, batch: int = 5000) -> None:
    """Rebuild the search index, one transaction a batch. A re-run (after a crash) starts again
    from an empty index, so nothing is indexed twice; each batch renews the lease."""
    jobs.report_progress(0, None, _("清空索引"))
    done = search_bulk.rebuild(
        batch=batch,
        progress=lambda done, total: jobs.report_progress(done, total, _("已索引 %(n)s 条") % {"n": done}),
    )
    jobs.report_progress(done, done, _("已索引 %(n)s 条") % {"n": done})
