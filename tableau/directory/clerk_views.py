"""Clerk pages of the directory: the differences with the national directory import."""

from django.shortcuts import render

from ordre.accounts.selectors import council_codes_of
from ordre.procedures.views import clerk_required
from tableau.directory.differences import register_differences


@clerk_required
def differences(request):
    councils = council_codes_of(request.user)
    report = register_differences(council_codes=councils)
    return render(request, "directory/differences.html", {"report": report, "councils": councils})
