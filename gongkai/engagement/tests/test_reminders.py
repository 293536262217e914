"""The morning reminder: inquiries and proposals due by the next working day (on the calendar, make-up
days and holidays included) or overdue, not yet answered, are e-mailed to the handling department's
editors and heads (and the office once overdue), once a day, through the outbox, with an audit event;
each person gets one digest listing everything they should hear of."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from gongkai.accounts.models import User
from gongkai.core.models import AuditEvent, JobRun, OutboxDelivery
from gongkai.engagement import reminders, services, tasks
from gongkai.engagement.models import ReminderMail
from gongkai.engagement.tests.conftest import BEIJING, at

pytestmark = pytest.mark.django_db

SUBSCRIBER = "gongkai.engagement.reminders.mail_digest"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(editor, other_editor, reviewer, departments):
    """An exit-entry editor and head, a traffic editor, the office reviewer, all with addresses."""
    from conftest import _staff

    head = _staff("exit_head", "孙处长", departments["exit_entry"], ["head"])
    for user, address in (
        (editor, "editor@example.gov.cn"),
        (head, "head@example.gov.cn"),
        (other_editor, "traffic@example.gov.cn"),
        (reviewer, "office@example.gov.cn"),
    ):
        User.objects.filter(pk=user.pk).update(email=address)
    return {"editor": editor, "head": head, "traffic": other_editor, "reviewer": reviewer}


@pytest.fixture
def routed(ask, people, departments):
    """An inquiry received on `day` and routed to the exit-entry department."""

    def make(day=dt.date(2015, 6, 1), **overrides):
        inquiry, _code = ask(day, **overrides)
        return services.do_route_inquiry(
            inquiry,
            departments["exit_entry"],
            actor=people["reviewer"],
            version=inquiry.version,
            now=at(day, 11),
        )

    return make


@pytest.fixture
def proposal(people, departments):
    def make(due_on=dt.date(2015, 6, 8), number="第0123号"):
        return services.do_register_proposal(
            {
                "kind": "npc",
                "number": number,
                "title": "关于进一步便利出入境证件办理的建议",
                "proposer": "王代表",
                "lead_department": departments["exit_entry"],
                "co_departments": [departments["traffic"]],
                "received_on": dt.date(2015, 3, 20),
                "due_on": due_on,
            },
            actor=people["reviewer"],
            now=at(dt.date(2015, 3, 20)),
        )

    return make


def run(day, capture, hour=8):
    """The day's reminder, with the e-mails its events carry delivered as the job runner would."""
    with capture(execute=True):
        reminded = reminders.remind_due(at(day, hour))
    return reminded


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_it_mails_the_department_an_inquiry_due_on_the_next_working_day(
    routed, people, django_capture_on_commit_callbacks
):
    inquiry = routed(dt.date(2015, 6, 1))  # due Monday 8 June
    assert inquiry.due_on == dt.date(2015, 6, 8)
    run(dt.date(2015, 6, 4), django_capture_on_commit_callbacks)  # Thursday: two working days ahead
    assert mail.outbox == []

    reminded = run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)  # Friday
    assert [i.pk for i in reminded.inquiries] == [inquiry.pk]
    assert sent_to() == ["editor@example.gov.cn", "head@example.gov.cn"]
    message = mail.outbox[0]
    assert "2015-06-05" in message.subject and "1 件即将到期" in message.subject
    assert inquiry.number in message.body and "2015-06-08" in message.body
    assert f"/workbench/engagement/inquiries/{inquiry.pk}/" in message.body
    for personal in ("刘女士", "13904310000"):
        assert personal not in message.subject and personal not in message.body
    event = AuditEvent.objects.get(action="engagement.inquiry.reminded", object_id=str(inquiry.pk))
    assert event.after is not None
    assert event.after["recipients"] == ["editor", "exit_head"] and event.after["overdue"] is False
    mails = ReminderMail.objects.filter(inquiries=inquiry)
    assert {m.recipient.username for m in mails} == {"editor", "exit_head"}
    assert {m.day for m in mails} == {dt.date(2015, 6, 5)}


def test_an_overdue_inquiry_tells_the_office_too(routed, django_capture_on_commit_callbacks):
    inquiry = routed(dt.date(2015, 6, 1))
    run(dt.date(2015, 6, 9), django_capture_on_commit_callbacks)
    assert sent_to() == ["editor@example.gov.cn", "head@example.gov.cn", "office@example.gov.cn"]
    assert all("已超过办理期限" in m.subject for m in mail.outbox)
    event = AuditEvent.objects.get(action="engagement.inquiry.reminded", object_id=str(inquiry.pk))
    assert event.after is not None and event.after["overdue"] is True


