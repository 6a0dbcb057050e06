"""Getting and using API tokens, the account commands, and the self-contained API docs."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.conftest import PASSWORD
from tierdesk.accounts.models import ApiToken, Membership, Role, User

pytestmark = pytest.mark.django_db


def as_bearer(api_as, plaintext: str):
    api = api_as(None)
    api.headers["Authorization"] = f"Bearer {plaintext}"
    return api


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["code"] == code
    return body


# --- POST /auth/token -------------------------------------------------------------------------


def test_the_right_password_gives_a_token_that_works(api_as, customer):
    response = api_as(None).post(
        "/auth/token", {"username": "customer", "password": PASSWORD, "name": "laptop"}
    )

    assert response.status_code == 200, response.content
    plaintext = response.json()["token"]
    me = as_bearer(api_as, plaintext).get("/me")
    assert me.status_code == 200, me.content
    assert me.json()["username"] == "customer"
    assert me.json()["organization"] == "contoh"
    assert me.json()["role"] == Role.CUSTOMER
    assert ApiToken.objects.get(user=customer).name == "laptop"


def test_an_agents_token_shows_their_tiers(api_as, solo_agent):
    response = api_as(None).post("/auth/token", {"username": "solo", "password": PASSWORD})

    me = as_bearer(api_as, response.json()["token"]).get("/me")

    assert me.json()["tiers"] == [1, 2, 3]
    assert me.json()["organization"] is None


def test_a_wrong_password_is_refused_and_issues_nothing(api_as, customer):
    response = api_as(None).post("/auth/token", {"username": "customer", "password": "guess"})

    assert_error(response, 401, "invalid_credentials")
    assert "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(api_as, customer):
    wrong_password = api_as(None).post("/auth/token", {"username": "customer", "password": "x"})
    nobody = api_as(None).post("/auth/token", {"username": "nobody", "password": "x"})

    assert_error(nobody, 401, "invalid_credentials")
    assert nobody.json() == wrong_password.json()
    assert not ApiToken.objects.exists()


def test_an_inactive_person_gets_no_token(api_as, customer):
    User.objects.filter(pk=customer.pk).update(is_active=False)

    response = api_as(None).post("/auth/token", {"username": "customer", "password": PASSWORD})

    assert_error(response, 401, "invalid_credentials")
    assert not ApiToken.objects.exists()


def test_a_token_stops_working_when_its_person_is_deactivated(api_as, customer):
    api = api_as(customer)
    assert api.get("/me").status_code == 200

    User.objects.filter(pk=customer.pk).update(is_active=False)

    assert_error(api.get("/me"), 401, "not_authenticated")


def test_the_token_is_stored_only_as_its_sha256(api_as, customer):
    response = api_as(None).post("/auth/token", {"username": "customer", "password": PASSWORD})
    plaintext = response.json()["token"]

    stored = ApiToken.objects.get(user=customer)

    assert stored.key_hash != plaintext
    assert stored.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in {str(value) for value in ApiToken.objects.values().get().values()}


def test_each_sign_in_gets_its_own_token(api_as, customer):
    first = api_as(None).post("/auth/token", {"username": "customer", "password": PASSWORD})
    second = api_as(None).post("/auth/token", {"username": "customer", "password": PASSWORD})

    assert first.json()["token"] != second.json()["token"]
    assert ApiToken.objects.filter(user=customer).count() == 2
    assert as_bearer(api_as, first.json()["token"]).get("/me").status_code == 200


# --- tierdesk token ---------------------------------------------------------------------------


def test_the_token_command_prints_a_working_token(api_as, l1_agent):
    out = io.StringIO()

    call_command("token", "agent1", stdout=out)

    plaintext = out.getvalue().strip()
    me = as_bearer(api_as, plaintext).get("/me")
    assert me.status_code == 200, me.content
    assert me.json()["username"] == "agent1"
    stored = ApiToken.objects.get(user=l1_agent)
    assert stored.key_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert stored.expires_at is None


def test_the_token_command_can_make_a_token_that_expires(l1_agent):
    call_command("token", "agent1", "--days", "7", stdout=io.StringIO())

    expires_at = ApiToken.objects.get(user=l1_agent).expires_at
    assert timezone.now() + timedelta(days=6) < expires_at <= timezone.now() + timedelta(days=7)


@pytest.mark.parametrize("arguments", [["nobody"], ["agent1", "--days", "0"]])
def test_the_token_command_refuses_what_it_cannot_do(l1_agent, arguments):
    with pytest.raises(CommandError):
        call_command("token", *arguments, stdout=io.StringIO())

    assert not ApiToken.objects.exists()


# --- tierdesk createagent ---------------------------------------------------------------------


def test_createagent_places_the_agent_in_the_tiers_given(api_as, tiers):
    out = io.StringIO()

    with mock.patch("sys.stdin", io.StringIO("rina's long passphrase\n")):
        call_command(
            "createagent", "rina", "--tier", "1", "--tier", "2", "--password-stdin", stdout=out
        )

    rina = User.objects.get(username="rina")
    assert rina.role == Role.AGENT
    assert rina.check_password("rina's long passphrase")
    assert sorted(Membership.objects.filter(user=rina).values_list("tier__level", flat=True)) == [
        1,
        2,
    ]
    assert "rina" in out.getvalue()
    signed_in = api_as(None).post(
        "/auth/token", {"username": "rina", "password": "rina's long passphrase"}
    )
    assert as_bearer(api_as, signed_in.json()["token"]).get("/me").json()["tiers"] == [1, 2]


def test_createagent_refuses_an_unknown_tier_and_creates_nobody(tiers):
    with (
        mock.patch("sys.stdin", io.StringIO("rina's long passphrase\n")),
        pytest.raises(CommandError, match="L9"),
    ):
        call_command(
            "createagent",
            "rina",
            "--tier",
            "1",
            "--tier",
            "9",
            "--password-stdin",
            stdout=io.StringIO(),
        )

    assert not User.objects.filter(username="rina").exists()


def test_createagent_refuses_a_taken_username(l1_agent):
    with (
        mock.patch("sys.stdin", io.StringIO("another passphrase\n")),
        pytest.raises(CommandError),
    ):
        call_command(
            "createagent", "agent1", "--tier", "2", "--password-stdin", stdout=io.StringIO()
        )

    assert list(Membership.objects.filter(user=l1_agent).values_list("tier__level", flat=True)) == [
        1
    ]


# --- OpenAPI and the docs page ----------------------------------------------------------------


def test_the_openapi_document_lists_the_ticket_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    paths = response.json()["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/tickets/{ticket_id}/timeline",
        "/api/v1/tickets/{ticket_id}/messages",
        "/api/v1/tickets/{ticket_id}/escalate",
        "/api/v1/tickets/{ticket_id}/status",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/tickets"]
    assert "get" in paths["/api/v1/tickets"]


def test_the_docs_page_loads_nothing_from_another_host(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "cdn" not in html.lower()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any(reference.endswith(".js") for reference in references), html
    for reference in references:
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
    # What it references ships with tierdesk, so the page works without the internet.
    for reference in references:
        if reference.startswith("/static/"):
            assert finders.find(reference.removeprefix("/static/")), reference
