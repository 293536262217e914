"""Every form, fuzzed (issue 12): random submissions — control characters, huge strings, full-width
digits, emoji, SQL and HTML, wrong types for numbers, dates and choices, missing fields — never make
a form raise or leave a message that is not text; posted to each form's page as someone allowed to
use it, they never make a 500 and a refused submission saves nothing. (Control characters are
stripped from every POST before any form sees it: core.middleware.CleanInputMiddleware.)

Every Form class of the apps must be listed in FORMS (a new one fails the build until it is), with
the routes it is posted to; a move of a case is posted through the case's move routes (MOVES,
FEE_MOVES). Pages whose views read the POST without a Form class are in RAW_ROUTES: their field
names are taken from the page itself."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gongkai
from gongkai.core import text
from tests.url_rules import ANONYMOUS, Same, Staff
from tests.url_world import World, build_world

pytestmark = pytest.mark.xdist_group("url_world")

CASE = "case moves"  # posted to workbench:inforequests_staff:action / fee_action (MOVES, FEE_MOVES)
BASE = "a base class: posted only as its subclasses"

# Form class → the routes it is posted to.
FORMS: dict[str, tuple[str, ...] | str] = {
    "gongkai.accounts.views.CodeForm": ("accounts:two_factor", "accounts:second_factor"),
    "gongkai.accounts.views.LoginForm": ("accounts:login",),
    "gongkai.catalog.forms.AttachmentForm": ("workbench:record_attachment",),
    "gongkai.catalog.forms.ChangeValidityForm": ("workbench:record_change_validity",),
    "gongkai.catalog.forms.PageForm": ("workbench:page_edit",),
    "gongkai.catalog.forms.PublicationForm": ("workbench:record_publication",),
    "gongkai.catalog.forms.ReasonForm": ("workbench:record_return", "workbench:record_withdraw"),
    "gongkai.catalog.forms.RecordForm": ("workbench:record_new", "workbench:record_edit"),
    "gongkai.catalog.views.staff_import.ImportForm": ("workbench:import",),
    "gongkai.core.views.staff.CalendarYearForm": ("workbench:calendar",),
    "gongkai.engagement.forms.EventQuestionForm": ("engagement:event_ask",),
    "gongkai.engagement.forms.FollowForm": ("engagement:follow",),
    "gongkai.engagement.forms.InquiryForm": ("engagement:ask",),
    "gongkai.engagement.forms.RatingForm": ("engagement:rate",),
    "gongkai.inforequests.forms_public.ApplicationForm": ("inforequests:apply",),
    "gongkai.inforequests.forms_public.StatusForm": ("inforequests:status",),
    "gongkai.inforequests.views.case_forms.AbandonForm": CASE,
    "gongkai.inforequests.views.case_forms.ApproveForm": CASE,
    "gongkai.inforequests.views.case_forms.AssignForm": CASE,
    "gongkai.inforequests.views.case_forms.AssignmentForm": CASE,
    "gongkai.inforequests.views.case_forms.ConsultForm": CASE,
    "gongkai.inforequests.views.case_forms.CorrectionForm": CASE,
    "gongkai.inforequests.views.case_forms.DatedForm": CASE,
    "gongkai.inforequests.views.case_forms.DatedResponseForm": CASE,
    "gongkai.inforequests.views.case_forms.DecideReviewForm": CASE,
    "gongkai.inforequests.views.case_forms.DeliveryForm": CASE,
    "gongkai.inforequests.views.case_forms.DraftReplyForm": CASE,
    "gongkai.inforequests.views.case_forms.ExtendForm": CASE,
    "gongkai.inforequests.views.case_forms.OpinionForm": CASE,
    "gongkai.inforequests.views.case_forms.ReasonForm": CASE,
    "gongkai.inforequests.views.case_forms.ReviewForm": CASE,
    "gongkai.inforequests.views.case_forms.ShareIdentityForm": CASE,
    "gongkai.inforequests.views.case_forms.SupplementForm": CASE,
    "gongkai.inforequests.views.case_forms.VersionForm": CASE,
    "gongkai.inforequests.views.staff_fees.FeeIssueForm": CASE,
    "gongkai.inforequests.views.staff_fees.FeeLapseForm": CASE,
    "gongkai.inforequests.views.staff_fees.FeePaidForm": CASE,
    "gongkai.inforequests.views.staff_fees.FeeWaiveForm": CASE,
    "gongkai.inforequests.views.staff_fees._FeeForm": BASE,
    "gongkai.inforequests.views.staff_letters.TemplateForm": (
        "workbench:inforequests_staff:letter_template",
    ),
    "gongkai.inforequests.views.staff_queue.RegistrationForm": ("workbench:inforequests_staff:register",),
    "gongkai.newmedia.forms.ChannelForm": (
        "workbench:newmedia_staff:channel_new",
        "workbench:newmedia_staff:channel_edit",
    ),
}
# Views that read request.POST themselves: fuzzed with the field names their page shows.
RAW_ROUTES: dict[str, str | None] = {  # route → the page showing its form (None: its own GET)
    "accounts:password_change": None,
    "workbench:annualreport_staff:edit": "workbench:annualreport_staff:detail",
    "workbench:engagement_staff:event_edit": None,
    "workbench:engagement_staff:event_new": None,
    "workbench:engagement_staff:proposal_new": None,
    "workbench:powers_staff:edit": None,
    "workbench:powers_staff:new": None,
    "workbench:pressroom_staff:edit": None,
    "workbench:pressroom_staff:interpretation_edit": None,
    "workbench:pressroom_staff:interpretation_new": None,
    "workbench:pressroom_staff:new": None,
}
FORM_EXAMPLES = 40
POST_EXAMPLES = 25
FUZZ = settings(
    max_examples=FORM_EXAMPLES,
    deadline=None,
    derandomize=True,  # CI must be stable
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED: Counter[str] = Counter()

CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
HOSTILE = [
    "",
    " ",
    "\x00",
    "申请\x00人",
    "\x1b[31m红\x1b[0m",
    "\u202eevil\u202c",
    "\ufeff",
    "'; DROP TABLE inforequests_application; --",
    "1 OR 1=1",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%n%(x)s",
    "../../etc/passwd",
    "２２０１０２１９８００１０１１２３４",  # full-width digits
    "１３９００００００００",
    "２０２１-０６-０１",
    "😀🇨🇳👨‍👩‍👧" * 20,
    "9" * 40,
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "0x10",
    "0001-01-01",
    "9999-12-31",
    "2021-02-30",
    "99999-01-01",
    "2021-13-01",
    "true",
    "null",
    "[]",
    "{}",
    "x" * 70_000,
    "长" * 5_000,
]
NO_SURROGATES = st.characters(exclude_categories=["Cs"])
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(NO_SURROGATES, max_size=40),
    st.text(st.sampled_from(CONTROL + "a1 长"), min_size=1, max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(str),
)


def _near_valid(field: forms.Field) -> list[str]:
    """Values the field may accept, so that some submissions get past the form into the views."""
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:5]]  # type: ignore[union-attr]
        return pks or ["1"]
    if isinstance(field, forms.ChoiceField):
        choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
        return [str(value) for value, _label in choices if value not in ("", None)][:8] or ["x"]
    if isinstance(field, forms.DateField):
        return ["2021-06-02", "2021-06-01", dt.date.today().isoformat()]
    if isinstance(field, forms.IntegerField):
        return ["1", "2", "15"]
    if isinstance(field, forms.BooleanField):
        return ["on", "1"]
    return ["探测内容", "请提供2020年的统计数字"]


def _value(field: forms.Field) -> st.SearchStrategy[list[str] | None]:
    one = st.one_of(st.sampled_from(_near_valid(field)), TEXT)
    return st.one_of(
        st.none(),  # missing
        one.map(lambda v: [v]),
        st.lists(one, min_size=2, max_size=3),  # a field sent twice, or a list where one is due
    )


def submission(fields: dict[str, forms.Field]) -> st.SearchStrategy[QueryDict]:
    def build(values: dict[str, list[str] | None]) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in values.items():
            if value is not None:
                data.setlist(name, value)
        return data

    return st.fixed_dictionaries({name: _value(field) for name, field in fields.items()}).map(build)


def form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every Form class defined in the apps (their modules imported, tests and migrations aside)."""
    for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if not re.search(r"\.(tests|migrations|management)(\.|$)|gunicorn_conf|wsgi", info.name):
            importlib.import_module(info.name)

    def walk(cls: type) -> Iterator[type]:
        sub: type
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    return {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for cls in walk(forms.BaseForm)
        if cls.__module__.startswith("gongkai.")
    }


