from django.urls import path

from hqzt.records import views

app_name = "records"
urlpatterns = [
    path("records/archive/", views.archive, name="archive"),
    path("records/enterprises/<int:pk>/", views.enterprise, name="enterprise_book"),
    path(
        "records/enterprises/<int:pk>/book.<str:fmt>", views.enterprise, name="enterprise_book_file"
    ),
    path("records/chains/<int:pk>/", views.chain, name="chain_book"),
    path("records/chains/<int:pk>/book.<str:fmt>", views.chain, name="chain_book_file"),
    path("records/towns/<int:pk>/", views.town, name="town_book"),
    path("records/towns/<int:pk>/book.<str:fmt>", views.town, name="town_book_file"),
]
