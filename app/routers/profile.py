"""A user's own profile: page and API."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from app.deps import CurrentUser, SessionDep
from app.errors import InvalidInput
from app.services import accounts
from app.templating import flash, templates

router = APIRouter()
US_ZONES = [
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
]


def timezone_choices() -> list[str]:
    return US_ZONES + sorted(available_timezones() - set(US_ZONES) - {"localtime", "Factory"})


class ProfileOut(BaseModel):
    id: int
    email: str
    full_name: str
    degree: str
    profession: str
    timezone: str
    is_admin: bool
    is_cme_office: bool


class ProfileIn(BaseModel):
    full_name: str = Field(max_length=200)
    degree: str = Field(default="", max_length=40)
    profession: str = Field(default="", max_length=80)
    timezone: str = Field(default="America/New_York", max_length=64)


@router.get("/api/v1/users/me", tags=["api"])
def me(user: CurrentUser) -> ProfileOut:
    return ProfileOut.model_validate(user, from_attributes=True)


@router.put("/api/v1/users/me", tags=["api"])
def update_me(body: ProfileIn, db: SessionDep, user: CurrentUser) -> ProfileOut:
    accounts.update_profile(db, user, accounts.ProfileForm(**body.model_dump()), actor=user)
    db.commit()
    return ProfileOut.model_validate(user, from_attributes=True)


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, user: CurrentUser):
    form = accounts.ProfileForm(user.full_name, user.degree, user.profession, user.timezone)
    return _render(request, form, {})


def _render(request: Request, form: accounts.ProfileForm, errors: dict, status_code: int = 200):
    context = {"form": form, "errors": errors, "zones": timezone_choices()}
    return templates.TemplateResponse(request, "profile/edit.html", context, status_code=status_code)


@router.post("/profile", response_class=HTMLResponse)
def update_profile(
    request: Request, db: SessionDep, user: CurrentUser,
    full_name: Annotated[str, Form(max_length=400)] = "", timezone: Annotated[str, Form(max_length=64)] = "",
    degree: Annotated[str, Form(max_length=200)] = "", profession: Annotated[str, Form(max_length=200)] = "",
):
    form = accounts.ProfileForm(full_name, degree, profession, timezone)
    try:
        accounts.update_profile(db, user, form, actor=user)
    except InvalidInput as exc:
        return _render(request, form, exc.fields, status_code=422)
    db.commit()
    flash(request, "Your profile is saved.", "success")
    return RedirectResponse("/profile", status_code=303)
