"""Types shared by every domain: UserError, PageInfo, DeletePayload, scalars."""

from __future__ import annotations

import strawberry

from server.errors import DomainError

JSON = strawberry.scalars.JSON


@strawberry.type(description="Bad input or a refused action, with the path of the input at fault.")
class UserError:
    field: list[str] = strawberry.field(
        description="Path to the input field at fault, e.g. ['input', 'organisation', 'kvkNumber']."
    )
    code: str = strawberry.field(
        description="Stable machine code, e.g. INVALID_BSN, NOT_FOUND, FORBIDDEN, CONFLICT, CYCLE."
    )
    message: str

    @classmethod
    def of(cls, error: DomainError) -> UserError:
        return cls(field=list(error.field), code=error.code, message=error.message)


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = None


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
