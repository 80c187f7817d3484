"""Todo URLs; mount with ``path("todo/", include("quickscale_themes.todo.urls"))``."""

from django.urls import path

from . import views

app_name = "quickscale_todo"

urlpatterns = [
    path("", views.list_index, name="list_index"),
    path("<int:list_id>/", views.list_detail, name="list_detail"),
    path("<int:list_id>/rename/", views.list_rename, name="list_rename"),
    path("<int:list_id>/delete/", views.list_delete, name="list_delete"),
    path("<int:list_id>/items/", views.item_add, name="item_add"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/done/", views.item_done, name="item_done"),
    path("items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
]
