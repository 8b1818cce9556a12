"""Portal pages of the register: the doctor's own entry."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tableau import selectors


@login_required
def my_registration(request):
    doctor = selectors.doctor_of_user(request.user)
    history = selectors.status_history(doctor) if doctor else []
    return render(request, "tableau/my_registration.html", {"doctor": doctor, "history": history})