def test_every_form_of_the_apps_is_listed():
    found = set(form_classes())
    assert not found - set(FORMS), (
        f"forms missing from tests/test_fuzz_forms.py FORMS: {sorted(found - set(FORMS))}"
    )
    assert not set(FORMS) - found, f"FORMS lists forms that are gone: {sorted(set(FORMS) - found)}"


def test_every_case_form_is_a_move_of_a_case():
    from gongkai.inforequests.views.staff import MOVES
    from gongkai.inforequests.views.staff_fees import FEE_MOVES

    forms_used: list[type] = [move.form for move in MOVES.values()]
    forms_used += [fee.form for fee in FEE_MOVES.values()]
    used = {cls for form in forms_used for cls in type.mro(form)}
    classes = form_classes()
    listed = {classes[name] for name, routes in FORMS.items() if routes == CASE}
    assert listed <= used, sorted(c.__name__ for c in listed - used)


def _check_form(form: forms.BaseForm) -> None:
    form.is_valid()  # never raises
    for field, errors in form.errors.get_json_data().items():
        for error in errors:
            message = error["message"]
            assert isinstance(message, str) and message.strip(), (field, error)
    form.as_div()  # and the form renders again with what was typed


def _form_kwargs(name: str, people: dict[str, Any]) -> dict[str, Any]:
    if name.endswith("RecordForm"):
        return {"user": people["editor"]}
    if name.endswith("TemplateForm"):
        return {"key": "acknowledgement", "rules": "2019"}
    return {}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_random_submissions_never_break_the_form(name, editor, reviewer):
    cls = form_classes()[name]
    kwargs = _form_kwargs(name, {"editor": editor, "reviewer": reviewer})
    fields = cls(**kwargs).fields

    @FUZZ
    @given(data=submission(fields))
    def fuzz(data: QueryDict) -> None:
        TRIED[name] += 1
        _check_form(cls(data, **kwargs))

    fuzz()
    print(f"\nfuzz {name}: {TRIED[name]} submissions")


