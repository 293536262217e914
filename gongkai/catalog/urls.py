from django.urls import path

from gongkai.catalog.views import public

app_name = "catalog"
urlpatterns = [
    path("", public.index, name="index"),
    path("c/<slug:code>/", public.category, name="category"),
    path("c/<slug:code>/feed.atom", public.CategoryFeed(), name="feed"),
    path("r/<path:index_number>/attachments/<int:attachment_id>/", public.attachment, name="attachment"),
    path("r/<path:index_number>/", public.record_detail, name="record"),
    path("search/", public.search_view, name="search"),
    path("pages/<slug:slug>/", public.page_view, name="page"),
]
