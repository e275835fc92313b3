"""A fake Slack: a real HTTP server on loopback, on a free port.

It plays both halves of Slack. The Web API the app calls (``base_url``: the app's
``WebClient`` points at it, so request building, auth headers, form and JSON bodies,
retries and error mapping all run for real), answering with Slack's response shapes
(``{"ok": true, ...}`` and ``{"ok": false, "error": "..."}``) and keeping the messages it
was sent, so a later ``chat.update`` of an unknown ``ts`` fails as in Slack. The
``response_url`` endpoints (each honoured five times, then 404 ``used_url``), and the
file upload URL that ``files.getUploadURLExternal`` hands out. And the signer
(``signed_headers``) for requests Slack sends to the app (v0 HMAC over the timestamp and
body).

    with FakeSlack() as slack:
        client = WebClient(token=slack.token, base_url=slack.base_url)
        ...
        [call] = slack.wait_for("chat.postMessage")
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "BOT_TOKEN",
    "BOT_USER_ID",
    "SIGNING_SECRET",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "SharedFile",
    "signed_headers",
]

BOT_TOKEN = "xoxb-0000000000-fake-bot-token"
SIGNING_SECRET = "fake-signing-secret-for-tests-0000"
TEAM_ID = "T0FAKE0001"
BOT_USER_ID = "U0BOT00001"
BOT_ID = "B0BOT00001"
RESPONSE_URL_USES = 5
MAX_BLOCKS = 50
_JSON_FIELDS = {
    "blocks",
    "attachments",
    "view",
    "files",
    "prompts",
    "chunks",
    "metadata",
    "loading_messages",
}


def signed_headers(
    body: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    """The headers Slack adds to a request it sends: timestamp and v0 signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
        "content-type": content_type,
    }


@dataclass(frozen=True)
class Call:
    """One request the fake received: a Web API method, ``response_url`` or ``upload``."""

    method: str
    args: dict[str, Any]
    path: str
    headers: dict[str, str] = field(repr=False)
    at: float = field(default_factory=time.monotonic, repr=False)  # when it arrived


@dataclass
class SharedFile:
    """A file as the upload v2 flow left it: declared at ``files.getUploadURLExternal``,
    its bytes posted to the upload URL, shared by ``files.completeUploadExternal``."""

    id: str
    filename: str
    length: int  # as declared when the upload URL was asked for
    content: bytes | None = None  # None until the bytes arrive at the upload URL
    title: str | None = None
    channel_id: str | None = None  # None: completed but private (not shared)
    thread_ts: str | None = None
    initial_comment: str | None = None
    completed: bool = False

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"

    def text(self) -> str:
        """The content as UTF-8 text (reports, CSV)."""
        assert self.content is not None, f"no bytes were uploaded for {self.id}"
        return self.content.decode("utf-8")


