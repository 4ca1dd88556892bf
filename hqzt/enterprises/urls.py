from django.urls import path

from hqzt.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/new/", views.enterprise_create, name="create"),
    path("enterprises/pick/", views.enterprise_pick, name="pick"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path(
        "enterprises/contacts/<int:pk>/phone/",
        views.contact_reveal_phone,
        name="contact_reveal_phone",
    ),
    path("chains/", views.chain_list, name="chain_list"),
    path("chains/new/", views.chain_edit, name="chain_create"),
    path("chains/<int:pk>/", views.chain_detail, name="chain_detail"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain_edit"),
    path("towns/", views.town_list, name="town_list"),
    path("towns/new/", views.town_edit, name="town_create"),
    path("towns/<int:pk>/", views.town_detail, name="town_detail"),
    path("towns/<int:pk>/edit/", views.town_edit, name="town_edit"),
]
