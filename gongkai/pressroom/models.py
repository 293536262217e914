"""Press conferences (新闻发布会) with their speakers and transcript, and policy interpretations
(政策解读) linked to the catalog policy record each explains.

A conference's release and related records are catalog records: the press room links them, it
never copies them. What the public sees is a published conference or interpretation; a withdrawn
one keeps its address and says it was withdrawn."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Department
from gongkai.pressroom.choices import Form, Host, Status


class Conference(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    held_on = models.DateField(_("召开日期"))
    host = models.CharField(_("召开名义"), max_length=20, choices=Host.choices, default=Host.AGENCY)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    topics = models.TextField(_("发布主题"), blank=True, help_text=_("每行一个主题。"))
    summary = models.TextField(_("简介"), blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="conferences", verbose_name=_("承办部门")
    )
    release = models.ForeignKey(
        "catalog.Record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("新闻发布稿"),
    )
    related_records = models.ManyToManyField(
        "catalog.Record", blank=True, related_name="+", verbose_name=_("相关信息")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    # Who last changed the content (created, edited, imported the transcript): with the creator,
    # the one who may not publish it (four eyes, workflows.drafted_or_edited_by).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后修改人"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["status", "held_on"], name="conference_status_held")]
        verbose_name = _("新闻发布会")
        verbose_name_plural = _("新闻发布会")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("pressroom:conference", args=[self.pk])

    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class Speaker(models.Model):
    """A person who speaks at a conference (发布人), with the post and department they speak for."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    organisation = models.CharField(_("所在部门"), max_length=100)

    class Meta:
        ordering = ["conference", "position"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "position"], name="speaker_conference_position"),
            models.UniqueConstraint(fields=["conference", "name"], name="speaker_conference_name"),
        ]
        verbose_name = _("发布人")
        verbose_name_plural = _("发布人")

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """One exchange of the transcript: a question (empty for a speaker's statement) and the answer
    of one speaker, in the order they were given."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveIntegerField(_("序号"))
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="answers")
    asked_by = models.CharField(_("提问人"), max_length=100, blank=True)
    question = models.TextField(_("问题"), blank=True)
    answer = models.TextField(_("回答"))

    class Meta:
        ordering = ["conference", "position"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "position"], name="answer_conference_position")
        ]
        verbose_name = _("问答")
        verbose_name_plural = _("问答")

    def __str__(self) -> str:
        return f"{self.conference_id} #{self.position}"


class Interpretation(models.Model):
    """A policy interpretation: text, graphic, video or a press conference, explaining one policy."""

    title = models.CharField(_("标题"), max_length=200)
    form = models.CharField(_("解读形式"), max_length=20, choices=Form.choices, default=Form.TEXT)
    policy = models.ForeignKey(
        "catalog.Record",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("解读的政策文件"),
    )
    conference = models.ForeignKey(
        Conference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interpretations",
        verbose_name=_("新闻发布会"),
    )
    body = models.TextField(_("解读内容"), blank=True)
    media_url = models.URLField(_("图解或视频地址"), max_length=500, blank=True)
    media_text = models.TextField(_("图解或视频的文字说明"), blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="interpretations", verbose_name=_("解读部门")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    # Who last changed the content (created, edited, imported the transcript): with the creator,
    # the one who may not publish it (four eyes, workflows.drafted_or_edited_by).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后修改人"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="interp_status_published"),
            models.Index(fields=["policy", "status"], name="interp_policy_status"),
        ]
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pressroom:interpretation", args=[self.pk])


class ConferenceTransition(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.from_status} → {self.to_status}"


class InterpretationTransition(models.Model):
    interpretation = models.ForeignKey(Interpretation, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.interpretation_id}: {self.from_status} → {self.to_status}"
