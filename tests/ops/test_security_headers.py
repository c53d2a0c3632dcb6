"""Security headers on public pages and the admin, and a clean `check --deploy` with the
production environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ops.middleware import SecurityHeadersMiddleware

ROOT = Path(__file__).resolve().parents[2]


def production_environment(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FAO_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="fao.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        FAO_VAR_DIR=str(tmp_path),
        FAO_MANIFEST_STATIC="false",
        FAO_LOG_FORMAT="plain",
    )
    return env


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_portal_headers(response) -> None:
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"], "no inline or foreign scripts"
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_anonymous_citizen_gets_security_headers_on_the_home_page(client):
    response = client.get(reverse("publicsite:home"), secure=True)
    assert response.status_code == 200
    assert_portal_headers(response)


@pytest.mark.django_db
def test_anonymous_visitor_gets_security_headers_on_the_admin_login(client):
    response = client.get(reverse("admin:login"), secure=True)
    assert response.status_code == 200
    assert_portal_headers(response)


def test_administrator_gets_security_headers_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:index"), secure=True)
    assert response.status_code == 200
    assert_portal_headers(response)


def test_admin_pages_load_no_inline_script_the_policy_would_block(admin_client):
    """The admin ships its scripts as files; an inline <script> would be blocked by CSP."""
    for url in (reverse("admin:index"), reverse("admin:auth_user_changelist")):
        html = admin_client.get(url, secure=True).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, opening


def nonce_view(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')


def plain_view(request):
    return HttpResponse("<p>no script</p>")


def test_script_nonce_is_in_the_policy_only_when_a_page_uses_it():
    middleware_with_nonce = SecurityHeadersMiddleware(nonce_view)
    request = RequestFactory().get("/")
    response = middleware_with_nonce(request)
    script_src = csp_directives(response)["script-src"]
    assert script_src == ["'self'", f"'nonce-{request.csp_nonce}'"]
    assert f'nonce="{request.csp_nonce}"' in response.content.decode()
    # Styles keep 'unsafe-inline': a nonce there would switch it off for the admin.
    assert not any(s.startswith("'nonce-") for s in csp_directives(response)["style-src"])

    response = SecurityHeadersMiddleware(plain_view)(RequestFactory().get("/"))
    assert csp_directives(response)["script-src"] == ["'self'"]


def test_check_deploy_reports_nothing_with_the_production_environment(tmp_path):
    completed = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues (0 silenced)." in completed.stdout


PRODUCTION_REQUESTS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="fao.example.gov.cn")
login = client.get("/admin/login/", secure=True)
plain = client.get("/admin/login/")
probe = client.get("/healthz")
print(json.dumps({
    "status": login.status_code,
    "hsts": login.get("Strict-Transport-Security"),
    "csp": login.get("Content-Security-Policy"),
    "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "probe_status": probe.status_code,
}))
"""


def test_production_run_sends_hsts_secure_cookies_and_redirects_to_https(tmp_path):
    env = production_environment(tmp_path) | {"DJANGO_SETTINGS_MODULE": "fao_portal.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in seen["csp"]
    assert seen["csrf_cookie_secure"]
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://fao.example.gov.cn/admin/login/"
    # The load balancer's plain-HTTP health probe is not redirected.
    assert seen["probe_status"] == 200
