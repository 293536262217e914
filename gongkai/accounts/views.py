"""Staff login and logout, with lock-out after repeated failures."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from gongkai.accounts import security, services
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
        if services.login_blocked(request, username):
            services.dummy_password_check(password)  # the same time as a real check
            form.add_error(None, LOCKED_MESSAGE)
        else:
            # Django's backend hashes the password for an unknown username too: no timing tell.
            user = authenticate(request, username=username, password=password)
            if isinstance(user, User) and user.is_active:
                login(request, user)
                services.do_record_login(user, request=request, now=now)
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
