"""Applications API for integrating systems (the province's unified platform, …): docs/inforequests-public.md.

Each system has its own token (`gongkai issue_token NAME`), sent as `Authorization: Bearer <token>`;
only its SHA-256 is stored. A system sees only the applications it created. Errors have the
catalog API's shape (code, Chinese and English message, field errors).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.params import functions as param_functions
from ninja.security import HttpBearer
from pydantic import Field

from gongkai.catalog.api import error
from gongkai.catalog.schemas import ErrorOut
from gongkai.core import clock, workdays
from gongkai.core.masking import mask_id
from gongkai.inforequests import services
from gongkai.inforequests.choices import IntakeChannel, Outcome, Status
from gongkai.inforequests.forms_public import TRACKING_RE, normalise_id_number, request_errors
from gongkai.inforequests.models import Application, IntegrationToken

TOKEN_RE = re.compile(r"^[A-Za-z0-9_\-.~+/=]{1,200}$")


class IntegrationBearer(HttpBearer):
    """A per-system token; an unknown or deactivated token is refused (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> IntegrationToken | None:
        token = token.strip()
        if not TOKEN_RE.match(token):
            return None
        digest = hashlib.sha256(token.encode()).hexdigest()
        return IntegrationToken.objects.filter(token_hash=digest, is_active=True).first()


router = Router(tags=["applications"], auth=IntegrationBearer())

# ---------------------------------------------------------------------------------------------
# Shapes.

# The codes of choices.py, spelled out for the schema (a test keeps them equal).
ChannelCode = Literal["online", "letter", "in_person", "fax", "email", "platform"]
ApplicantKindCode = Literal[
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other"
]
FormWantedCode = Literal["paper", "electronic", "inspection"]
DeliveryCode = Literal["post", "email", "collection"]
RequestKindCode = Literal["disclosure", "correction"]


class ApplicationIn(Schema):
    """An application as received by the integrating system (2019 Art. 29)."""

    received_on: dt.date = Field(description="收到申请日期 (receipt date, Art. 31), not in the future")
    channel: ChannelCode = Field(description="申请渠道 (intake channel)")
    request_kind: RequestKindCode = Field("disclosure", description="申请类型")
    applicant_kind: ApplicantKindCode = Field(description="申请人类型 (natural person or organisation kind)")
    applicant_name: str = Field(min_length=1, max_length=150, description="姓名/名称")
    contact_person: str = Field("", max_length=60, description="联系人 (organisations)")
    id_type: str = Field("居民身份证", min_length=1, max_length=30, description="证件类型")
    id_number: str = Field(min_length=1, max_length=40, description="证件号码 (居民身份证: GB 11643 checked)")
    phone: str = Field(min_length=1, max_length=40, description="联系电话")
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$", description="电子邮箱")
    address: str = Field("", max_length=200, description="通信地址")
    postcode: str = Field("", max_length=10, description="邮政编码")
    information_title: str = Field("", max_length=300, description="所需信息名称 (this or description)")
    information_doc_number: str = Field("", max_length=100, description="文号")
    description: str = Field("", max_length=5000, description="所需信息的描述 (this or the title)")
    form_wanted: FormWantedCode = Field(description="获取信息的形式")
    delivery: DeliveryCode = Field(description="获取信息的方式 (email needs an e-mail address)")
    needs_assistance: bool = Field(False, description="需要阅读、视听等方面的帮助 (Art. 43)")
    assistance_note: str = Field("", max_length=200)
    suggests_proactive: bool = Field(False, description="建议主动公开 (Art. 44)")


class Choice(Schema):
    code: str
    label: str


class CrossedDay(Schema):
    date: str
    kind: str
    name: str


class ClockOut(Schema):
    """How the due dates were computed (ClockResult.as_dict())."""

    rule_set: str
    rule_set_title: str
    start: str
    reply_workdays: int
    paused_workdays: int
    paused_now: bool
    due: str | None
    extended: bool
    extended_due: str | None
    effective_due: str | None
    steps: list[str]
    crossed: list[CrossedDay]


class ApplicationOut(Schema):
    tracking_number: str
    query_code: str | None = Field(
        None, description="查询码: only in the answer that created the application, never again"
    )
    status: Choice
    channel: Choice
    received_on: dt.date
    applicant_name: str
    id_number_masked: str
    due_on: dt.date | None
    extended_due_on: dt.date | None
    extended: bool
    effective_due_on: dt.date | None
    computation: ClockOut | None
    outcome: Choice | None
    replied_on: dt.date | None


def application_out(application: Application, code: str | None = None) -> dict[str, Any]:
    try:
        computation: dict[str, Any] | None = services.compute_clock(application, clock.today()).as_dict()
    except workdays.CalendarUnknownError:
        computation = None
    return {
        "tracking_number": application.tracking_number,
        "query_code": code,
        "status": {"code": application.status, "label": str(Status(application.status).label)},
        "channel": {"code": application.channel, "label": str(IntakeChannel(application.channel).label)},
        "received_on": application.received_on,
        "applicant_name": application.applicant_name,
        "id_number_masked": mask_id(application.id_number),
        "due_on": application.due_on,
        "extended_due_on": application.extended_due_on,
        "extended": application.extended,
        "effective_due_on": application.effective_due_on,
        "computation": computation,
        "outcome": {"code": application.outcome, "label": str(Outcome(application.outcome).label)}
        if application.outcome
        else None,
        "replied_on": application.replied_on,
    }


NOT_FOUND = ("not_found", "未找到该申请，或该申请不是本系统提交的。", "No such application from this system.")


def _invalid(errors: dict[str, str]) -> dict[str, Any]:
    body = error("invalid_application", "申请内容有误。", "The application is not valid.")
    body["errors"] = [{"location": f"body.{field}", "message": message} for field, message in errors.items()]
    return body


# ---------------------------------------------------------------------------------------------
# Endpoints.


@router.post(
    "/applications",
    response={200: ApplicationOut, 201: ApplicationOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    url_name="applications",
    summary="Register an application received by this system",
    description=(
        "201 with the tracking number and the query code (shown once). A repeated request with the same "
        "`Idempotency-Key` answers 200 with the first application and no query code."
    ),
)
def create_application(
    request: HttpRequest,
    payload: ApplicationIn,
    idempotency_key: Annotated[
        str | None,
        param_functions.Header(
            alias="Idempotency-Key", min_length=1, max_length=200, description="幂等键 (idempotency key)"
        ),
    ] = None,
) -> Any:
    integration: IntegrationToken = request.auth  # type: ignore[attr-defined]
    data = payload.dict()
    data["id_number"] = normalise_id_number(data["id_number"])
    errors = request_errors(data)
    if payload.received_on > clock.today():
        errors["received_on"] = _("收到申请日期不能晚于今天。")
    if errors:
        return 422, _invalid(errors)
    # Keys are per system: the same key from two systems names two applications.
    key = (
        hashlib.sha256(f"{integration.pk}\n{idempotency_key}".encode()).hexdigest()
        if idempotency_key
        else None
    )
    try:
        with transaction.atomic():
            application, code = services.do_submit_application(
                data,
                channel=payload.channel,
                received_on=payload.received_on,
                integration=integration,
                idempotency_key=key,
            )
    except services.RequestError as exc:
        return 422, _invalid({"received_on": str(exc)})
    return (201 if code else 200), application_out(application, code)


@router.get(
    "/applications/{path:tracking_number}",
    response={200: ApplicationOut, 401: ErrorOut, 404: ErrorOut},
    url_name="application",
    summary="One application created by this system: its state, due dates and their computation",
)
def get_application(request: HttpRequest, tracking_number: str) -> Any:
    integration: IntegrationToken = request.auth  # type: ignore[attr-defined]
    if not TRACKING_RE.match(tracking_number):
        return 404, error(*NOT_FOUND)
    application = Application.objects.filter(tracking_number=tracking_number, integration=integration).first()
    if application is None:
        return 404, error(*NOT_FOUND)
    return 200, application_out(application)
