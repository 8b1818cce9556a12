import io

import pytest
from pypdf import PdfReader

from ordre.audit.models import AuditEvent
from tableau import certificates, services
from tests.procedures import factories
from tests.procedures.test_pages import login
from tests.tableau.factories import ACTOR, make_doctor

pytestmark = pytest.mark.django_db


def test_certificate_pdf_and_verification(client):
    user = factories.make_applicant()
    doctor = make_doctor(user=user)
    login(client, user)
    response = client.post("/mon-inscription/attestation/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    certificate = doctor.certificates.get()
    assert doctor.rpps in text and certificate.code in text
    assert AuditEvent.objects.filter(
        action="tableau.certificate.issue", subject=f"doctor:{doctor.pk}"
    ).exists()

    client.logout()
    page = client.get(f"/verifier/{certificate.code}/")
    assert page.status_code == 200 and "Attestation valide" in page.content.decode()
    assert "1985" not in page.content.decode() and "Lyon" not in page.content.decode()
    assert client.get("/verifier/AAAA-BBBB-CCCC-DDDD/").status_code == 404

    services.doctor_change_status(actor=ACTOR, doctor=doctor, status="suspended")
    page = client.get(f"/verifier/{certificate.code}/")
    assert "n’est plus valide" in page.content.decode()


def test_only_registered_doctors_get_a_certificate(client):
    doctor = make_doctor()
    services.doctor_change_status(actor=ACTOR, doctor=doctor, status="struck_off")
    with pytest.raises(certificates.CertificateError):
        certificates.certificate_issue(actor=ACTOR, doctor=doctor)
    login(client, factories.make_applicant())
    assert client.post("/mon-inscription/attestation/").status_code == 404


def test_the_certificate_is_pades_signed_when_a_signing_certificate_is_configured(
    tmp_path, settings
):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.reader import PdfFileReader

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Ordre des médecins (test)")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "signing.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test", key, cert, None, serialization.BestAvailableEncryption(b"secret")
        )
    )
    settings.CERTIFICATE_SIGNING_PKCS12 = str(path)
    settings.CERTIFICATE_SIGNING_PASSWORD = "secret"
    certificate = certificates.certificate_issue(actor=ACTOR, doctor=make_doctor())
    pdf = certificates.certificate_pdf(certificate)
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    assert signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signatures[0].signer_cert.subject.native["common_name"] == "Ordre des médecins (test)"


def test_downloads_reuse_the_current_certificate_until_the_register_changes(client, clear_cache):
    user = factories.make_applicant()
    doctor = make_doctor(user=user, qualifications=["SM54"])
    login(client, user)
    first = client.post("/mon-inscription/attestation/").content
    second = client.post("/mon-inscription/attestation/").content
    assert first == second and doctor.certificates.count() == 1
    services.qualification_add(actor=ACTOR, doctor=doctor, code="SM26")
    client.post("/mon-inscription/attestation/")
    assert doctor.certificates.count() == 2