def test_an_inquiry_the_office_holds_goes_to_the_office(ask, people, django_capture_on_commit_callbacks):
    ask(dt.date(2015, 6, 1))  # not yet routed to any department
    run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)
    assert sent_to() == ["office@example.gov.cn"]


def test_an_answered_inquiry_or_proposal_is_not_reminded(
    routed, proposal, people, django_capture_on_commit_callbacks
):
    inquiry = routed(dt.date(2015, 6, 1))
    inquiry = services.do_answer_inquiry(
        inquiry,
        "请携带身份证件办理。",
        actor=people["editor"],
        version=inquiry.version,
        now=at(dt.date(2015, 6, 2)),
    )
    services.do_reply_inquiry(
        inquiry, actor=people["reviewer"], version=inquiry.version, now=at(dt.date(2015, 6, 3))
    )
    replied = proposal()
    services.do_reply_proposal(
        replied,
        "已会同有关部门研究办理。",
        on=dt.date(2015, 6, 3),
        actor=people["editor"],
        version=replied.version,
        now=at(dt.date(2015, 6, 3)),
    )
    reminded = run(dt.date(2015, 6, 9), django_capture_on_commit_callbacks)
    assert reminded.inquiries == [] and reminded.proposals == []
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action__endswith=".reminded").exists()


def test_a_second_run_the_same_day_sends_nothing_more(routed, proposal, django_capture_on_commit_callbacks):
    routed(dt.date(2015, 6, 1))
    proposal()
    run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)
    first = len(mail.outbox)
    assert first == 3  # one digest each: editor and head (both items), traffic editor (the proposal)
    again = run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks, hour=15)
    assert again.inquiries == [] and again.proposals == []
    assert len(mail.outbox) == first
    assert AuditEvent.objects.filter(action__endswith=".reminded").count() == 2
    # The next working day it is due (today): reminded again, once.
    run(dt.date(2015, 6, 8), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2 * first


def test_a_proposal_goes_to_its_lead_and_co_departments_and_the_office_once_overdue(
    proposal, django_capture_on_commit_callbacks
):
    item = proposal(due_on=dt.date(2015, 6, 8))
    reminded = run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)
    assert [p.pk for p in reminded.proposals] == [item.pk]
    assert sent_to() == ["editor@example.gov.cn", "head@example.gov.cn", "traffic@example.gov.cn"]
    assert "第0123号" in mail.outbox[0].body and "人大代表建议" in mail.outbox[0].body
    assert f"/workbench/engagement/proposals/{item.pk}/" in mail.outbox[0].body
    mail.outbox.clear()
    run(dt.date(2015, 6, 9), django_capture_on_commit_callbacks)
    assert sent_to() == [
        "editor@example.gov.cn",
        "head@example.gov.cn",
        "office@example.gov.cn",
        "traffic@example.gov.cn",
    ]
    event = AuditEvent.objects.filter(action="engagement.proposal.reminded").order_by("-at").first()
    assert event is not None and event.after is not None and event.after["overdue"] is True


def test_holidays_and_make_up_days_come_from_the_calendar(routed, django_capture_on_commit_callbacks):
    # 2015: 1–7 October the National Day holiday, Saturday 10 October a make-up working day.
    after_holiday = routed(dt.date(2015, 9, 24))  # due Thursday 8 October
    make_up = routed(dt.date(2015, 9, 29), question="另一个问题：签注怎么办？")  # due Monday 12 October
    assert (after_holiday.due_on, make_up.due_on) == (dt.date(2015, 10, 8), dt.date(2015, 10, 12))

    # Wednesday 30 September: the next working day is 8 October, a week on.
    reminded = run(dt.date(2015, 9, 30), django_capture_on_commit_callbacks)
    assert [i.pk for i in reminded.inquiries] == [after_holiday.pk]
    # A holiday and a Sunday: nobody is at work, nobody is reminded.
    for day_off in (dt.date(2015, 10, 5), dt.date(2015, 10, 11)):
        assert run(day_off, django_capture_on_commit_callbacks).inquiries == []
    # Friday 9 October: the next working day is the make-up Saturday, not Monday the 12th.
    reminded = run(dt.date(2015, 10, 9), django_capture_on_commit_callbacks)
    assert [i.pk for i in reminded.inquiries] == [after_holiday.pk]  # overdue
    # Saturday 10 October is a working day: the one due on Monday is reminded.
    reminded = run(dt.date(2015, 10, 10), django_capture_on_commit_callbacks)
    assert {i.pk for i in reminded.inquiries} == {after_holiday.pk, make_up.pk}


