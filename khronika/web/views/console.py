"""The analyst console under `/console`: login, search, and editing people, events, sources.

Every page needs a session (`khronika.web.auth`); every form carries the session's CSRF
token and, when it edits a record, the version it started from (`khronika.web.editing`).
The console is the team's view: it shows everything, so nothing here is public.

Pages are plain `def` (FastAPI runs them in its thread pool): each reads the database, if
only for its session. Handlers of forms are async only to read the form; what they check,
hash (passwords: argon2id) and write runs in a worker thread (`run_in_threadpool`).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from khronika import accounts, settings
from khronika.errors import ImportRejected, KhronikaError
from khronika.media.reports import person_mentions
from khronika.model.events import EVENT_KINDS, RELEASE_BASES
from khronika.registry import get_person, search_people
from khronika.review import judge, list_queue
from khronika.storage.reads import current_rows, recent_events
from khronika.storage.rows import content_from_row, tx_from_row
from khronika.web import auth, i18n
from khronika.web.editing import (
    EVENT_FIELDS,
    EditConflict,
    Expected,
    current_record,
    event_from_form,
    names_to_text,
    new_id,
    person_from_form,
    retract_with_check,
    save_records,
    source_from_form,
    store_photo,
    store_source_file,
)
from khronika.web.labels import label
from khronika.web.render import lang_of
from khronika.web.routing import Route

__all__ = [
    "EVENT",
    "PERSON",
    "ROUTES",
    "SOURCE",
    "EditorSpec",
    "editor_page",
    "editor_save",
    "message_page",
    "not_found_page",
    "render_console",
    "require_session",
]

SENTENCE_TYPES = ("colony", "prison", "restricted_freedom", "house_arrest", "fine", "other")


def render_console(
    request: Request, template: str, *, session: auth.Session | None, status: int = 200, **ctx: Any
) -> HTMLResponse:
    """Render a console page (never cached: it shows what the team sees)."""
    lang = lang_of(request)
    i18n.use_lang(lang)
    env = request.app.state.templates
    html = env.get_template(template).render(
        request=request,
        lang=lang,
        lang_url=lambda code: f"/{code}{request.url.path}",
        u=lambda path, **q: f"/{lang}{path}",
        synthetic=request.app.state.catalogue.peek().synthetic,
        user=session.username if session else None,
        role=session.role if session else None,
        can_edit=bool(session and session.can("editor")),
        csrf=session.csrf if session else ctx.pop("login_csrf", ""),
        json_url="/api/v1/meta",
        label=label,
        **ctx,
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def message_page(
    request: Request,
    session: auth.Session | None,
    status: int,
    message: str,
    *,
    back: str | None = None,
) -> HTMLResponse:
    """A console page that says one thing went wrong (and where to go back to)."""
    return render_console(
        request, "console/message.html", session=session, status=status, message=message, back=back
    )


def _to_login(request: Request) -> Response:
    return RedirectResponse(f"/{lang_of(request)}/console/login", status_code=303)


View = Callable[[Request, auth.Session], Response]


def require_session(view: View) -> Callable[[Request], Response]:
    """Give a console page its session, or send the visitor to the login page (a plain
    `def` page: the session and the page are read in a worker thread)."""

    def page(request: Request) -> Response:
        session = auth.current_session(request)
        if session is None:
            return _to_login(request)
        return view(request, session)

    # Not functools.wraps: the router reads the signature, which must stay (request) only.
    page.__name__, page.__qualname__, page.__doc__ = view.__name__, view.__qualname__, view.__doc__
    return page


async def _posted(
    request: Request, need: str = "editor"
) -> tuple[auth.Session, dict[str, Any]] | Response:
    """Return the session and the POSTed form, or the response when the form cannot be
    taken: to the login page without a session, 403 when its CSRF token is not the
    session's or the session's role is below `need` (every form writes, unless said)."""
    session = await run_in_threadpool(auth.current_session, request)
    if session is None:
        return _to_login(request)
    form = await request.form()
    data: dict[str, Any] = {k: form.get(k) for k in form}
    # The refusals are rendered in a worker thread, like every console page (their header
    # reads the catalogue, whose change check may be due).
    if data.get("csrf") != session.csrf:
        return await run_in_threadpool(_csrf_failed, request, session)
    if not session.can(need):
        message = i18n.gettext("Your account can read but not change records.")
        return await run_in_threadpool(message_page, request, session, 403, message)
    return session, data


def _form_handler(
    work: Callable[[Request, auth.Session, dict[str, Any]], Response], doc: str
) -> Callable[[Request], Awaitable[Response]]:
    """The handler of a console form that `work` answers (in a worker thread) once the
    post is checked (`_posted`: session, CSRF token, role); `doc` is its docstring."""

    async def handler(request: Request) -> Response:
        posted = await _posted(request)
        if isinstance(posted, Response):
            return posted
        return await run_in_threadpool(work, request, *posted)

    handler.__doc__ = doc
    return handler


def not_found_page(request: Request, session: auth.Session) -> HTMLResponse:
    """The console's 404 page."""
    return message_page(request, session, 404, i18n.gettext("Not found"))


