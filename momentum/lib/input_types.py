"""Field types for API input schemas, where pydantic's defaults are laxer than our contract.

    JsonBool       a boolean in a JSON body must be ``true`` or ``false``: pydantic's lax mode
                   takes ``"yes"``, ``"off"``, ``1`` or ``"0"`` too, so ``{"completed": "yes"}``
                   completed a lesson. Query strings stay lax (``?unread=true`` is text).
    EmailAddress   an email address, checked by Django's validator and refused in words
                   ("Enter a valid email address."), not with a regular expression.

``tests/test_api_input_types.py`` walks every operation's body and fails on a plain ``bool``.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator, Field, Strict
from pydantic_core import PydanticCustomError

JsonBool = Annotated[bool, Strict()]

INVALID_EMAIL = "Enter a valid email address."


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError("email", INVALID_EMAIL) from None
    return value


EmailAddress = Annotated[
    str, Field(min_length=3, max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_email)
]
