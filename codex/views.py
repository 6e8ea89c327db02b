"""Pages of the codex of trust. Thin: parse, authorise, call one service, message, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .diff import has_changes, side_by_side
from .errors import CodexError
from .fingerprint import text_lines
from .formatting import marked_rows
from .forms import PublishForm, RegisterFilterForm, SignForm
from .models import CodexVersion, SignatureEvent

REGISTER_PAGE_SIZE = 50


def _is_administrator(user) -> bool:
    return user.is_authenticated and user.roles.is_administrator


def _require_administrator(request):
    if not _is_administrator(request.user):
        raise PermissionDenied


def _version_for(request, number: int) -> CodexVersion:
    """A version with its text; drafts only for administrators (a preview)."""
    version = CodexVersion.objects.with_text().filter(number=number).first()
    if version is None or (not version.is_published and not _is_administrator(request.user)):
        raise Http404
    return version


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def codex_detail(request):
    version = selectors.current_version()
    if version is not None:
        version = CodexVersion.objects.with_text().get(pk=version.pk)
    user = request.user
    context = {
        "version": version,
        "must_sign": selectors.must_sign(user, version),
        "signature": selectors.active_signature(user, version),
        "can_sign": selectors.can_sign(user),
        "mirror": selectors.mirror_summary(),
        "earlier": CodexVersion.objects.published().exclude(pk=getattr(version, "pk", None)).order_by("-number"),
    }
    return render(request, "codex/codex_detail.html", context)


def register_detail(request):
    """The public register. Its counts and list aggregate over everyone, so the part below the heading is kept in
    the cache per query string (see :func:`selectors.register_cache_key`: a signature or a change of people is a
    new key at once)."""
    version = selectors.current_version()
    if version is None:
        return render(request, "codex/register_detail.html", {"version": None})
    key, counts_key = selectors.register_cache_keys(version, request.GET.urlencode())
    register = cache.get(key)
    if register is None:
        # Rendered (escaped) HTML, a SafeString: the cache keeps its type, so it is not escaped a second time.
        register = render_to_string("codex/_register.html", _register_context(request, version, counts_key))
        cache.set(key, register, selectors.REGISTER_CACHE_SECONDS)
    return render(request, "codex/register_detail.html", {"version": version, "register": register})


def _register_context(request, version: CodexVersion, counts_key: str) -> dict:
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("vis") or selectors.REGISTER_SIGNED
    people = selectors.register_people(
        version, status=status, role=filters.get("gruppe", ""), text=filters.get("q", "")
    )
    page = Paginator(people, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.register_entries(version, list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "version": version,
        "counts": selectors.register_counts_kept(version, counts_key),
        "form": form,
        "status": status,
        "page": page,
        "query": query.urlencode(),
    }


def version_list(request):
    versions = CodexVersion.objects.order_by("-number")
    if not _is_administrator(request.user):
        versions = versions.published()
    current = selectors.current_version()
    return render(request, "codex/version_list.html", {"versions": versions, "current": current})


def version_detail(request, number):
    version = _version_for(request, number)
    previous = selectors.previous_published(version)
    return render(request, "codex/version_detail.html", {"version": version, "previous": previous})


def version_diff(request, number):
    version = _version_for(request, number)
    previous = selectors.previous_published(version)
    if previous is None:
        raise Http404
    previous = CodexVersion.objects.with_text().get(pk=previous.pk)
    heading = _("Our values")
    rows = side_by_side(
        text_lines(previous.text(), values_heading=heading), text_lines(version.text(), values_heading=heading)
    )
    return render(
        request,
        "codex/version_diff.html",
        {"version": version, "previous": previous, "rows": marked_rows(rows), "changed": has_changes(rows)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_publish(request, number):
    _require_administrator(request)
    version = _version_for(request, number)
    if version.is_published:
        messages.info(request, _("This version is already published."))
        return redirect(version)
    first = not CodexVersion.objects.published().exists()
    form = PublishForm(request.POST or None, first=first)
    if request.method == "POST" and form.is_valid():
        try:
            services.codex_version_publish(
                version=version,
                actor=request.user,
                change_kind=form.cleaned_data["change_kind"] or CodexVersion.ChangeKind.MATERIAL,
                published_on=form.cleaned_data["published_on"],
            )
        except CodexError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
            return redirect(version)
    # The dates on the page follow the publication date typed in, even while another field still needs fixing
    # (cleaned_data holds the fields that validated; the form was validated above on a POST).
    published_on = form.cleaned_data.get("published_on") if form.is_bound else None
    context = {
        "version": version,
        "form": form,
        "first": first,
        "sign_again": selectors.sign_again_counts(version, published_on=published_on),
    }
    return render(request, "codex/version_publish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def signature_create(request):
    version = selectors.current_version()
    if version is not None:
        version = CodexVersion.objects.with_text().get(pk=version.pk)
    next_url = _safe_next(request)
    form = SignForm(request.POST or None)
    if request.method == "POST" and version is not None and form.is_valid():
        try:
            services.codex_sign(
                person=request.user,
                version=version,
                typed_name=form.cleaned_data["typed_name"],
                has_read=form.cleaned_data["has_read"],
            )
        except CodexError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Thank you. You have signed version %(number)s of the codex.") % {"number": version.number}
            )
            return redirect(next_url or "codex:register-detail")
    context = {
        "version": version,
        "form": form,
        "next": next_url,
        "own_signature": selectors.own_signature(request.user, version) if version else None,
        "signature": selectors.active_signature(request.user, version),
        "can_sign": selectors.can_sign(request.user),
        "must_sign": selectors.must_sign(request.user, version),
    }
    return render(request, "codex/signature_create.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def signature_withdraw(request, pk):
    # Only the signer sees this page; for anyone else the signature is not there to withdraw.
    signature = get_object_or_404(
        SignatureEvent.objects.select_related("version"), pk=pk, person=request.user, kind=SignatureEvent.Kind.SIGN
    )
    withdrawn = SignatureEvent.objects.filter(withdraws=signature).exists()
    if request.method == "POST":
        try:
            services.codex_signature_withdraw(signature=signature, actor=request.user)
        except CodexError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your signature is withdrawn. The register keeps a record of it."))
        return redirect("codex:codex-detail")
    return render(request, "codex/signature_withdraw.html", {"signature": signature, "withdrawn": withdrawn})


def signature_verify(request, pk):
    event = get_object_or_404(SignatureEvent.objects.select_related("person", "version", "withdraws"), pk=pk)
    check = selectors.signature_check(event)
    withdrawal = SignatureEvent.objects.filter(withdraws=event).first()
    return render(request, "codex/signature_verify.html", {"check": check, "event": event, "withdrawal": withdrawal})


@login_required
def chain_verify(request):
    _require_administrator(request)
    report = selectors.signature_log_report()
    return render(request, "codex/chain_verify.html", {"problems": report.problems, "entries": report.checked})
