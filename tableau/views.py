"""Portal pages of the register: the doctor's own entry."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from tableau import certificates, selectors
from tableau.models import Certificate


@login_required
def my_registration(request):
    doctor = selectors.doctor_of_user(request.user)
    history = selectors.status_history(doctor) if doctor else []
    return render(request, "tableau/my_registration.html", {"doctor": doctor, "history": history})


@require_POST
@login_required
def my_certificate(request):
    """The logged-in doctor’s current certificate (reissued when the register changed)."""
    doctor = selectors.doctor_of_user(request.user)
    if doctor is None:
        raise Http404
    try:
        certificate = certificates.certificate_current(actor=request.user, doctor=doctor)
    except certificates.CertificateError:
        raise Http404 from None
    response = HttpResponse(
        certificates.certificate_pdf_cached(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="attestation-{doctor.rpps}.pdf"'
    return response


@cache_control(no_store=True)
def verify(request, code: str):
    """Public: valid / no longer valid, and only what the certificate itself shows."""
    certificate = (
        Certificate.objects.select_related("doctor", "council").filter(code=code.upper()).first()
    )
    valid = certificate is not None and certificates.certificate_is_valid(certificate)
    return render(
        request,
        "tableau/verify.html",
        {"certificate": certificate, "valid": valid},
        status=200 if certificate else 404,
    )
