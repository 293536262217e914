from django.urls import URLPattern, URLResolver, path

from gongkai.newmedia import views

app_name = "newmedia_staff"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.channels, name="channels"),
    path("new/", views.channel_new, name="channel_new"),
    path("c/<slug:slug>/", views.channel_detail, name="channel"),
    path("c/<slug:slug>/edit/", views.channel_edit, name="channel_edit"),
    path("posts/", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/retry/", views.post_retry, name="post_retry"),
    path("failures/", views.failure_list, name="failures"),
    path("stats/", views.stats_view, name="stats"),
    path("records/<int:pk>/send/", views.record_send, name="record_send"),
]