# -- through HTTP, as someone allowed to post -------------------------------------------------------


@pytest.fixture
def world(departments, tmp_path, settings) -> World:
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_CACHE_SECONDS = 0
    settings.RATE_LIMITS = {name: (10**6, 600) for name in settings.RATE_LIMITS}
    return build_world(departments, tmp_path)


def _poster(rule: Same | Staff) -> str:
    if isinstance(rule, Same) or not rule.post:
        return ANONYMOUS
    return "reviewer" if "reviewer" in rule.post else sorted(rule.post)[0]


FIELD_RE = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname="([^"]+)\"""")


Target = tuple[str, str, str, dict[str, forms.Field], Callable[[QueryDict], bool] | None]


def _validator(cls: type[forms.BaseForm], **kwargs: Any) -> Callable[[QueryDict], bool]:
    """Whether the form finds a submission valid, as its view gets it (control characters gone)."""

    def is_valid(data: QueryDict) -> bool:
        cleaned = QueryDict(mutable=True)
        for key, values in data.lists():
            cleaned.setlist(key, [text.strip_control(v) for v in values])
        return cls(cleaned, **kwargs).is_valid()

    return is_valid


def _targets(world: World) -> Iterator[Target]:
    """(label, url, persona, fields, validator) of every form's route and every raw route."""
    from gongkai.inforequests.views.staff import MOVES
    from gongkai.inforequests.views.staff_fees import FEE_MOVES
    from tests.test_url_access_matrix import ROUTES

    classes = form_classes()
    people = world.people
    for name, routes in sorted(FORMS.items()):
        if isinstance(routes, str):
            continue
        kwargs = _form_kwargs(name, people)
        fields, is_valid = classes[name](**kwargs).fields, _validator(classes[name], **kwargs)
        for route in routes:
            yield f"{name} → {route}", world.url(route), _poster(ROUTES[route]), dict(fields), is_valid
    case = world.objects["application"].pk
    for move_name, move in MOVES.items():
        url = reverse("workbench:inforequests_staff:action", args=[case, move_name])
        yield f"case move {move_name}", url, "reviewer", dict(move.form().fields), _validator(move.form)
    for move_name, fee in FEE_MOVES.items():
        url = reverse("workbench:inforequests_staff:fee_action", args=[case, move_name])
        yield f"fee move {move_name}", url, "reviewer", dict(fee.form().fields), _validator(fee.form)
    for route, shown_on in RAW_ROUTES.items():
        persona = _poster(ROUTES[route])
        client = Client()
        client.force_login(people[persona])
        page = client.get(world.url(shown_on or route)).content.decode()
        names = sorted(set(FIELD_RE.findall(page)) - {"csrfmiddlewaretoken", "lang", "next"})
        assert names, f"no fields found on {route}"
        yield f"raw {route}", world.url(route), persona, {n: forms.CharField() for n in names}, None


