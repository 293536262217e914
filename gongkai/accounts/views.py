"""Staff login and logout, with lock-out after repeated failures."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from gongkai.accounts import passwords, security, services, twofactor
from gongkai.accounts.models import User
from gongkai.core import clock

LOCKED_MESSAGE = gettext_lazy("登录失败次数过多，账户已临时锁定，请稍后再试。")


class LoginForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    password = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput, max_length=200)


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        password = form.cleaned_data["password"]
        now = clock.now()
        # Locked per account *and* address (the shared counters of core.ratelimit): a stranger's
        # failures elsewhere never lock a member of staff out.
        if not services.take_login_attempt(request, username):
            services.dummy_password_check(password)  # the same time as a real check
            form.add_error(None, LOCKED_MESSAGE)
        else:
            # Django's backend hashes the password for an unknown username too: no timing tell.
            user = authenticate(request, username=username, password=password)
            if isinstance(user, User) and user.is_active:
                if twofactor.enrolled(user):  # the password was right: now the code
                    services.give_back_login_attempt(request, username)
                    request.session.cycle_key()
                    request.session[twofactor.PENDING_KEY] = {
                        "user": user.pk,
                        "at": now.timestamp(),
                        "next": next_url,
                    }
                    return HttpResponseRedirect(reverse("accounts:second_factor"))
                login(request, user)
                services.do_record_login(user, request=request, now=now)
                if twofactor.required(user):
                    return HttpResponseRedirect(reverse("accounts:two_factor"))
                return HttpResponseRedirect(next_url or reverse("workbench:dashboard"))
            if services.do_record_failed_login(username, request=request, now=now):
                form.add_error(None, LOCKED_MESSAGE)
            else:
                form.add_error(None, _("用户名或密码不正确。"))
    expired = security.idle_message() if request.GET.get("expired") == "idle" and not form.is_bound else ""
    return render(request, "accounts/login.html", {"form": form, "next": next_url, "expired": expired})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态口令或恢复码"),
        max_length=20,
        help_text=gettext_lazy("身份验证器应用中的 6 位数字；手机不在身边时，可填写一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


@never_cache
@csrf_protect
def second_factor_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the password was right, the code decides."""
    pending = request.session.get(twofactor.PENDING_KEY)
    now = clock.now()
    if (
        not isinstance(pending, dict)
        or now.timestamp() - float(pending.get("at", 0)) > twofactor.PENDING_SECONDS
    ):
        request.session.pop(twofactor.PENDING_KEY, None)
        return redirect("accounts:login")
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None:
        request.session.pop(twofactor.PENDING_KEY, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.take_login_attempt(request, user.username):
            form.add_error(None, LOCKED_MESSAGE)
        elif twofactor.do_verify(user, form.cleaned_data["code"], now=now):
            next_url = str(pending.get("next") or "")
            del request.session[twofactor.PENDING_KEY]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.do_record_login(user, request=request, now=now)
            return HttpResponseRedirect(next_url or reverse("workbench:dashboard"))
        elif services.do_record_failed_login(user.username, request=request, now=now):
            request.session.pop(twofactor.PENDING_KEY, None)
            form.add_error(None, LOCKED_MESSAGE)
        else:
            form.add_error("code", _("动态口令不正确或已使用过，请输入应用中当前显示的 6 位数字。"))
    demo = twofactor.demo_code(User.objects.get(pk=user.pk), now=clock.now())
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "demo_code": demo,
            "demo_secret_groups": twofactor.groups(twofactor.DEMO_SECRET) if demo else [],
        },
    )


ENROL_KEY = "gk_2fa_enrol_secret"


@never_cache
@login_required
@csrf_protect
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Enrolment: a secret to type or paste into the app, confirmed by a code from it."""
    user = request.user
    assert isinstance(user, User)
    if twofactor.enrolled(user):
        return render(request, "accounts/two_factor.html", {"enrolled": True, "nav": ""})
    secret = request.session.get(ENROL_KEY)
    if not isinstance(secret, str) or not secret:
        secret = twofactor.new_secret()
        request.session[ENROL_KEY] = secret
    form = CodeForm(request.POST or None)
    codes = None
    if request.method == "POST" and form.is_valid():
        codes = twofactor.do_enrol(user, secret, form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("动态口令不正确：请核对应用中的时间和密钥后，输入当前显示的 6 位数字。"))
        else:
            del request.session[ENROL_KEY]
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "secret": secret,
            "secret_groups": twofactor.groups(secret),
            "uri": twofactor.otpauth_uri(user, secret),
            "codes": codes,
            "required": twofactor.required(user),
            "enrolled": codes is not None,
            "nav": "",
        },
    )


@never_cache
@login_required
@csrf_protect
def password_change_view(request: HttpRequest) -> HttpResponse:
    """A person's own password: the current one, the new one twice (the rules and the history are
    the form's validate_password); the session stays signed in afterwards."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.do_change_password(user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改。"))
        return redirect("workbench:dashboard")
    age = passwords.max_age()
    expired = passwords.expired(user, now=clock.now())
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": expired, "max_age_days": age.days if age else 0, "nav": ""},
    )