def _csrf_failed(request: Request, session: auth.Session | None) -> HTMLResponse:
    return message_page(
        request,
        session,
        403,
        i18n.gettext("The form expired or came from elsewhere. Open it again."),
    )


@dataclass(frozen=True, slots=True)
class _Edit:
    """A POSTed edit form: who sent it, the record it edits (None when new) and what was
    typed."""

    session: auth.Session
    form: dict[str, Any]
    #: The record's id (a new one when the form creates it).
    rid: str
    before: dict[str, Any] | None
    #: The version the editor saw (`recorded`), None when new.
    version: str | None
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class EditorSpec:
    """How the console edits one record type: the page, its form, and where the id is.

    The page and the shared parts of its form (the record, the values typed, the version it
    started from, errors and conflicts) are the same for every type; a spec says the rest.
    """

    rtype: str
    template: str
    #: The path parameter with the record's id (`new` creates one).
    param: str
    #: The first letter(s) of a new record's id.
    prefix: str
    #: The form's values for a stored record.
    values: Callable[[dict[str, Any]], dict[str, Any]]
    #: The form's values for a new record (from the query string).
    new_values: Callable[[Request], dict[str, Any]] = lambda _request: {}
    #: What the template needs besides the shared parts.
    context: Callable[[Request, dict[str, Any] | None], dict[str, Any]] = lambda _r, _rec: {}