def test_a_mail_server_away_is_retried_and_the_reminder_goes_once(
    routed, settings, django_capture_on_commit_callbacks
):
    inquiry = routed(dt.date(2015, 6, 1))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on discard
    settings.EMAIL_TIMEOUT = 2
    run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)
    deliveries = OutboxDelivery.objects.filter(subscriber=SUBSCRIBER).order_by("id")
    assert [d.state for d in deliveries] == ["failed", "failed"]  # one digest each: editor, head
    for delivery in deliveries:
        assert inquiry.number in delivery.last_error and "@" not in delivery.last_error
    inquiry.refresh_from_db()
    assert inquiry.reminded_on == dt.date(2015, 6, 5)  # the reminder stands; its mail is retried

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from gongkai.core import events

    for delivery in deliveries:
        events.deliver_event.func(event=delivery.event_id)
        events.deliver_event.func(event=delivery.event_id)  # delivered again: nobody mailed twice
    assert sent_to() == ["editor@example.gov.cn", "head@example.gov.cn"]
    assert ReminderMail.objects.filter(inquiries=inquiry).count() == 2


def test_the_periodic_task_queues_one_run_a_morning(routed, time_machine, django_capture_on_commit_callbacks):
    routed(dt.date(2015, 6, 1))
    time_machine.move_to(dt.datetime(2015, 6, 5, 7, tzinfo=BEIJING), tick=False)
    assert tasks.daily_reminders() is None  # not yet eight o'clock
    time_machine.move_to(dt.datetime(2015, 6, 5, 8, tzinfo=BEIJING), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.daily_reminders()
    assert queued is not None
    assert JobRun.objects.get(pk=queued.pk).state == "done"
    assert sent_to() == ["editor@example.gov.cn", "head@example.gov.cn"]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.daily_reminders() is None  # another worker's hourly tick: already queued
    assert len(mail.outbox) == 2


# -- one digest per person -------------------------------------------------------------------------


def test_two_items_for_one_person_make_one_mail_listing_both_overdue_first(
    routed, proposal, people, django_capture_on_commit_callbacks
):
    late = routed(dt.date(2015, 5, 25))  # due Monday 1 June: overdue on the 5th
    soon = routed(dt.date(2015, 6, 1), question="另一个问题：签注怎么办？")  # due Monday 8 June
    item = proposal(due_on=dt.date(2015, 6, 8))
    run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)

    to_editor = [m for m in mail.outbox if m.to == ["editor@example.gov.cn"]]
    assert len(to_editor) == 1
    message = to_editor[0]
    assert "1 件已超过办理期限，2 件即将到期" in message.subject
    body = message.body
    assert body.index("已超过办理期限（1 件）") < body.index(late.number) < body.index("即将到期（2 件）")
    assert body.index("即将到期（2 件）") < body.index(soon.number) < body.index("第0123号")
    for pk in (late.pk, soon.pk):
        assert f"/workbench/engagement/inquiries/{pk}/" in body
    assert f"/workbench/engagement/proposals/{item.pk}/" in body
    assert "办理期限：2015-06-01" in body and "办理期限：2015-06-08" in body
    assert late.title in body
    record = ReminderMail.objects.get(recipient=people["editor"])
    assert set(record.inquiries.all()) == {late, soon} and list(record.proposals.all()) == [item]
    assert record.overdue is True
    # Still one audit event per item, each naming the people told.
    assert AuditEvent.objects.filter(action="engagement.inquiry.reminded").count() == 2
    assert AuditEvent.objects.filter(action="engagement.proposal.reminded").count() == 1


