"""The page that asks before an action that cannot be undone (remove, finalise): it says what will
happen to what, and its form posts the action with `confirm=<word>`. It needs no JavaScript: a
button or link leads here, and only this page's button acts."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from app.templating import templates


@dataclass(frozen=True)
class Confirmation:
    title: str  # the page's <title>
    question: str  # the heading, e.g. "Remove Dana Smith from Hepatitis C?"
    action: str  # where the form posts
    word: str  # the value of the form's `confirm` field the action checks
    button: str  # e.g. "Remove Dana Smith"
    cancel_url: str
    cancel_label: str = "Cancel"
    context: str = ""  # a line under the heading
    details: list[tuple[str, str]] = field(default_factory=list)  # label, value
    consequences: list[str] = field(default_factory=list)  # what happens, one paragraph each
    fields: dict[str, str] = field(default_factory=dict)  # more hidden fields of the form
    items: list[str] = field(default_factory=list)  # a numbered list shown whole (e.g. recommendations)


def confirmed(form, word: str) -> bool:
    return form.get("confirm") == word


def render_confirmation(request: Request, confirmation: Confirmation, *, error: str = "",
                        status_code: int = 200):
    context = {"confirmation": confirmation, "errors": {"confirm": error} if error else {}}
    return templates.TemplateResponse(request, "confirm.html", context, status_code=status_code)
