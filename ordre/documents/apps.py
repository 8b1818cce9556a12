from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ordre.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        from ordre.crypto.rotation import register_rotator
        from ordre.documents.rotation import rotate_document_files

        register_rotator("documents.files", rotate_document_files)
