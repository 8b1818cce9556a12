"""Attestation d'inscription: issue (audited), render to PDF (WeasyPrint, QR code by
segno), verify by code (public page: valid / no longer valid, nothing more than the
certificate shows)."""

import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ordre.audit.services import record_event
from tableau.enums import DoctorStatus
from tableau.models import Certificate, Doctor

# Crockford-like alphabet without look-alikes; 16 characters ≈ 80 bits.
_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 16


class CertificateError(Exception):
    pass


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("tableau:verify", kwargs={"code": code})


@transaction.atomic
def certificate_issue(*, actor, doctor: Doctor) -> Certificate:
    """Issue a certificate for a registered doctor (a new code each time)."""
    doctor = Doctor.objects.select_for_update().get(pk=doctor.pk)
    if doctor.status != DoctorStatus.REGISTERED:
        raise CertificateError("Seul un médecin inscrit peut obtenir une attestation.")
    certificate = Certificate.objects.create(
        code=new_code(),
        doctor=doctor,
        rpps=doctor.rpps,
        display_name=doctor.display_name,
        council_id=doctor.council_id,
        qualifications=[
            q.label for q in doctor.qualifications.filter(ended_on__isnull=True).order_by("code")
        ],
    )
    record_event(
        actor=actor,
        action="tableau.certificate.issue",
        target=certificate,
        subject=f"doctor:{doctor.pk}",
    )
    return certificate


def certificate_is_valid(certificate: Certificate) -> bool:
    """Still true: the doctor is registered, at the same council, with the same RPPS."""
    doctor = certificate.doctor
    return (
        doctor.status == DoctorStatus.REGISTERED
        and doctor.council_id == certificate.council_id
        and doctor.rpps == certificate.rpps
    )


def certificate_html(certificate: Certificate) -> str:
    url = verification_url(certificate.code)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    return render_to_string(
        "tableau/certificate.html",
        {
            "certificate": certificate,
            "council_name": certificate.council.name,
            "verification_url": url,
            "qr_data_uri": qr,
            "today": timezone.localdate(),
        },
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(certificate), base_url=str(settings.BASE_DIR)).write_pdf()
