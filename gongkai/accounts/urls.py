from django.urls import path

from gongkai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/code/", views.second_factor_view, name="second_factor"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("password/", views.password_change_view, name="password_change"),
]
