"""The portal inbox: thin views over the selectors and services."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ordre.notifications import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request):
    paginator = Paginator(selectors.inbox_for(request.user), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "unread": selectors.unread_count(request.user)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    message = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.mark_read(actor=request.user, message=message)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(actor=request.user)
    return redirect("notifications:inbox")
