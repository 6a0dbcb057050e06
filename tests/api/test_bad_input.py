"""Bad input and refusals through the API: every error is JSON ``{"detail", "code"}`` with
the right status, never a 500, and a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tierdesk.accounts.actions import create_person, issue_api_token
from tierdesk.tickets.actions.assignment import assign_ticket
from tierdesk.tickets.actions.escalation import escalate_ticket
from tierdesk.tickets.actions.status import resolve_ticket, set_status
from tierdesk.tickets.models import Event, IdempotencyKey, Ticket, TierPeriod

pytestmark = pytest.mark.django_db

ESCALATION = {
    "to_tier": 2,
    "reason": "VPN gateway refuses the user's certificate",
    "tried": ["Reset the password", "Reinstalled the VPN client"],
    "findings": "Certificate expired yesterday",
}


def desk_state() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "tickets": list(Ticket.objects.order_by("pk").values()),
        "events": list(Event.objects.order_by("pk").values_list("pk", "kind")),
        "periods": list(TierPeriod.objects.order_by("pk").values()),
        "idempotency_keys": IdempotencyKey.objects.count(),
        "queued_tasks": DBTaskResult.objects.count(),
    }


def assert_error(response, status: int, code: str | None = None) -> dict:
    """A JSON error body ``{detail: str, code: str}`` with ``status`` (and ``code``)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert isinstance(body.get("detail"), str), body
    assert body["detail"], body
    assert isinstance(body.get("code"), str), body
    if code is not None:
        assert body["code"] == code, body
    return body


def named_fields(body: dict) -> set[str]:
    """The fields an error names, whether it came from the schema or from an action."""
    fields = {error["field"] for error in body.get("errors", [])}
    if body.get("field"):
        fields.add(body["field"])
    return fields


@pytest.fixture
def closed_ticket(held_ticket, l1_agent) -> Ticket:
    resolve_ticket(actor=l1_agent, ticket_id=held_ticket.pk, resolution="Certificate renewed.")
    set_status(actor=l1_agent, ticket_id=held_ticket.pk, status="closed")
    held_ticket.refresh_from_db()
    assert held_ticket.status == "closed"
    return held_ticket


@pytest.fixture
def ticket_held_at_l2(held_ticket, l1_agent, l2_agent) -> Ticket:
    escalate_ticket(actor=l1_agent, ticket_id=held_ticket.pk, **ESCALATION)
    assign_ticket(actor=l2_agent, ticket_id=held_ticket.pk, assignee="me")
    held_ticket.refresh_from_db()
    assert held_ticket.tier.level == 2
    assert held_ticket.assignee == l2_agent
    return held_ticket


# --- Bodies that are not what the endpoint reads -------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("{nope", id="garbage"),
        pytest.param('{"subject": "x",}', id="trailing-comma"),
        pytest.param(b"\xff\xfe\x00", id="not-utf8"),
        pytest.param("{" * 5000, id="unclosed"),
        pytest.param(
            "[" * 100_000 + "]" * 100_000,
            id="nested-too-deep",
        ),
    ],
)
def test_malformed_json_opening_a_ticket_is_a_400(api_as, customer, raw):
    before = desk_state()

    response = api_as(customer).post("/tickets", raw=raw)

    assert_error(response, 400, "malformed_json")
    assert desk_state() == before


def test_malformed_json_in_a_reply_is_a_400(api_as, customer, ticket):
    before = desk_state()

    response = api_as(customer).post(f"/tickets/{ticket.pk}/messages", raw='{"body": ')

    assert_error(response, 400, "malformed_json")
    assert desk_state() == before


def test_malformed_json_asking_for_a_token_is_a_400(api_as, customer):
    assert_error(api_as(None).post("/auth/token", raw="username=customer"), 400, "malformed_json")


@pytest.mark.parametrize("raw", ["[1, 2]", "null", '"a ticket"', "42"])
def test_json_that_is_not_an_object_is_invalid_input(api_as, customer, raw):
    before = desk_state()

    response = api_as(customer).post("/tickets", raw=raw)

    assert_error(response, 422, "invalid_input")
    assert desk_state() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/tickets", {"subject": 12345, "description": "VPN down"}, "subject"),
        ("/tickets/{id}/escalate", {**ESCALATION, "tried": "Reset the password"}, "tried"),
        ("/tickets/{id}/messages", {"body": "Checked the logs", "internal": ["yes"]}, "internal"),
    ],
    ids=["subject-as-number", "tried-as-string", "internal-as-list"],
)
def test_a_value_of_the_wrong_type_is_invalid_input_naming_the_field(
    api_as, l1_agent, ticket, path, body, field
):
    before = desk_state()

    response = api_as(l1_agent).post(path.format(id=ticket.pk), body)

    error = assert_error(response, 422, "invalid_input")
    assert isinstance(error["errors"], list)
    assert field in named_fields(error)
    assert field in error["detail"]
    assert desk_state() == before


