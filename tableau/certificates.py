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


def _snapshot(doctor: Doctor) -> tuple:
    return (
        doctor.rpps,
        doctor.display_name,
        doctor.council_id,
        [q.label for q in doctor.qualifications.filter(ended_on__isnull=True).order_by("code")],
    )


def certificate_current(*, actor, doctor: Doctor) -> Certificate:
    """The doctor's latest certificate when it still shows the register as it is, else a
    new one: repeated downloads reuse one code and its cached PDF."""
    latest = doctor.certificates.order_by("-issued_at", "-id").first()
    if (
        latest is not None
        and certificate_is_valid(latest)
        and (latest.rpps, latest.display_name, latest.council_id, latest.qualifications)
        == _snapshot(doctor)
    ):
        return latest
    return certificate_issue(actor=actor, doctor=doctor)


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


PDF_CACHE_SECONDS = 24 * 3600


def certificate_pdf_cached(certificate: Certificate) -> bytes:
    """Render once, then serve from the cache (about 4 pages/s per core: never re-render
    the same certificate for every download)."""
    from django.core.cache import cache

    key = f"tableau:certificate-pdf:{certificate.code}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = certificate_pdf(certificate)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate's PDF; PAdES-signed when a signing certificate is configured
    (`CERTIFICATE_SIGNING_PKCS12` path, `CERTIFICATE_SIGNING_PASSWORD`)."""
    from weasyprint import HTML

    pdf = HTML(string=certificate_html(certificate), base_url=str(settings.BASE_DIR)).write_pdf()
    pkcs12 = getattr(settings, "CERTIFICATE_SIGNING_PKCS12", "")
    if pkcs12:
        pdf = sign_pdf(pdf, pkcs12_path=pkcs12, password=settings.CERTIFICATE_SIGNING_PASSWORD)
    return pdf


def sign_pdf(pdf: bytes, *, pkcs12_path: str, password: str = "") -> bytes:
    """A PAdES (B-B) signature of `pdf` with the key and certificate of a PKCS#12 file."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = signers.SimpleSigner.load_pkcs12(
        pkcs12_path, passphrase=password.encode() if password else None
    )
    if signer is None:
        raise CertificateError("Certificat de signature illisible.")
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)),
        signers.PdfSignatureMetadata(
            field_name="Signature",
            subfilter=SigSeedSubFilter.PADES,
            reason="Attestation d’inscription au tableau de l’Ordre des médecins",
        ),
        signer=signer,
        output=output,
    )
    return output.getvalue()
