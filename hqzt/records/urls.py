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
    path("records/books/<str:kind>/<int:pk>/close/", views.book_close_view, name="book_close"),
    path("records/closed-books/<int:pk>/book.pdf", views.closed_book_file, name="closed_book_file"),
    path("records/practices/", views.practice_list, name="practice_list"),
    path("records/practices/new/", views.practice_edit, name="practice_create"),
    path("records/practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("records/practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("records/practice-photos/<int:pk>/", views.practice_photo, name="practice_photo"),
]
