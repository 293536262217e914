from django.urls import path

from gongkai.powers.views import public

app_name = "powers"
urlpatterns = [
    path("", public.index, name="index"),
    path("approvals/", public.approvals, name="approvals"),
    path("search/", public.search, name="search"),
    path("download/<slug:which>.<slug:fmt>", public.download, name="download"),
    path("i/<str:code>/", public.item, name="item"),
    path("i/<str:code>/guide/", public.guide, name="guide"),
    path("i/<str:code>/form.<slug:fmt>", public.basic_form, name="form"),
]