@dataclass
class _Failure:
    error: str
    status: int
    headers: dict[str, str]
    times: int


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        status, body, headers = self.server.fake.handle(parts.path, parts.query, self.headers, raw)
        self._reply(status, body, headers)

    do_GET = do_POST

    def _reply(self, status: int, body: Any, headers: dict[str, str]) -> None:
        text = body if isinstance(body, str) else json.dumps(body)
        payload = text.encode("utf-8")
        try:
            self.send_response(status)
            kind = "text/plain" if isinstance(body, str) else "application/json"
            self.send_header("content-type", f"{kind}; charset=utf-8")
            self.send_header("content-length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack


def _parse(content_type: str, raw: bytes, query: str) -> dict[str, Any]:
    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type and text:
        args.update(json.loads(text))
    elif text and "form" in content_type:
        args.update({k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()})
    for name in _JSON_FIELDS & args.keys():
        if isinstance(args[name], str) and args[name][:1] in "[{":
            args[name] = json.loads(args[name])
    return args


class FakeSlack:
    """The fake; a context manager that starts and stops its server thread.

    Args:
        streaming: whether chat.startStream exists (False: ``unknown_method``, as in a
            workspace without it).
        not_member: channels where the bot is not a member (posts fail ``not_in_channel``).
        port: where to listen; 0 (the default) picks a free port.
    """

    def __init__(
        self, *, streaming: bool = True, not_member: set[str] | None = None, port: int = 0
    ) -> None:
        self.token = BOT_TOKEN
        self.streaming = streaming
        self.not_member = set(not_member or ())
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.usergroups: dict[str, list[str]] = {}  # user group id (S...) -> member ids
        self.uploads: dict[str, bytes] = {}
        self.files: dict[str, SharedFile] = {}  # by file id, in the order they were declared
        self.response_uses: dict[str, int] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle and addresses ---------------------------------------------------------

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.root}/response/{name}"

    # --- what happened -------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._cond:
            return [c.method for c in self.calls]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """The calls to ``method`` once there are ``count`` of them (bounded wait)."""

        def matching() -> list[Call]:
            return [c for c in self.calls if c.method == method and (where is None or where(c))]

        with self._cond:
            if not self._cond.wait_for(lambda: len(matching()) >= count, timeout=timeout):
                seen = [c.method for c in self.calls]
                raise AssertionError(f"waited {timeout:g} s for {count} x {method}; saw {seen}")
            return matching()

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with Slack's error shape."""
        with self._cond:
            self._failures.setdefault(method, []).append(
                _Failure(error, status, headers or {}, times)
            )

    # --- the server side -------------------------------------------------------------------

    def handle(
        self, path: str, query: str, headers: Any, raw: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        plain_headers = {k.lower(): v for k, v in headers.items()}
        if path.startswith("/upload/"):  # file bytes, not form or JSON arguments
            return self._upload(path, raw, plain_headers)
        args = _parse(str(headers.get("content-type") or ""), raw, query)
        if path.startswith("/response/"):
            return self._response_url(path, args, plain_headers)
        if not path.startswith("/api/"):
            return 404, "not found", {}
        method = path.removeprefix("/api/")
        self._record(Call(method, args, path, plain_headers))
        failure = self._take_failure(method)
        if failure is not None:
            return failure.status, {"ok": False, "error": failure.error}, failure.headers
        if plain_headers.get("authorization") != f"Bearer {self.token}":
            auth = plain_headers.get("authorization")
            return 200, {"ok": False, "error": "invalid_auth" if auth else "not_authed"}, {}
        return 200, self._api(method, args), {}

    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        with self._cond:
            queue = self._failures.get(method) or []
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _upload(
        self, path: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        """The upload URL: raw bytes or a multipart form; Slack answers ``OK - <bytes>``."""
        file_id = path.rsplit("/", 1)[-1]
        data = (
            _multipart_file(raw, headers)
            if "multipart/" in headers.get("content-type", "")
            else raw
        )
        self._record(Call("upload", {"file_id": file_id, "bytes": len(data)}, path, headers))
        with self._cond:
            shared = self.files.get(file_id)
            if shared is None or shared.completed:
                return 404, "upload_url_not_found", {}
            shared.content = data
            self.uploads[file_id] = data
        return 200, f"OK - {len(data)}", {}

    def shared_files(self, channel: str | None = None) -> list[SharedFile]:
        """Files completed and shared (into ``channel`` when given), oldest first."""
        with self._cond:
            return [
                f
                for f in self.files.values()
                if f.completed and f.channel_id and (channel is None or f.channel_id == channel)
            ]

    def _response_url(
        self, path: str, args: dict[str, Any], headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        name = path.removeprefix("/response/")
        with self._cond:
            used = self.response_uses.get(name, 0)
            self.response_uses[name] = used + 1
        self._record(Call("response_url", {**args, "_name": name}, path, headers))
        if used >= RESPONSE_URL_USES:
            return 404, "used_url", {}
        problem = _blocks_problem(args)
        if problem:
            return 400, problem, {}
        return 200, {"ok": True}, {}

    def _api(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        handler = METHODS.get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        with self._cond:
            return handler(self, args)

    def next_ts(self) -> str:
        n = next(self._ids)
        return f"{1_700_000_000 + n}.{n:06d}"

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"


def _multipart_file(raw: bytes, headers: dict[str, str]) -> bytes:
    """The first file part of a multipart form (``curl -F file=@x``), as Slack accepts."""
    head = f"content-type: {headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + raw)
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload
    return b""


def _blocks_problem(args: dict[str, Any]) -> str | None:
    blocks = args.get("blocks")
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    if any(not isinstance(b, dict) or "type" not in b for b in blocks):
        return "invalid_blocks"
    return None


# --- the Web API methods (called with the fake's lock held) -------------------------------

Result = dict[str, Any]


def _err(error: str) -> Result:
    return {"ok": False, "error": error}


def _message(fake: FakeSlack, channel: str, ts: str, args: dict[str, Any]) -> Result:
    message = {
        "type": "message",
        "ts": ts,
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "text": args.get("text") or "",
        "blocks": args.get("blocks") or [],
    }
    if args.get("thread_ts"):
        message["thread_ts"] = args["thread_ts"]
    fake.messages[(channel, ts)] = message
    return message


def _auth_test(fake: FakeSlack, args: dict[str, Any]) -> Result:
    return {
        "ok": True,
        "url": "https://fake.slack.com/",
        "team": "Fake",
        "user": "posture",
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _post_message(fake: FakeSlack, args: dict[str, Any]) -> Result:
    channel = str(args.get("channel") or "")
    if not channel:
        return _err("channel_not_found")
    if channel in fake.not_member:
        return _err("not_in_channel")
    if not args.get("text") and not args.get("blocks"):
        return _err("no_text")
    if problem := _blocks_problem(args):
        return _err(problem)
    if channel.startswith("U"):  # posting to a user id lands in the app's DM with them
        channel = "D" + channel[1:]
    ts = fake.next_ts()
    return {"ok": True, "channel": channel, "ts": ts, "message": _message(fake, channel, ts, args)}


def _update(fake: FakeSlack, args: dict[str, Any]) -> Result:
    channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
    if (channel, ts) not in fake.messages:
        return _err("message_not_found")
    if problem := _blocks_problem(args):
        return _err(problem)
    message = _message(fake, channel, ts, args)
    return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": message}


def _post_ephemeral(fake: FakeSlack, args: dict[str, Any]) -> Result:
    if not args.get("channel") or not args.get("user"):
        return _err("channel_not_found" if not args.get("channel") else "user_not_found")
    if problem := _blocks_problem(args):
        return _err(problem)
    return {"ok": True, "message_ts": fake.next_ts()}


def _delete(fake: FakeSlack, args: dict[str, Any]) -> Result:
    key = (str(args.get("channel")), str(args.get("ts")))
    if fake.messages.pop(key, None) is None:
        return _err("message_not_found")
    return {"ok": True, "channel": key[0], "ts": key[1]}


def _views_open(fake: FakeSlack, args: dict[str, Any]) -> Result:
    if not args.get("trigger_id") or args["trigger_id"] == "None":
        return _err("invalid_trigger_id")
    view = args.get("view")
    if not isinstance(view, dict) or view.get("type") != "modal":
        return _err("invalid_arguments")
    view_id = fake.next_id("V")
    stored = {**view, "id": view_id, "hash": fake.next_id("h")}
    fake.views[view_id] = stored
    return {"ok": True, "view": stored}


def _views_update(fake: FakeSlack, args: dict[str, Any]) -> Result:
    view_id = str(args.get("view_id") or "")
    current = fake.views.get(view_id)
    if current is None:
        return _err("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        return _err("hash_conflict")
    stored = {**args.get("view", {}), "id": view_id, "hash": fake.next_id("h")}
    fake.views[view_id] = stored
    return {"ok": True, "view": stored}


def _users_info(fake: FakeSlack, args: dict[str, Any]) -> Result:
    user = str(args.get("user") or "")
    if not user.startswith("U"):
        return _err("user_not_found")
    return {
        "ok": True,
        "user": {
            "id": user,
            "team_id": TEAM_ID,
            "name": "alice",
            "real_name": "Alice Example",
            "tz": "Europe/Berlin",
            "is_bot": False,
            "profile": {"display_name": "alice", "real_name": "Alice Example"},
        },
    }


def _usergroup_users(fake: FakeSlack, args: dict[str, Any]) -> Result:
    group = str(args.get("usergroup") or "")
    if group not in fake.usergroups:
        return _err("no_such_subteam")
    return {"ok": True, "users": list(fake.usergroups[group])}


def _upload_url(fake: FakeSlack, args: dict[str, Any]) -> Result:
    """Step 1: declare a file (name and byte length) and get where to post its bytes."""
    length = str(args.get("length") or "")
    if not args.get("filename") or not length.isdigit():
        return _err("invalid_arguments")
    if int(length) == 0:
        return _err("invalid_arguments")  # Slack refuses empty files
    file_id = fake.next_id("F")
    fake.files[file_id] = SharedFile(id=file_id, filename=str(args["filename"]), length=int(length))
    return {"ok": True, "upload_url": f"{fake.root}/upload/v1/{file_id}", "file_id": file_id}


def _file_object(fake: FakeSlack, f: SharedFile) -> Result:
    """A file object as completeUploadExternal returns it (the fields apps read; slack_sdk
    since 3.23 no longer calls files.info, as the response carries the file objects)."""
    created = int(time.time())
    private = f"{fake.root}/files-pri/{TEAM_ID}-{f.id}/{f.filename}"
    return {
        "id": f.id,
        "created": created,
        "timestamp": created,
        "name": f.filename,
        "title": f.title or f.filename,
        "mimetype": f.mimetype,
        "filetype": f.filename.rsplit(".", 1)[-1] if "." in f.filename else "binary",
        "user": BOT_USER_ID,
        "mode": "hosted",
        "editable": False,
        "is_external": False,
        "is_public": False,
        "size": len(f.content or b""),
        "url_private": private,
        "url_private_download": private + "?download=1",
        "permalink": f"https://fake.slack.com/files/{BOT_USER_ID}/{f.id}/{f.filename}",
        "channels": [],
        "groups": [],
        "ims": [],
        "shares": {},  # sharing happens asynchronously in Slack; the response has none yet
    }


def _complete_upload(fake: FakeSlack, args: dict[str, Any]) -> Result:
    """Step 3: finish the declared uploads and share them, as one message, where asked."""
    files = args.get("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
        return _err("invalid_arguments")
    channel = args.get("channel_id") or None
    if channel in fake.not_member:
        return _err("not_in_channel")
    if args.get("thread_ts") and not channel:
        return _err("invalid_arguments")  # a thread needs the channel it lives in
    declared = [fake.files.get(str(f.get("id"))) for f in files]
    if any(d is None or d.completed or d.content is None for d in declared):
        return _err("file_not_found")  # unknown id, shared already, or no bytes posted
    shared: list[SharedFile] = [d for d in declared if d is not None]
    for item, f in zip(files, shared, strict=True):
        f.title = item.get("title") or f.filename
        f.channel_id, f.thread_ts = channel, args.get("thread_ts") or None
        f.initial_comment = args.get("initial_comment") or None
        f.completed = True
    objects = [_file_object(fake, f) for f in shared]
    if channel:
        ts = fake.next_ts()
        text = {"text": args.get("initial_comment") or "", "thread_ts": args.get("thread_ts")}
        message = _message(fake, str(channel), ts, text)
        message.update(subtype="file_share", files=objects)
    return {"ok": True, "files": objects}


def _ok(fake: FakeSlack, args: dict[str, Any]) -> Result:
    return {"ok": True}


def _start_stream(fake: FakeSlack, args: dict[str, Any]) -> Result:
    if not fake.streaming:
        return _err("unknown_method")
    channel = str(args.get("channel") or "")
    if not args.get("thread_ts"):
        return _err("invalid_arguments")
    ts = fake.next_ts()
    message = _message(fake, channel, ts, {"thread_ts": args["thread_ts"]})
    message["streaming"] = True
    message["text"] = _chunk_text(args)
    return {"ok": True, "channel": channel, "ts": ts}


def _chunk_text(args: dict[str, Any]) -> str:
    chunks = args.get("chunks") or []
    text = "".join(str(c.get("text", "")) for c in chunks if isinstance(c, dict))
    return text + str(args.get("markdown_text") or "")


def _append_stream(fake: FakeSlack, args: dict[str, Any]) -> Result:
    key = (str(args.get("channel")), str(args.get("ts")))
    message = fake.messages.get(key)
    if message is None or not message.get("streaming"):
        return _err("message_not_in_streaming_state")
    message["text"] += _chunk_text(args)
    return {"ok": True, "channel": key[0], "ts": key[1]}


def _stop_stream(fake: FakeSlack, args: dict[str, Any]) -> Result:
    result = _append_stream(fake, args)
    if not result["ok"]:
        return result
    message = fake.messages[(result["channel"], result["ts"])]
    message["streaming"] = False
    message["blocks"] = args.get("blocks") or []
    return {**result, "message": message}


def _replies(fake: FakeSlack, args: dict[str, Any]) -> Result:
    return {"ok": True, "messages": [], "has_more": False}


METHODS: dict[str, Callable[[FakeSlack, dict[str, Any]], Result]] = {
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "chat.update": _update,
    "chat.postEphemeral": _post_ephemeral,
    "chat.delete": _delete,
    "chat.startStream": _start_stream,
    "chat.appendStream": _append_stream,
    "chat.stopStream": _stop_stream,
    "views.open": _views_open,
    "views.update": _views_update,
    "users.info": _users_info,
    "usergroups.users.list": _usergroup_users,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
    "assistant.threads.setStatus": _ok,
    "assistant.threads.setTitle": _ok,
    "assistant.threads.setSuggestedPrompts": _ok,
    "conversations.replies": _replies,
}


def main() -> None:
    """Run the fake alone, e.g. to try `posture serve` and curl without a workspace."""
    import argparse

    parser = argparse.ArgumentParser(description="A fake Slack Web API on loopback.")
    parser.add_argument("--port", type=int, default=8999)
    with FakeSlack(port=parser.parse_args().port) as fake:
        print(f"export SLACK_API_URL={fake.base_url}")
        print(f"export SLACK_BOT_TOKEN={fake.token}")
        print(f"export SLACK_SIGNING_SECRET={SIGNING_SECRET}")
        print(f"# response_url for tries: {fake.response_url('try')}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