def _editor_form(
    spec: EditorSpec,
    request: Request,
    session: auth.Session,
    *,
    record: dict[str, Any] | None,
    values: dict[str, Any],
    version: str,
    errors: list[str] | None = None,
    conflict: EditConflict | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render_console(
        request,
        spec.template,
        session=session,
        status=status,
        record=record,
        values=values,
        version=version,
        errors=errors or [],
        conflict=conflict,
        saved=request.query_params.get("saved"),
        **spec.context(request, record),
    )


def editor_page(spec: EditorSpec) -> Callable[[Request], Response]:
    """The console page that edits a record of `spec`'s type (or creates one at `new`)."""

    @require_session
    def page(request: Request, session: auth.Session) -> Response:
        rid = request.path_params[spec.param]
        if rid == "new":
            values = spec.new_values(request)
            return _editor_form(spec, request, session, record=None, values=values, version="")
        record = current_record(request.app.state.db, spec.rtype, rid)
        if record is None:
            return not_found_page(request, session)
        return _editor_form(
            spec,
            request,
            session,
            record=record,
            values=spec.values(record),
            version=record["version"],
        )

    page.__doc__ = f"Edit a {spec.rtype} (or create one at `new`)."
    return page


def _form_again(spec: EditorSpec, request: Request, edit: _Edit, error: Exception) -> HTMLResponse:
    """Show an edit form again after a failed save: 409 with the other editor's version on a
    conflict (nothing was written), else 400 with the problems found."""
    conflict = error if isinstance(error, EditConflict) else None
    if conflict is not None:
        version, errors, status = (conflict.current or {}).get("recorded", ""), [], 409
    else:
        version = edit.version or ""
        errors = error.problems if isinstance(error, ImportRejected) else [str(error)]
        status = 400
    return _editor_form(
        spec,
        request,
        edit.session,
        record=edit.before,
        values=edit.values,
        version=version,
        errors=errors,
        conflict=conflict,
        status=status,
    )


async def _edit_of(request: Request, spec: EditorSpec) -> _Edit | Response:
    """Read an edit form of `spec`'s type, or the response when it cannot be taken: not
    logged in, or a form whose CSRF token is not the session's."""
    posted = await _posted(request)
    if isinstance(posted, Response):
        return posted
    session, form = posted
    rid = request.path_params[spec.param]
    creating = rid == "new"
    before = None
    if not creating:
        before = await run_in_threadpool(current_record, request.app.state.db, spec.rtype, rid)
    return _Edit(
        session=session,
        form=form,
        rid=new_id(spec.prefix) if creating else rid,
        before=before,
        version=str(form.get("version") or "") or None,
        values={k: v for k, v in form.items() if isinstance(v, str)},
    )


#: What an editor's form saves: the records (the one edited last) and the versions expected.
_Records = tuple[list[dict[str, Any]], list[Expected]]


async def _uploaded(form: dict[str, Any], key: str) -> tuple[bytes, str | None] | None:
    """Return the bytes and file name uploaded in the form's `key` field (None: no file)."""
    upload = form.get(key)
    if upload is None or not hasattr(upload, "read"):
        return None
    data = await upload.read()
    return (data, upload.filename) if data else None


def editor_save(
    spec: EditorSpec,
    records: Callable[[Request, _Edit], Awaitable[_Records]],
    *,
    then: tuple[str, str],
) -> Callable[[Request], Awaitable[Response]]:
    """The handler that saves an edit form of `spec`'s type.

    `records` builds what to write from the form; they are written in one write if every
    expected version is still current, and the editor goes on to the console page `then`
    names: a section and the key of the record edited (last) that it is at, `("people",
    "person")` for `people/p1`. A conflict or an invalid form shows the form again
    (`_form_again`), with nothing written.
    """

    async def save(request: Request) -> Response:
        edit = await _edit_of(request, spec)
        if isinstance(edit, Response):
            return edit
        try:
            written, expected = await records(request, edit)
        except _REFUSED as e:
            return await run_in_threadpool(_form_again, spec, request, edit, e)
        return await run_in_threadpool(_write, spec, request, edit, (written, expected), then)

    save.__doc__ = f"Save a {spec.rtype}'s edit form (new, or a new version of one)."
    return save


#: What makes an edit form come back (nothing written): see `_form_again`.
_REFUSED = (EditConflict, ValueError, ImportRejected)


def _write(
    spec: EditorSpec, request: Request, edit: _Edit, records: _Records, then: tuple[str, str]
) -> Response:
    """Write an edit form's records in one write and go on to the page `then` names, or
    show the form again (in a worker thread: it writes, or reads the form's context)."""
    written, expected = records
    try:
        save_records(request.app.state.db, written, expected, by=edit.session.username)
    except _REFUSED as e:
        return _form_again(spec, request, edit, e)
    request.app.state.catalogue.invalidate()
    section, key = then
    page = f"{section}/{quote(written[-1][key])}"
    return RedirectResponse(f"/{lang_of(request)}/console/{page}?saved=1", 303)


# ---- login -----------------------------------------------------------------------------


def login_form(request: Request) -> Response:
    """The login form (sets the pre-login CSRF cookie)."""
    token = request.cookies.get(auth.LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    resp = render_console(request, "console/login.html", session=None, login_csrf=token, error=None)
    _set_cookie(resp, auth.LOGIN_CSRF_COOKIE, token, max_age=3600)
    return resp


async def login_submit(request: Request) -> Response:
    """Check the password; start a session."""
    form = await request.form()
    cookie = request.cookies.get(auth.LOGIN_CSRF_COOKIE)
    if not cookie or form.get("csrf") != cookie:
        return await run_in_threadpool(_csrf_failed, request, None)
    try:
        # argon2id takes tens of milliseconds of CPU, on purpose: in a worker thread.
        token, _session = await run_in_threadpool(
            accounts.login,
            request.app.state.db,
            str(form.get("username") or ""),
            str(form.get("password") or ""),
            address=auth.client_address(request),
            code=str(form.get("code") or ""),
        )
    except accounts.LoginRefused as e:
        return await run_in_threadpool(
            render_console,
            request,
            "console/login.html",
            session=None,
            status=429 if e.wait_minutes else 401,
            login_csrf=cookie,
            error=_refusal_text(e),
        )
    resp = RedirectResponse(f"/{lang_of(request)}/console", status_code=303)
    hours = float(settings.get("KHRONIKA_SESSION_HOURS"))
    _set_cookie(resp, auth.SESSION_COOKIE, token, max_age=int(hours * 3600))
    return resp


def _set_cookie(resp: Response, name: str, value: str, *, max_age: int) -> None:
    resp.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=bool(settings.get("KHRONIKA_WEB_SECURE_COOKIES")),
    )


def _refusal_text(e: accounts.LoginRefused) -> str:
    """A refused login's message in the page's language."""
    if e.wait_minutes:
        return i18n.ngettext(
            "Too many failed logins. Try again in %(n)d minute.",
            "Too many failed logins. Try again in %(n)d minutes.",
            e.wait_minutes,
        ) % {"n": e.wait_minutes}
    return {
        "code_needed": i18n.gettext("Enter the code from your authenticator app."),
        "code_wrong": i18n.gettext("Wrong or already used code."),
    }.get(e.reason) or i18n.gettext("Wrong name or password.")


async def logout(request: Request) -> Response:
    """End the session."""
    posted = await _posted(request, need="viewer")
    if isinstance(posted, Response):
        return posted
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    await run_in_threadpool(
        accounts.end_session, request.app.state.db, cookie, address=auth.client_address(request)
    )
    resp = _to_login(request)
    resp.delete_cookie(auth.SESSION_COOKIE, path="/")
    return resp


async def logout_everywhere(request: Request) -> Response:
    """End every session of this account (a lost laptop, a shared computer)."""
    posted = await _posted(request, need="viewer")
    if isinstance(posted, Response):
        return posted
    session, _form = posted
    await run_in_threadpool(
        accounts.end_all_sessions, request.app.state.db, session.username, by=session.username
    )
    resp = _to_login(request)
    resp.delete_cookie(auth.SESSION_COOKIE, path="/")
    return resp


# ---- index -----------------------------------------------------------------------------


@require_session
def index(request: Request, session: auth.Session) -> Response:
    """Search everyone (every visibility) and see what was recorded lately."""
    db = request.app.state.db
    q = (request.query_params.get("q") or "").strip()
    found = search_people(db, q, limit=100) if q else []
    with db.connect() as conn:
        recent = [
            content_from_row("event", r) | tx_from_row(r) for r in recent_events(conn, limit=20)
        ]
    return render_console(
        request, "console/index.html", session=session, q=q, found=found, recent=recent
    )


# ---- people ----------------------------------------------------------------------------


def _person_values(record: dict[str, Any]) -> dict[str, Any]:
    story = record.get("story") or {}
    return {
        "names": names_to_text(record["names"]),
        "sex": record.get("sex"),
        "birth_date": record.get("birth_date"),
        "region": record.get("region"),
        "visibility": record.get("visibility"),
        "notes": record.get("notes"),
        **{f"story_{k}": v for k, v in story.items()},
    }


def _person_context(request: Request, record: dict[str, Any] | None) -> dict[str, Any]:
    if record is None:
        return {"events": [], "appearances": []}
    db = request.app.state.db
    return {
        "events": get_person(db, record["id"]).events,
        "appearances": person_mentions(db, record["id"]),
    }


PERSON = EditorSpec(
    "person", "console/person.html", "person_id", "p", _person_values, context=_person_context
)
person_page = editor_page(PERSON)


async def _person_records(request: Request, edit: _Edit) -> _Records:
    """The person typed in the form, with the photo uploaded (else the one it had)."""
    photo = (edit.before or {}).get("photo")
    upload = await _uploaded(edit.form, "photo")
    if upload is not None:
        data_dir = request.app.state.data_dir
        photo = await run_in_threadpool(store_photo, upload[0], data_dir=data_dir)
    record = person_from_form(edit.form, pid=edit.rid, photo=photo)
    return [record], [Expected("person", edit.rid, edit.version)]


person_save = editor_save(PERSON, _person_records, then=("people", "id"))


# ---- events ----------------------------------------------------------------------------


def _event_values(record: dict[str, Any]) -> dict[str, Any]:
    details = dict(record.get("details") or {})
    if isinstance(details.get("articles"), list):
        details["articles"] = ", ".join(details["articles"])
    return {
        "person": record["person"],
        "kind": record["kind"],
        "date": record["date"],
        "seq": record.get("seq"),
        "by": record.get("by"),
        "sources": ", ".join(record.get("sources", [])),
        **{k: v for k, v in details.items() if isinstance(v, str | int)},
        # After the details: a free detail key named `visibility` must not stand in for it.
        "visibility": record.get("visibility") or "",
    }


def _event_context(request: Request, record: dict[str, Any] | None) -> dict[str, Any]:
    with request.app.state.db.connect() as conn:
        orgs = sorted((r.id, r.name) for r in current_rows(conn, "organisation"))
        facilities = sorted((r.id, r.name) for r in current_rows(conn, "facility"))
    return {
        "kinds": list(EVENT_KINDS),
        "bases": RELEASE_BASES,
        "sentence_types": SENTENCE_TYPES,
        "fields": EVENT_FIELDS,
        "orgs": orgs,
        "facilities": facilities,
    }


EVENT = EditorSpec(
    "event",
    "console/event.html",
    "event_id",
    "e",
    _event_values,
    new_values=lambda request: {"person": request.query_params.get("person", "")},
    context=_event_context,
)
event_page = editor_page(EVENT)


async def _event_records(request: Request, edit: _Edit) -> _Records:
    """The event typed in the form, and the new source it cites when one was typed."""
    record = event_from_form(edit.form, eid=edit.rid, before=edit.before)
    records: list[dict[str, Any]] = []
    expected = [Expected("event", edit.rid, edit.version)]
    sid = new_id("s")
    source = source_from_form(edit.form, sid=sid, prefix="new_source_")
    if source is not None:
        records.append(source)
        record["sources"] = sorted({*record.get("sources", []), sid})
        expected.append(Expected("source", sid, None))
    records.append(record)
    return records, expected


event_save = editor_save(EVENT, _event_records, then=("people", "person"))


def _retract(request: Request, session: auth.Session, form: dict[str, Any]) -> Response:
    """Retract the event of a checked form, or say why not (in a worker thread)."""
    db, eid = request.app.state.db, request.path_params["event_id"]
    reason = str(form.get("reason") or "").strip()
    before = current_record(db, "event", eid)
    person = (before or {}).get("person") or str(form.get("person") or "")
    message = None
    status = 200
    if not reason:
        message, status = i18n.gettext("A retraction needs a reason."), 400
    else:
        try:
            retract_with_check(
                db, eid, str(form.get("version") or ""), reason=reason, by=session.username
            )
        except EditConflict as e:
            message, status = str(e), 409
    if message is None:
        request.app.state.catalogue.invalidate()
        return RedirectResponse(f"/{lang_of(request)}/console/people/{quote(person)}?saved=1", 303)
    return message_page(
        request,
        session,
        status,
        message,
        back=f"/{lang_of(request)}/console/people/{quote(person)}",
    )


event_retract = _form_handler(
    _retract, "Retract an event, with a reason, if it has not changed meanwhile."
)


# ---- sources ---------------------------------------------------------------------------


SOURCE = EditorSpec("source", "console/source.html", "source_id", "s", dict)
source_page = editor_page(SOURCE)


async def _source_records(request: Request, edit: _Edit) -> _Records:
    """The source typed in the form, with the file uploaded (archived by its SHA-256, byte
    for byte), else the one it had."""
    before = edit.before
    file = (before["file"], before["sha256"]) if before and before.get("sha256") else None
    upload = await _uploaded(edit.form, "file")
    if upload is not None:
        data, filename = upload
        data_dir = request.app.state.data_dir
        sha = await run_in_threadpool(store_source_file, data, data_dir=data_dir)
        file = (filename or "upload", sha)
    record = source_from_form(edit.form, sid=edit.rid, file=file) or {
        "type": "source",
        "id": edit.rid,
        "visibility": "restricted",
    }
    return [record], [Expected("source", edit.rid, edit.version)]


source_save = editor_save(SOURCE, _source_records, then=("sources", "id"))


# ---- review queue ----------------------------------------------------------------------


#: Pairs on one page of the review queue (best first; `?page=N` for the next ones).
REVIEW_PAGE_SIZE = 50


@require_session
def review_page(request: Request, session: auth.Session) -> Response:
    """The review queue, a page at a time: proposed pairs with the matcher's reasons."""
    queue = list_queue(request.app.state.db)
    pages = max(1, -(-len(queue) // REVIEW_PAGE_SIZE))
    raw = request.query_params.get("page", "1")
    page = min(max(1, int(raw)), pages) if raw.isdigit() else 1
    start = (page - 1) * REVIEW_PAGE_SIZE
    return render_console(
        request,
        "console/review.html",
        session=session,
        queue=queue[start : start + REVIEW_PAGE_SIZE],
        page=page,
        pages=pages,
        total=len(queue),
    )


def _decide(request: Request, session: auth.Session, form: dict[str, Any]) -> Response:
    """Judge the pair of a checked form, or say why not (in a worker thread)."""
    decision = str(form.get("decision") or "")
    reason = str(form.get("reason") or "").strip()
    back = f"/{lang_of(request)}/console/review"
    try:
        if decision not in ("positive", "negative", "unsure"):
            raise KhronikaError(i18n.gettext("Choose accept, reject or unsure."))
        judge(
            request.app.state.db,
            int(request.path_params["candidate_id"]),
            decision,
            reason=reason,
            by=session.username,
        )
    except (KhronikaError, ValueError) as e:
        return message_page(request, session, 400, str(e), back=back)
    request.app.state.catalogue.invalidate()
    return RedirectResponse(back + "?saved=1", 303)


review_decide = _form_handler(
    _decide, "Accept or reject a proposed pair, with a reason (stored append-only, undoable)."
)


ROUTES: list[Route] = [
    Route("/console/login", login_form, "console_login"),
    Route("/console/login", login_submit, "console_login_submit", methods=("POST",)),
    Route("/console/logout", logout, "console_logout", methods=("POST",)),
    Route(
        "/console/logout-everywhere",
        logout_everywhere,
        "console_logout_everywhere",
        methods=("POST",),
    ),
    Route("/console", index, "console"),
    Route("/console/people/{person_id}", person_page, "console_person"),
    Route("/console/people/{person_id}", person_save, "console_person_save", methods=("POST",)),
    Route("/console/events/{event_id}", event_page, "console_event"),
    Route("/console/events/{event_id}", event_save, "console_event_save", methods=("POST",)),
    Route(
        "/console/events/{event_id}/retract", event_retract, "console_retract", methods=("POST",)
    ),
    Route("/console/sources/{source_id}", source_page, "console_source"),
    Route("/console/sources/{source_id}", source_save, "console_source_save", methods=("POST",)),
    Route("/console/review", review_page, "console_review"),
    Route(
        "/console/review/{candidate_id:int}",
        review_decide,
        "console_review_decide",
        methods=("POST",),
    ),
]
