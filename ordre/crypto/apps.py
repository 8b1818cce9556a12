from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "ordre.crypto"
    label = "crypto"
    verbose_name = "Chiffrement"
