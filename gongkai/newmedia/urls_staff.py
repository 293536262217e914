from django.urls import URLPattern, URLResolver

app_name = "newmedia_staff"
urlpatterns: list[URLPattern | URLResolver] = []
