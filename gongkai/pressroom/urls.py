from django.urls import URLPattern, URLResolver

app_name = "pressroom"
urlpatterns: list[URLPattern | URLResolver] = []
