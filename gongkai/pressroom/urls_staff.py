from django.urls import URLPattern, URLResolver

app_name = "pressroom_staff"
urlpatterns: list[URLPattern | URLResolver] = []
