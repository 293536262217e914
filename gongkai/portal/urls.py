from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from gongkai.portal import views
from gongkai.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("preferences/", views.preferences, name="preferences"),
    path("sitemap/", views.sitemap_page, name="sitemap"),
    # Browsers ask for /favicon.ico whatever the page links; answer with the static file.
    path(
        "favicon.ico", RedirectView.as_view(url=static("gongkai/favicon.ico"), permanent=True), name="favicon"
    ),
]
sitemap_urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
