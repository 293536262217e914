"""Posts delivered to a real local HTTP channel: signed, once per idempotency key, retried with
back-off after failures, timeouts and slow answers, given up after the cap, taken down on withdrawal."""

from __future__ import annotations

import pytest

from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Publication
from gongkai.core import jobs
from gongkai.core.models import AuditEvent, JobRun, JobState
from gongkai.newmedia import delivery, services
from gongkai.newmedia.models import Post
from gongkai.newmedia.tests.conftest import PORTAL, make_channel

pytestmark = pytest.mark.django_db(transaction=False)


def send(record, channels, reviewer):
    return services.do_send_to_channels(record, channels, actor=reviewer, portal_url=PORTAL)


def run_again(post: Post) -> None:
    """What the worker does when the back-off has passed: run the post's queued run."""
    post.refresh_from_db()
    assert post.job is not None and post.job.state == JobState.QUEUED
    jobs.execute(post.job.pk)
    post.refresh_from_db()


def queued_run(post: Post) -> JobRun:
    assert post.job_id is not None
    return JobRun.objects.get(pk=post.job_id)


def test_a_published_alert_goes_to_two_channels_signed_and_is_recorded_with_its_link(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, channels.values(), reviewer)
    posts = {p.channel.slug: p for p in Post.objects.select_related("channel")}
    assert set(posts) == {"weibo", "wechat"}
    for slug, post in posts.items():
        assert post.state == "delivered", post.last_error
        assert post.http_status == 200
        assert post.external_url.startswith(f"https://channel.example/{slug}/p")
        assert post.attempts == 1 and post.attempt_rows.get().outcome == "ok"
        assert post.publication is not None and post.publication.link == post.external_url
        assert post.publication.channel == slug
    requests = channel_server.seen
    assert len(requests) == 2
    assert all(r.signed for r in requests)
    first = requests[0]
    assert first.headers["Idempotency-Key"] == f"gongkai:{published_alert.index_number}:{first.path[1:]}"
    assert first.payload["record"]["url"] == PORTAL + published_alert.get_absolute_url()
    assert first.payload["text"].endswith(published_alert.get_absolute_url())
    assert Publication.objects.filter(record=published_alert, channel__in=["weibo", "wechat"]).count() == 2
    assert AuditEvent.objects.filter(action="newmedia.posts.requested", actor=reviewer).count() == 1
    assert AuditEvent.objects.filter(action="newmedia.post.delivered").count() == 2


def test_a_failing_channel_is_retried_with_back_off_under_the_same_key_and_then_succeeds(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    channel_server.script("/wechat", ["fail", "timeout", "slow"])
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, [channels["wechat"]], reviewer)
    post = Post.objects.get()
    assert post.state == "retrying" and post.http_status == 503
    run = queued_run(post)
    assert run.state == JobState.QUEUED and run.attempts == 1
    assert post.last_attempt_at is not None
    first_wait = (run.not_before - post.last_attempt_at).total_seconds()
    assert 29 <= first_wait <= 31

    run_again(post)  # the channel does not answer within the channel's 1 s timeout
    assert post.state == "retrying"
    assert [a.outcome for a in post.attempt_rows.order_by("number")][-1] == "timeout"
    run = queued_run(post)
    assert post.last_attempt_at is not None
    assert (
        59 <= (run.not_before - post.last_attempt_at).total_seconds() <= 63
    )  # doubled (after a 1 s timeout)

    channel_server.state.slow_seconds = 0.5  # slow, but within the timeout
    run_again(post)
    assert post.state == "delivered"
    assert [a.outcome for a in post.attempt_rows.order_by("number")] == ["http_error", "timeout", "ok"]
    keys = {r.headers["Idempotency-Key"] for r in channel_server.seen}
    assert keys == {post.idempotency_key}
    assert len({r.body for r in channel_server.seen}) == 1  # the same body every time
    assert len(channel_server.posts) == 1


