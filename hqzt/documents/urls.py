from django.urls import path

from hqzt.documents import import_views, views

app_name = "documents"
urlpatterns = [
    path("needs/export.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("needs/export.pdf", views.ledger_pdf, name="ledger_pdf"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("sheets/<int:pk>/sheet.<str:fmt>", views.sheet_document, name="sheet_document"),
    path(
        "needs/<int:pk>/evaluation.<str:fmt>", views.evaluation_document, name="evaluation_document"
    ),
    path("forms/blank-sheet.<str:fmt>", views.blank_sheet, name="blank_sheet"),
    path("forms/blank-evaluation.<str:fmt>", views.blank_evaluation, name="blank_evaluation"),
    path("needs/import/", import_views.import_upload, name="import_upload"),
    path("needs/import/<int:pk>/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("enterprises/import/", import_views.enterprise_import, name="enterprise_import"),
    path(
        "enterprises/import/<int:pk>/",
        import_views.enterprise_import_confirm,
        name="enterprise_import_confirm",
    ),
]
