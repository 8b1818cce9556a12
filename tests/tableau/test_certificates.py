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