def test_the_retries_are_capped_and_the_failure_is_recorded(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    channel_server.script("/weibo", ["fail"] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, [channels["weibo"]], reviewer)
    post = Post.objects.get()
    for _ in range(delivery.RETRIES):
        run_again(post)
    assert post.state == "failed" and post.failed_at is not None
    assert post.attempts == delivery.RETRIES + 1
    assert queued_run(post).state == JobState.DONE  # the job recorded the failure
    assert AuditEvent.objects.filter(action="newmedia.post.failed").count() == 1
    assert not Publication.objects.filter(record=published_alert, channel="weibo").exists()


def test_a_refusal_by_the_channel_is_final_at_once(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    channel_server.script("/weibo", ["reject"])
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, [channels["weibo"]], reviewer)
    post = Post.objects.get()
    assert (post.state, post.http_status, post.attempts) == ("failed", 400, 1)


def test_a_wrong_secret_is_refused_by_the_channel(
    django_capture_on_commit_callbacks, published_alert, reviewer, channel_server
):
    channel = make_channel(reviewer, channel_server, "other-app", secret="not-the-channel-secret")
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, [channel], reviewer)
    post = Post.objects.get()
    assert (post.state, post.http_status) == ("failed", 401)
    assert channel_server.seen[0].signed is False


def test_a_staff_retry_of_a_failed_post_is_audited_and_succeeds(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    channel_server.script("/weibo", ["reject"])
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, [channels["weibo"]], reviewer)
    post = Post.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.do_retry_post(post, actor=reviewer, expected_version=post.version)
    post.refresh_from_db()
    assert post.state == "delivered"
    assert AuditEvent.objects.filter(action="newmedia.post.retried", actor=reviewer).count() == 1
    with pytest.raises(services.NewmediaError):
        services.do_retry_post(post, actor=reviewer, expected_version=post.version)


def test_a_retry_now_supersedes_the_run_waiting_for_its_back_off(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    channel_server.script("/weibo", ["fail"])
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, [channels["weibo"]], reviewer)
    post = Post.objects.get()
    waiting = queued_run(post).pk
    with django_capture_on_commit_callbacks(execute=True):
        services.do_retry_post(post, actor=reviewer, expected_version=post.version)
    post.refresh_from_db()
    assert post.state == "delivered" and post.job_id != waiting
    jobs.execute(waiting)  # its back-off over, the old run finds the post in other hands
    post.refresh_from_db()
    assert post.attempts == 2 and len(channel_server.seen) == 2


def test_a_withdrawal_takes_the_posts_down(
    django_capture_on_commit_callbacks, published_alert, channels, reviewer, channel_server
):
    with django_capture_on_commit_callbacks(execute=True):
        send(published_alert, channels.values(), reviewer)
    record = type(published_alert).objects.get(pk=published_alert.pk)
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.do_withdraw_record(
            record, actor=reviewer, reason="内容已过时效。", expected_version=record.version
        )
    assert set(Post.objects.values_list("state", flat=True)) == {"taken_down"}
    takedowns = [r for r in channel_server.seen if r.headers["X-Gongkai-Event"] == "takedown"]
    assert len(takedowns) == 2 and all(r.signed for r in takedowns)
    assert {r.headers["Idempotency-Key"] for r in takedowns} == {p.takedown_key for p in Post.objects.all()}
    assert channel_server.taken_down == {p.idempotency_key for p in Post.objects.all()}
    assert AuditEvent.objects.filter(action="newmedia.post.taken_down").count() == 2


def test_a_post_never_attempted_is_cancelled_by_a_withdrawal(
    published_alert, channels, reviewer, channel_server
):
    send(published_alert, [channels["weibo"]], reviewer)  # not committed: no delivery yet
    from gongkai.core.events import deliver_event
    from gongkai.core.models import OutboxEvent

    deliver_event.func(event=OutboxEvent.objects.get(code="newmedia.posts.requested").pk)
    post = Post.objects.get()
    assert post.state == "queued"
    record = type(published_alert).objects.get(pk=published_alert.pk)
    catalog_services.do_withdraw_record(
        record, actor=reviewer, reason="误发。", expected_version=record.version
    )
    deliver_event.func(event=OutboxEvent.objects.get(code="catalog.record.withdrawn").pk)
    post.refresh_from_db()
    assert post.state == "cancelled"
    jobs.execute(JobRun.objects.get(name="newmedia.post.deliver").pk)
    assert channel_server.seen == []
