from django.urls import path

import gongkai.powers.views.staff as staff

app_name = "powers_staff"
urlpatterns = [
    path("", staff.item_list, name="list"),
    path("new/", staff.item_new, name="new"),
    path("import/", staff.import_items, name="import"),
    path("editions/", staff.editions, name="editions"),
    path("editions/<int:pk>/<slug:move>/", staff.edition_move, name="edition_move"),
    path("<int:pk>/", staff.item_detail, name="detail"),
    path("<int:pk>/edit/", staff.item_edit, name="edit"),
    path("<int:pk>/<slug:move>/", staff.item_move, name="move"),
]
