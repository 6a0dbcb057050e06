"""What the API accepts and returns. Values are checked again, with translated messages,
by the actions; the types here document the contract in the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, StrictInt

from tierdesk.tickets.lifecycle import Status
from tierdesk.tickets.models import Channel, Level, Priority

StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
PriorityValue = Literal[tuple(Priority.values)]  # type: ignore[valid-type]
ChannelValue = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
LevelValue = Literal[tuple(Level.values)]  # type: ignore[valid-type]


class StrictSchema(Schema):
    model_config = {"extra": "forbid"}


class OutSchema(BaseModel):
    """What an endpoint returns: the serializers build it as plain data (dicts, lists, dates).

    A plain pydantic model rather than ninja's ``Schema``: a ``Schema`` wraps its input in a
    getter for Django objects (attributes, managers, files) at every nesting level, which was
    a fifth of the CPU of a page of 25 tickets; plain data needs none of it. Objects with
    attributes (a report's dataclasses) still validate (``from_attributes``)."""

    model_config = ConfigDict(from_attributes=True)


class ErrorOut(OutSchema):
    detail: str
    code: str
    field: str | None = None


class TokenIn(StrictSchema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="A label to recognise the token by.")


class TokenOut(OutSchema):
    token: str
    expires_at: datetime | None = None


class MeOut(OutSchema):
    username: str
    display_name: str
    email: str
    role: str
    organization: str | None
    language: str
    tiers: list[int]


class TeamOut(OutSchema):
    slug: str
    name: str


class TierOut(OutSchema):
    level: int
    code: str
    name: str
    handles_tickets: bool
    teams: list[TeamOut]


class TicketIn(StrictSchema):
    subject: str
    description: str
    priority: PriorityValue | None = None
    impact: LevelValue | None = None
    urgency: LevelValue | None = None
    category: str | None = Field(None, description="Category short name.")
    channel: ChannelValue | None = None
    organization: str | None = Field(None, description="Organization short name (agents only).")
    requester: str | None = Field(None, description="Requester's username (agents only).")


class HandoffOut(OutSchema):
    kind: str
    from_tier: int
    to_tier: int
    from_team: str | None
    to_team: str | None
    reason: str | None = None
    tried: list[str] = []
    findings: str | None = None
    instructions: str | None = None
    note: str | None = None
    by: str | None
    at: datetime


class SlaOut(OutSchema):
    policy: str | None
    policy_reason: str | None = Field(None, description='"organization" or "default".')
    first_response_due: datetime | None
    resolution_due: datetime | None = Field(None, description="Empty while paused.")
    tier_due: datetime | None
    paused: bool
    first_response_breached: bool
    resolution_breached: bool
    tier_breached: bool = False


class TicketOut(OutSchema):
    id: int
    number: str
    subject: str
    description: str
    status: StatusValue
    status_label: str
    allowed_statuses: list[str]
    priority: PriorityValue
    impact: str
    urgency: str
    channel: ChannelValue
    category: str | None
    tier: int
    tier_name: str
    team: str | None
    team_name: str | None
    assignee: str | None
    organization: str
    organization_name: str
    requester: str
    created_at: datetime
    updated_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolved_tier: int | None
    escalation_count: int
    sla: SlaOut


class TicketDetailOut(TicketOut):
    handoffs: list[HandoffOut]


class TicketPageOut(OutSchema):
    items: list[TicketOut]
    count: int = Field(
        description="Matching tickets, counted exactly up to 1,000; see count_is_exact."
    )
    count_is_exact: bool = Field(
        description="False when more than 1,000 tickets match: count then says 1,000."
    )
    page: int
    page_size: int


class EventOut(OutSchema):
    id: int
    type: str
    actor: str | None
    at: datetime
    body: str
    internal: bool
    data: dict[str, Any]


class MessageIn(StrictSchema):
    body: str
    internal: bool = False


class AssignIn(StrictSchema):
    assignee: str | None = Field(
        ..., description='Username, "me" to take the ticket, or null to release it.'
    )


class EscalateIn(StrictSchema):
    to_tier: StrictInt = Field(..., description="Level number of the receiving tier, e.g. 2.")
    team: str | None = None
    reason: str
    tried: list[str] = Field(..., description="The steps already tried, one per item.")
    findings: str


class DeescalateIn(StrictSchema):
    to_tier: StrictInt
    team: str | None = None
    instructions: str


class TransferIn(StrictSchema):
    team: str
    note: str


class StatusIn(StrictSchema):
    status: StatusValue
    note: str = ""


class ResolveIn(StrictSchema):
    resolution: str


class ReopenIn(StrictSchema):
    reason: str = ""


class PriorityIn(StrictSchema):
    priority: PriorityValue


class CategoryIn(StrictSchema):
    category: str | None


class OrganizationIn(StrictSchema):
    organization: str = Field(description="Short name of the organization.")
    requester: str | None = Field(
        None, description="Username of a person of that organization; default: keep."
    )