def test_two_people_get_two_mails_each_with_their_own_items(
    routed, proposal, people, django_capture_on_commit_callbacks
):
    inquiry = routed(dt.date(2015, 6, 1))  # exit-entry only
    item = proposal(due_on=dt.date(2015, 6, 8))  # exit-entry leads, traffic co-handles
    run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["editor@example.gov.cn", "head@example.gov.cn", "traffic@example.gov.cn"]
    assert len(mail.outbox) == 3
    traffic = by_address["traffic@example.gov.cn"].body
    assert "第0123号" in traffic and inquiry.number not in traffic
    assert inquiry.number in by_address["editor@example.gov.cn"].body
    assert "第0123号" in by_address["editor@example.gov.cn"].body
    assert ReminderMail.objects.get(recipient=people["traffic"]).proposals.get() == item


def test_an_item_answered_before_its_digest_goes_is_left_out(routed, people):
    answered_meanwhile = routed(dt.date(2015, 6, 1))
    still_open = routed(dt.date(2015, 6, 1), question="另一个问题：签注怎么办？")
    reminded = reminders.remind_due(at(dt.date(2015, 6, 5), 8))  # queued, not yet delivered
    answered_meanwhile = services.do_answer_inquiry(
        answered_meanwhile,
        "请携带身份证件办理。",
        actor=people["editor"],
        version=answered_meanwhile.version,
        now=at(dt.date(2015, 6, 5), 9),
    )
    services.do_reply_inquiry(
        answered_meanwhile,
        actor=people["reviewer"],
        version=answered_meanwhile.version,
        now=at(dt.date(2015, 6, 5), 9),
    )
    from gongkai.core import events

    events.deliver_event.func(event=reminded.events["editor"].pk)
    assert len(mail.outbox) == 1
    assert still_open.number in mail.outbox[0].body and answered_meanwhile.number not in mail.outbox[0].body


def test_someone_without_an_address_is_not_mailed(routed, people, django_capture_on_commit_callbacks):
    User.objects.filter(pk=people["head"].pk).update(email="")
    routed(dt.date(2015, 6, 1))
    run(dt.date(2015, 6, 5), django_capture_on_commit_callbacks)
    assert sent_to() == ["editor@example.gov.cn"]
    assert not ReminderMail.objects.filter(recipient=people["head"]).exists()


# -- by hand: `gongkai remind_engagement` ----------------------------------------------------------


def command(*args):
    out = io.StringIO()
    call_command("remind_engagement", *args, stdout=out)
    return out.getvalue()


def test_the_command_sends_the_days_digests_and_says_what_it_sent(routed, proposal, time_machine):
    inquiry = routed(dt.date(2015, 6, 1))
    proposal(due_on=dt.date(2015, 6, 8))
    time_machine.move_to(dt.datetime(2015, 6, 5, 9, 30, tzinfo=BEIJING), tick=False)

    out = command()
    assert sent_to() == ["editor@example.gov.cn", "head@example.gov.cn", "traffic@example.gov.cn"]
    assert "  editor: 0 overdue, 2 due soon: sent" in out
    assert f"    due 2015-06-08 {inquiry.number} " in out
    assert f"/workbench/engagement/inquiries/{inquiry.pk}/" in out
    assert "2015-06-05: sent 3 e-mail(s), 0 without address; 1 inquiry(ies) and 1 proposal(s) reminded" in out
    assert AuditEvent.objects.filter(action__endswith=".reminded").count() == 2

    # Run again the same day: everything was reminded, nobody is mailed twice.
    assert "sent 0 e-mail(s)" in command()
    assert len(mail.outbox) == 3


def test_the_command_dry_run_records_and_sends_nothing(routed, people, time_machine):
    inquiry = routed(dt.date(2015, 6, 1))
    time_machine.move_to(dt.datetime(2015, 6, 2, 9, tzinfo=BEIJING), tick=False)

    out = command("--as-of", "2015-06-09", "--dry-run")  # a week on: overdue, the office told too
    assert "  reviewer: 1 overdue, 0 due soon: would send" in out
    assert f"    overdue 2015-06-08 {inquiry.number} " in out
    assert "2015-06-09: would send 3 e-mail(s)" in out
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action__endswith=".reminded").exists()
    inquiry.refresh_from_db()
    assert inquiry.reminded_on is None


def test_the_command_takes_a_day_and_refuses_a_bad_one(routed, time_machine):
    routed(dt.date(2015, 6, 1))
    time_machine.move_to(dt.datetime(2015, 6, 2, 9, tzinfo=BEIJING), tick=False)
    out = command("--date", "2015-06-06")  # a Saturday
    assert "not a working day" in out and mail.outbox == []
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        command("--date", "6/8/2015")
