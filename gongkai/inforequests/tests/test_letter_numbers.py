"""Letter numbers (文号): each issued letter gets the next number of its kind in its year, printed on
the PDF and the DOCX and listed on the case page; two issuers at once never get the same number;
letters stored before numbers existed got theirs in issue order."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import shutil
import subprocess
import threading

import docx
import pytest
from django.apps import apps
from django.db import IntegrityError, connections, transaction

from gongkai.inforequests import letter_numbers, letter_services
from gongkai.inforequests.models import IssuedLetter, LetterNumberSequence
from tests.concurrency import shared_database  # noqa: F401

D = dt.date
PASSWORD = "correct-horse-battery"


def acknowledge(make_application, received_on: dt.date) -> IssuedLetter:
    application = make_application(received_on=received_on)
    (row,) = letter_services.issue_for_act(application, "inforequests.application.received", actor=None)
    return row


@pytest.mark.django_db
def test_numbers_run_in_order_per_year_and_kind(make_application):
    first = acknowledge(make_application, D(2020, 12, 30))
    second = acknowledge(make_application, D(2020, 12, 31))
    next_year = acknowledge(make_application, D(2021, 1, 4))
    other_kind = letter_numbers.allocate("reply", D(2021, 1, 4))

    assert [first.number, second.number, next_year.number] == [
        "吉公依受〔2020〕1号",
        "吉公依受〔2020〕2号",
        "吉公依受〔2021〕1号",
    ]
    assert other_kind == "吉公依复〔2021〕1号"
    assert first.values["doc_number"] == first.number and first.number_printed


@pytest.mark.django_db
def test_issuing_the_same_act_again_takes_no_new_number(make_application):
    row = acknowledge(make_application, D(2021, 6, 1))
    again = letter_services.issue_for_act(row.application, "inforequests.application.received", actor=None)
    assert again == [row]
    assert LetterNumberSequence.objects.get(year=2021, kind="acknowledgement").last == 1


@pytest.mark.django_db
def test_two_letters_never_share_a_number(make_application):
    one = acknowledge(make_application, D(2021, 6, 1))
    two = acknowledge(make_application, D(2021, 6, 1))
    assert one.number != two.number
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedLetter.objects.create(
            **{
                f.name: getattr(two, f.name)
                for f in IssuedLetter._meta.concrete_fields
                if f.name not in ("id", "sequence", "act_ref")
            },
            sequence=9,
            act_ref="other",
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_database")  # a file copy of in-memory SQLite, shared by the threads
def test_two_issuers_at_once_get_distinct_numbers():
    numbers: list[str] = []
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    numbers.append(letter_numbers.allocate("reply", D(2021, 6, 8)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"吉公依复〔2021〕{n}号" for n in range(1, 21)
    ]


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_number_is_printed_on_the_pdf_and_the_docx(make_application):
    row = acknowledge(make_application, D(2021, 6, 1))
    pdf_text = subprocess.run(
        ["pdftotext", "-", "-"], input=bytes(row.pdf), capture_output=True, check=True
    ).stdout.decode()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(bytes(row.docx))).paragraphs]
    assert row.number in "".join(pdf_text.split())
    assert row.number in paragraphs
    assert paragraphs.index(row.number) < paragraphs.index(f"{row.application.applicant_name}：")


@pytest.mark.django_db
def test_the_case_page_lists_each_letters_number(client, make_application, reviewer):
    row = acknowledge(make_application, D(2021, 6, 1))
    client.login(username="reviewer", password=PASSWORD)
    page = client.get(f"/workbench/requests/{row.application_id}/").content.decode()
    assert row.number in page
    assert "未印在文书上" not in page


@pytest.mark.django_db
def test_letters_stored_before_numbers_are_numbered_in_issue_order(make_application):
    later = acknowledge(make_application, D(2021, 6, 2))
    earlier = acknowledge(make_application, D(2021, 6, 1))
    reply_year = acknowledge(make_application, D(2020, 3, 5))
    # As before migration 0008: no numbers, no counters.
    IssuedLetter._base_manager.update(number="")
    LetterNumberSequence.objects.all().delete()
    migration = importlib.import_module("gongkai.inforequests.migrations.0008_issued_letter_numbers")

    migration.number_stored_letters(apps, None)

    numbered = {row.pk: row for row in IssuedLetter.objects.all()}
    assert numbered[reply_year.pk].number == "吉公依受〔2020〕1号"
    assert numbered[earlier.pk].number == "吉公依受〔2021〕1号"
    assert numbered[later.pk].number == "吉公依受〔2021〕2号"
    assert not any(row.number_printed for row in numbered.values())
    # The counters go on after them.
    assert letter_numbers.allocate("acknowledgement", D(2021, 7, 1)) == "吉公依受〔2021〕3号"
