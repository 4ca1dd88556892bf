from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hqzt.documents"
    verbose_name = "文书与导入导出"