def _fuzz_route(
    world: World,
    label: str,
    url: str,
    persona: str,
    fields: dict[str, forms.Field],
    is_valid: Callable[[QueryDict], bool] | None,
) -> Counter[int]:
    """Post random submissions; refused ones (an error status, or data the form finds invalid)
    may save nothing."""
    from gongkai.core.models import AuditEvent
    from tests.test_url_access_matrix import fingerprint

    client = Client(raise_request_exception=False)
    if persona != ANONYMOUS:
        client.force_login(world.people[persona])
    posted: Counter[int] = Counter()

    @settings(FUZZ, max_examples=POST_EXAMPLES)
    @given(data=submission(fields))
    def fuzz(data: QueryDict) -> None:
        TRIED[label] += 1
        before, last_event = fingerprint(world), AuditEvent.objects.order_by("-pk").values("pk").first()
        response = client.post(url, data)
        posted[response.status_code] += 1
        cell = f"{label}: POST {url} as {persona} → {response.status_code}"
        assert response.status_code < 500, cell
        if response.status_code >= 400 or (is_valid is not None and not is_valid(data)):
            # A failed sign-in and a view of personal data (the case page shown again) are audited
            # themselves (MLPS); nothing else may be written.
            logged = AuditEvent.objects.filter(pk__gt=last_event["pk"] if last_event else 0)
            acts = logged.exclude(action__startswith="accounts.login.")
            acts = acts.exclude(action__startswith="core.personal_data.")
            assert not acts.exists(), f"{cell}: {list(acts.values_list('action', flat=True))}"
            assert fingerprint(world)[1:] == before[1:], f"{cell}: refused, yet something was saved"

    fuzz()
    return posted


def test_random_posts_never_make_a_500_and_a_refusal_saves_nothing(world):
    posted: Counter[int] = Counter()
    targets = list(_targets(world))
    for label, url, persona, fields, is_valid in targets:
        posted += _fuzz_route(world, label, url, persona, fields, is_valid)
    total = sum(TRIED[label] for label, *_ in targets)
    print(f"\nfuzz over HTTP: {total} posts to {len(targets)} form routes; statuses {dict(posted)}")
    assert len(targets) >= 50
