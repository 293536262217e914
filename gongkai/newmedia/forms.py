from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.newmedia.models import Channel


class ChannelForm(forms.ModelForm):  # type: ignore[type-arg]
    """The channel's settings; the secret is typed, never shown (blank on change: keep it)."""

    secret = forms.CharField(
        label=_("共享密钥"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    endpoint_url = forms.URLField(label=_("接口地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = Channel
        fields = [
            "slug",
            "name",
            "adapter",
            "catalog_channel",
            "endpoint_url",
            "max_length",
            "images_allowed",
            "cut_style",
            "timeout_seconds",
            "active",
            "position",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.fields["secret"].help_text = _("留空则保留现有密钥；填写则替换。")
            self.initial.setdefault("version", self.instance.version)
        else:
            self.fields["secret"].required = True
            self.fields["secret"].help_text = _(
                "渠道用它核验推送内容的签名（HMAC-SHA256），加密保存，不再显示。"
            )

    def validate_unique(self) -> None:
        pass  # the service says a slug is taken, in its own words

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        data["secret"] = self.cleaned_data.get("secret", "")
        return data
