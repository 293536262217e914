from django.urls import URLPattern, URLResolver

app_name = "engagement_staff"
urlpatterns: list[URLPattern | URLResolver] = []
