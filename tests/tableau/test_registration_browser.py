"""The registration path in a real browser: an applicant files a dossier with its pieces,
the clerk of the council asks for a missing piece, the applicant adds it, the clerk
accepts; the doctor downloads the certificate whose code the public page finds valid."""

import pytest

from tests.procedures import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _pdf() -> bytes:
    """A well-formed one-page PDF: the live worker's document pipeline checks it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()

TEXT_FIELDS = {
    "birth_name": "Martin",
    "first_names": "Élise Marie",
    "birth_date": "1990-02-03",
    "birth_place": "Lyon",
    "birth_country": "FR",
    "nationality": "FR",
    "email": "elise@example.org",
    "diploma": "Diplôme d’État de docteur en médecine",
    "diploma_university": "Université Paris Cité",
    "diploma_year": "2020",
    "diploma_country": "FR",
    "practice_address": "3 rue du Parc",
    "practice_postal_code": "75011",
    "practice_city": "Paris",
}


def _upload(page, code: str) -> None:
    page.select_option("#piece-code", code)
    page.set_input_files(
        "#piece-file", files=[{"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("#ajout-piece button[type=submit]")
    page.wait_for_load_state()


def test_registration_path_in_the_browser(page, login):
    from ordre.councils.models import Council
    from ordre.councils.reference import EXPECTED_COUNT, load_councils
    from tableau.models import Certificate, Doctor

    if Council.objects.count() != EXPECTED_COUNT:
        load_councils(Council)
    applicant = factories.make_applicant()
    clerk = factories.make_clerk("75")

    # The applicant fills the form and the pieces, then submits.
    login(page, applicant)
    page.goto("/demarches/registration/nouveau/")
    page.select_option("#id_c-council", "75")
    for name, value in TEXT_FIELDS.items():
        page.fill(f"#id_{name}", value)
    page.select_option("#id_sex", "F")
    page.select_option("#id_practice_mode", "L")
    page.click("#nouveau-dossier button[type=submit]")
    page.wait_for_url("**/mes-dossiers/*/")
    dossier = applicant.dossiers.get()
    for code in ("identity", "diplomas", "criminal_record", "sworn_statements"):
        _upload(page, code)
    page.get_by_role("button", name="Déposer le dossier").click()
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == "submitted"

    # The clerk asks for the practice contract.
    login(page, clerk)
    page.goto("/instruction/")
    page.get_by_role("link", name=dossier.reference).click()
    page.click("label[for=codes-practice_contracts]")
    page.fill("#rp-comment", "Merci de joindre votre contrat.")
    page.click("#demande-pieces button[type=submit]")
    page.wait_for_load_state()
    dossier.refresh_from_db()
    assert dossier.state == "incomplete"

    # The applicant sees what is expected, adds it and resubmits.
    login(page, applicant)
    page.goto(f"/mes-dossiers/{dossier.pk}/")
    assert "Le conseil attend des pièces" in page.content()
    _upload(page, "practice_contracts")
    page.get_by_role("button", name="Redéposer le dossier").click()
    page.wait_for_load_state()

    # The clerk reviews and accepts.
    login(page, clerk)
    page.goto(f"/instruction/dossiers/{dossier.pk}/")
    page.get_by_role("button", name="Passer en instruction").click()
    page.wait_for_load_state()
    page.click("#accepter button[type=submit]")
    page.wait_for_load_state()
    doctor = Doctor.objects.get(user=applicant)
    assert doctor.rpps.startswith("10")

    # The doctor downloads the certificate; its code is valid on the public page.
    login(page, applicant)
    page.goto("/mon-inscription/")
    assert doctor.rpps in page.content()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger mon attestation d’inscription (PDF)").click()
    assert download.value.suggested_filename == f"attestation-{doctor.rpps}.pdf"
    certificate = Certificate.objects.get(doctor=doctor)
    page.context.clear_cookies()
    page.goto(f"/verifier/{certificate.code}/")
    assert "Attestation valide" in page.locator("#resultat").inner_text()