def test_an_unknown_field_is_refused(api_as, customer):
    before = desk_state()

    response = api_as(customer).post(
        "/tickets", {"subject": "VPN down", "description": "Since 9am", "assignee": "agent1"}
    )

    error = assert_error(response, 422, "invalid_input")
    assert "assignee" in named_fields(error)
    assert desk_state() == before


def test_a_missing_required_field_is_refused(api_as, customer):
    before = desk_state()

    response = api_as(customer).post("/tickets", {"subject": "VPN down"})

    error = assert_error(response, 422, "invalid_input")
    assert "description" in named_fields(error)
    assert desk_state() == before


def test_a_huge_subject_is_refused_naming_the_subject(api_as, customer):
    before = desk_state()

    response = api_as(customer).post(
        "/tickets", {"subject": "VPN " * 2500, "description": "Since 9am"}
    )

    error = assert_error(response, 422, "invalid_input")
    assert "subject" in named_fields(error)
    assert desk_state() == before


def test_a_body_over_the_size_limit_is_a_413(api_as, customer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = desk_state()

    response = api_as(customer).post(
        "/tickets", {"subject": "VPN down", "description": "log line\n" * 500}
    )

    assert_error(response, 413, "too_large")
    assert desk_state() == before


def test_a_body_under_the_size_limit_is_accepted(api_as, customer, settings):
    """The limit refuses only what is over it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api_as(customer).post("/tickets", {"subject": "VPN down", "description": "9am"})

    assert response.status_code == 201, response.content


# --- Ticket ids that name no ticket --------------------------------------------------------


@pytest.mark.parametrize(
    "ticket_id", ["999999", "abc", "1.5", "-1", "0", str(2**63), str(2**64), "9" * 40]
)
@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("get", "/timeline"), ("post", "/messages")]
)
def test_an_id_that_names_no_ticket_is_a_404_or_422_never_a_500(
    api_as, customer, ticket, ticket_id, method, suffix
):
    before = desk_state()
    api = api_as(customer)
    path = f"/tickets/{ticket_id}{suffix}"

    response = api.get(path) if method == "get" else api.post(path, {"body": "Any news?"})

    assert response.status_code in (404, 422), response.content
    assert_error(response, response.status_code)
    if response.status_code == 404:
        assert response.json()["code"] == "ticket_not_found"
    else:
        assert response.json()["code"] == "invalid_input"
    assert desk_state() == before


@pytest.mark.parametrize(
    "params",
    [
        {"tier": "abc"},
        {"tier": str(2**64)},
        {"page": "0"},
        {"page_size": "1000"},
        {"ordering": "subject; DROP TABLE tickets_ticket"},
        {"status": "frozen"},
        {"q": "x" * 500},
    ],
)
def test_bad_list_filters_are_invalid_input(api_as, l1_agent, ticket, params):
    response = api_as(l1_agent).get("/tickets", params)

    error = assert_error(response, 422, "invalid_input")
    assert set(params) <= named_fields(error)


@pytest.mark.parametrize("text", ["²", "TD-²"])
def test_searching_for_a_superscript_digit_finds_nothing_instead_of_failing(
    api_as, l1_agent, ticket, text
):
    response = api_as(l1_agent).get("/tickets", {"q": text})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("who", "method", "path", "body"),
    [
        ("customer", "post", "/tickets", {"subject": "VPN\x00down", "description": "Since 9am"}),
        ("l1_agent", "get", "/tickets", {"q": "VPN\x00"}),
        (None, "post", "/auth/token", {"username": "agent1\x00", "password": "x"}),
    ],
    ids=["subject", "search", "username"],
)
def test_a_nul_character_is_refused_not_a_500(
    api_as, request, customer, l1_agent, ticket, who, method, path, body
):
    api = api_as(request.getfixturevalue(who) if who else None)
    before = desk_state()

    response = getattr(api, method)(path, body)

    # PostgreSQL cannot store NUL in text; refusing it everywhere keeps both databases alike.
    assert_error(response, 422, "invalid_input")
    assert desk_state() == before


# --- Other people's tickets and other people's powers ---------------------------------------


@pytest.mark.parametrize("suffix", ["", "/timeline"])
def test_a_customer_cannot_see_another_organizations_ticket(
    api_as, other_org_customer, ticket, suffix
):
    before = desk_state()
    api = api_as(other_org_customer)

    response = api.get(f"/tickets/{ticket.pk}{suffix}")

    body = assert_error(response, 404, "ticket_not_found")
    # The same answer as for a ticket that does not exist: existence does not leak.
    assert body == api.get(f"/tickets/{ticket.pk + 1000}{suffix}").json()
    assert desk_state() == before


def test_a_customer_cannot_reply_on_another_organizations_ticket(
    api_as, other_org_customer, ticket
):
    before = desk_state()

    response = api_as(other_org_customer).post(
        f"/tickets/{ticket.pk}/messages", {"body": "Is this mine?"}
    )

    assert_error(response, 404, "ticket_not_found")
    assert desk_state() == before


def test_another_organizations_ticket_is_not_in_a_customers_list(
    api_as, other_org_customer, ticket
):
    response = api_as(other_org_customer).get("/tickets")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_customer_cannot_write_an_internal_note(api_as, customer, ticket):
    before = desk_state()

    response = api_as(customer).post(
        f"/tickets/{ticket.pk}/messages", {"body": "Note to self", "internal": True}
    )

    assert_error(response, 403, "internal_not_allowed")
    assert desk_state() == before


# --- Who is calling --------------------------------------------------------------------------


def _with_token(api_as, token: str | None):
    api = api_as(None)
    if token is not None:
        api.headers["Authorization"] = f"Bearer {token}"
    return api


@pytest.mark.parametrize(
    "token",
    [None, "td_" + "x" * 43, "not-a-tierdesk-token", "td_" + "y" * 500],
    ids=["no-token", "wrong-token", "foreign-token", "overlong-token"],
)
def test_a_request_without_a_valid_token_is_a_401(api_as, ticket, token):
    before = desk_state()
    api = _with_token(api_as, token)

    for response in (
        api.get("/tickets"),
        api.get(f"/tickets/{ticket.pk}"),
        api.post("/tickets", {"subject": "VPN down", "description": "9am"}),
        api.post(f"/tickets/{ticket.pk}/messages", {"body": "Hello?"}),
    ):
        assert_error(response, 401, "not_authenticated")
    assert desk_state() == before


def test_an_expired_token_is_a_401(api_as, customer, ticket):
    _token, plaintext = issue_api_token(
        user=customer, name="old", expires_at=timezone.now() - timedelta(minutes=1)
    )
    before = desk_state()
    api = _with_token(api_as, plaintext)

    assert_error(api.get(f"/tickets/{ticket.pk}"), 401, "not_authenticated")
    assert_error(
        api.post(f"/tickets/{ticket.pk}/messages", {"body": "Hello?"}), 401, "not_authenticated"
    )
    assert desk_state() == before


def test_a_token_not_yet_expired_still_works(api_as, customer, ticket):
    _token, plaintext = issue_api_token(
        user=customer, name="fresh", expires_at=timezone.now() + timedelta(minutes=5)
    )

    assert _with_token(api_as, plaintext).get(f"/tickets/{ticket.pk}").status_code == 200


# --- Escalation refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"tried": []},
        {"tried": ["   ", ""]},
        {"reason": "   "},
        {"reason": ""},
        {"findings": ""},
        {"findings": " \n "},
    ],
    ids=[
        "no-steps",
        "blank-steps",
        "blank-reason",
        "empty-reason",
        "empty-findings",
        "blank-findings",
    ],
)
def test_an_incomplete_handoff_is_refused(api_as, l1_agent, held_ticket, change):
    before = desk_state()

    response = api_as(l1_agent).post(
        f"/tickets/{held_ticket.pk}/escalate", {**ESCALATION, **change}
    )

    body = assert_error(response, 422, "handoff_incomplete")
    assert body["field"] == next(iter(change))
    assert desk_state() == before


def test_escalating_to_the_same_tier_is_refused(api_as, l1_agent, held_ticket):
    before = desk_state()

    response = api_as(l1_agent).post(
        f"/tickets/{held_ticket.pk}/escalate", {**ESCALATION, "to_tier": 1}
    )

    body = assert_error(response, 422, "not_a_higher_tier")
    assert "L1" in body["detail"]
    assert desk_state() == before


def test_escalating_to_a_lower_tier_is_refused(api_as, l2_agent, ticket_held_at_l2):
    before = desk_state()

    response = api_as(l2_agent).post(
        f"/tickets/{ticket_held_at_l2.pk}/escalate", {**ESCALATION, "to_tier": 1}
    )

    body = assert_error(response, 422, "not_a_higher_tier")
    assert "L2" in body["detail"]
    assert desk_state() == before


def test_an_agent_who_does_not_hold_the_ticket_cannot_escalate_it(
    api_as, second_l1_agent, held_ticket
):
    before = desk_state()

    response = api_as(second_l1_agent).post(f"/tickets/{held_ticket.pk}/escalate", ESCALATION)

    assert_error(response, 403, "not_ticket_holder")
    assert desk_state() == before


def test_a_supervisor_may_escalate_a_ticket_someone_else_holds(api_as, supervisor, held_ticket):
    response = api_as(supervisor).post(f"/tickets/{held_ticket.pk}/escalate", ESCALATION)

    assert response.status_code == 200, response.content
    moved = response.json()
    assert moved["tier"] == 2
    assert moved["assignee"] is None
    assert moved["handoffs"][0]["by"] == "lead"
    assert moved["handoffs"][0]["tried"] == ESCALATION["tried"]


def test_a_customer_cannot_escalate(api_as, customer, ticket):
    before = desk_state()

    response = api_as(customer).post(f"/tickets/{ticket.pk}/escalate", ESCALATION)

    assert_error(response, 403, "staff_only")
    assert desk_state() == before


# --- The lifecycle ------------------------------------------------------------------------------


def test_a_new_ticket_cannot_be_closed_directly(api_as, l1_agent, ticket):
    before = desk_state()

    response = api_as(l1_agent).post(f"/tickets/{ticket.pk}/status", {"status": "closed"})

    body = assert_error(response, 409, "transition_not_allowed")
    assert "New" in body["detail"]
    for allowed in ("Open", "Waiting on customer", "On hold", "Resolved"):
        assert allowed in body["detail"]
    assert desk_state() == before


def test_a_closed_ticket_cannot_be_opened_again(api_as, l1_agent, closed_ticket):
    before = desk_state()

    response = api_as(l1_agent).post(f"/tickets/{closed_ticket.pk}/status", {"status": "open"})

    body = assert_error(response, 409, "transition_not_allowed")
    assert "Closed" in body["detail"]
    assert desk_state() == before


def test_a_customer_cannot_reopen_a_closed_ticket(api_as, customer, closed_ticket):
    before = desk_state()

    response = api_as(customer).post(f"/tickets/{closed_ticket.pk}/reopen", {"reason": "Again"})

    assert_error(response, 409, "transition_not_allowed")
    assert desk_state() == before


def test_a_reply_on_a_closed_ticket_is_refused(api_as, customer, closed_ticket):
    before = desk_state()

    response = api_as(customer).post(
        f"/tickets/{closed_ticket.pk}/messages", {"body": "It broke again"}
    )

    assert_error(response, 409, "ticket_closed")
    assert desk_state() == before


def test_an_unknown_status_is_invalid_input(api_as, l1_agent, ticket):
    before = desk_state()

    response = api_as(l1_agent).post(f"/tickets/{ticket.pk}/status", {"status": "done"})

    error = assert_error(response, 422, "invalid_input")
    assert "status" in named_fields(error)
    assert desk_state() == before


# --- Language ------------------------------------------------------------------------------------


def test_an_error_follows_accept_language_when_the_profile_names_no_language(api_as, organization):
    person = create_person(
        username="nolang",
        email="nolang@contoh.test",
        password="correct horse battery staple",
        organization=organization,
        language="",
    )
    api = api_as(person)

    english = assert_error(api.get("/tickets/999999", **{"Accept-Language": "en"}), 404)
    indonesian = assert_error(api.get("/tickets/999999", **{"Accept-Language": "id"}), 404)

    assert english["detail"] == "Ticket not found."
    assert indonesian["code"] == english["code"] == "ticket_not_found"
    assert indonesian["detail"] != english["detail"]
