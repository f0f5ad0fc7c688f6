"""`parindex serve` (Datasette with the review pages) and `parindex reviewer` (who may review)."""
import re
import socket

import click

from parindex.commands.options import db_option, fail, format_option, say
from parindex.output import default_format, write_rows

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
RESERVED = {"root"}  # Datasette gives the actor "root" its debug permissions
DAY = 86400


def _open(verb, db_path):
    from parindex import store
    try:
        return store.connect(db_path)
    except store.StoreError as err:
        fail(verb, err)


def datasette_settings(pairs) -> dict:
    """`--setting NAME VALUE` pairs as Datasette's own typed settings; a name Datasette does
    not know, or a value of the wrong kind, is one line naming it."""
    from datasette.app import SETTINGS

    kinds = {s.name: type(s.default) for s in SETTINGS}
    out = {}
    for name, value in pairs:
        kind = kinds.get(name)
        if kind is None:
            fail("serve", f"--setting {name}: not a Datasette setting (one of {', '.join(sorted(kinds))})")
        if kind is bool:
            if value.lower() not in ("on", "off", "true", "false", "1", "0"):
                fail("serve", f"--setting {name} {value}: expected on or off")
            out[name] = value.lower() in ("on", "true", "1")
        elif kind is int:
            try:
                out[name] = int(value)
            except ValueError:
                fail("serve", f"--setting {name} {value}: expected a whole number")
        else:
            out[name] = value
    return out


def read_metadata(path) -> dict:
    """A Datasette metadata file, JSON or YAML."""
    import json

    import yaml

    try:
        text = open(path, encoding="utf-8").read()
        data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except OSError as err:
        fail("serve", f"--metadata {path}: {err.strerror or err}")
    except ValueError as err:  # json and yaml errors both
        fail("serve", f"--metadata {path}: not valid JSON or YAML ({err})")
    if not isinstance(data, dict):
        fail("serve", f"--metadata {path}: expected a mapping of metadata keys")
    return data


def listen(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything is said: a port in use is told in one line
    instead of a "serving at" followed by the web server's own error."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as err:
        fail("serve", f"--host {host}: not an address of this machine ({err.strerror})")
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        sock.close()
        if err.errno == 98:  # EADDRINUSE
            fail("serve", f"{host}:{port} is in use (another server?): choose another with --port")
        fail("serve", f"cannot listen on {host}:{port} ({err.strerror or err})")
    sock.set_inheritable(True)
    return sock


@click.command()
@db_option(help="The parindex database to serve.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the server to the network.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, shown when the server starts).")
@click.option("--private", is_flag=True,
              help="Ask for a reviewer login on every page, not only to review (scripts send an "
                   "API token: `parindex reviewer token NAME`).")
@click.option("--immutable", is_flag=True,
              help="Serve the file read-only and unchanging (a snapshot, a copy): faster, no reviewing.")
@click.option("--setting", "settings", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A Datasette setting, as `datasette --setting` (default_page_size 50, "
                   "sql_time_limit_ms 3000, base_url /parindex/...).")
@click.option("--cors", is_flag=True, help="Let web pages of other sites read the JSON (CORS headers).")
@click.option("--metadata", "metadata_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Datasette metadata (JSON or YAML) laid over parindex's: titles, licence, "
                   "more canned queries.")
def serve(db_path, host, port, private, immutable, settings, cors, metadata_path):
    """Browse, query and review the facts in the browser (Datasette).

    \b
        parindex serve --db parindex.db              # http://127.0.0.1:8001/
        parindex serve --db parindex.db --private    # a login for every page
        parindex serve --db snapshot.db --immutable --cors --setting default_page_size 50

    Review pending facts at /-/review (add reviewers with `parindex reviewer add`).
    Set PARINDEX_SECRET to keep reviewers logged in across restarts.
    """
    from pathlib import Path

    from parindex import store

    if not Path(db_path).exists():
        fail("serve", f"{db_path}: no such database (create it with "
                      f"`parindex extract --db {db_path} ...` or `parindex run`)")
    typed = datasette_settings(settings)
    extra = read_metadata(metadata_path) if metadata_path else None
    import uvicorn

    from parindex.review.app import make_datasette

    try:
        ds = make_datasette(db_path, private=private, settings=typed, cors=cors, metadata=extra,
                            immutable=immutable)
        readonly = immutable or not store.writable(db_path)
        db = store.connect(db_path, readonly=readonly)
    except store.StoreError as err:
        fail("serve", err)
    reviewers = store.reviewers.count(db)
    db.conn.close()
    sock = listen(host, port)
    _start(ds)
    shown = f"[{host}]" if ":" in host else host
    say("serve", f"serving {db_path} at http://{shown}:{sock.getsockname()[1]}/ (review: /-/review)")
    if readonly:
        why = "served with --immutable" if immutable else "cannot be written here"
        say("serve", f"{db_path} {why}: serving it read-only (browsing and queries; reviewing is off)")
    elif not reviewers:
        say("serve", f"no reviewers yet: parindex reviewer add NAME --db {db_path}")
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on", workers=1)
    uvicorn.Server(config).run(sockets=[sock])


def _start(ds):
    import asyncio
    asyncio.run(ds.invoke_startup())


@click.group()
def reviewer():
    """Who may review facts: reviewers log in at /-/login with a name and a password."""


def _check_name(verb, name):
    if not NAME.match(name) or name in RESERVED:
        fail(verb, f"{name!r}: a reviewer name is 1-40 lower-case letters, digits, "
                         "'.', '_' or '-' (and not 'root')")


@reviewer.command("add")
@click.argument("name")
@db_option(help="The parindex database the reviewer may review (created when missing).")
@click.password_option("--password", prompt="Password", confirmation_prompt=True,
                       help="Asked for when not given (and better so: it stays out of the shell history).")
def reviewer_add(name, db_path, password):
    """Add a reviewer, or give an existing one a new password (which ends their sessions
    and API tokens, and enables a disabled reviewer)."""
    from parindex import store
    from parindex.review.passwords import PasswordError, hash_password

    _check_name("reviewer add", name)
    try:
        password_hash = hash_password(password)
    except PasswordError as err:
        fail("reviewer add", err)
    db = _open("reviewer add", db_path)
    try:
        existed = store.reviewers.get(db, name) is not None
        store.reviewers.add(db, name, password_hash)
    except store.StoreError as err:
        fail("reviewer add", err)
    finally:
        db.conn.close()
    say("reviewer add", f"{'new password for' if existed else 'added'} reviewer {name} in {db_path}")


def _existing(verb, db_path, name, change) -> None:
    """Apply change(db) to a reviewer who must exist; one line when they do not."""
    from pathlib import Path

    from parindex import store

    if not Path(db_path).exists():
        fail(verb, f"{db_path}: no such database")
    db = _open(verb, db_path)
    try:
        if not change(db):
            fail(verb, f"no reviewer {name!r} in {db_path} (see parindex reviewer list)")
    except store.StoreError as err:
        fail(verb, err)
    finally:
        db.conn.close()


@reviewer.command("remove")
@click.argument("name")
@db_option(help="The parindex database.")
def reviewer_remove(name, db_path):
    """Remove a reviewer: they can no longer log in, their sessions and API tokens end; the
    decisions they made stay in the review log under their name."""
    from parindex import store

    _existing("reviewer remove", db_path, name, lambda db: store.reviewers.remove(db, name))
    say("reviewer remove", f"removed reviewer {name} from {db_path} (their decisions stay in the review log)")


@reviewer.command("disable")
@click.argument("name")
@db_option(help="The parindex database.")
def reviewer_disable(name, db_path):
    """Stop a reviewer from logging in, and end their sessions and API tokens, keeping their
    password for `parindex reviewer enable`."""
    from parindex import store

    _existing("reviewer disable", db_path, name, lambda db: store.reviewers.set_disabled(db, name, True))
    say("reviewer disable", f"reviewer {name} can no longer log in ({db_path}); "
                            f"parindex reviewer enable {name} lets them in again")


@reviewer.command("enable")
@click.argument("name")
@db_option(help="The parindex database.")
def reviewer_enable(name, db_path):
    """Let a disabled reviewer log in again, with the password they had."""
    from parindex import store

    _existing("reviewer enable", db_path, name, lambda db: store.reviewers.set_disabled(db, name, False))
    say("reviewer enable", f"reviewer {name} can log in again ({db_path})")


@reviewer.command("token")
@click.argument("name")
@db_option(help="The parindex database.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3650),
              help="How long the token lives.")
def reviewer_token(name, db_path, days):
    """Print a read-only API token for a reviewer's scripts.

    \b
        TOKEN=$(parindex reviewer token lan --db parindex.db)
        curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8001/parindex/facts.json

    With `serve --private` a script sends it instead of logging in. It reads what the
    reviewer may read and never reviews. A new password, `disable` or `remove` ends it.
    """
    from parindex import store

    made = {}

    def create(db):
        if not store.reviewers.exists(db, name):
            return False
        made["token"], made["expires"] = store.sessions.create_api_token(db, name, days * DAY)
        return True

    _existing("reviewer token", db_path, name, create)
    click.echo(made["token"])
    say("reviewer token", f"a read-only API token for {name}, valid until {made['expires']}: "
                          "send it as the header 'Authorization: Bearer <token>'")


@reviewer.command("list")
@db_option(exists=True)
@format_option
def reviewer_list(db_path, fmt):
    """The reviewers: whether they may log in, since when, and how many decisions each made."""
    from parindex import store

    db = _open("reviewer list", db_path)
    try:
        rows = store.reviewers.with_decisions(db)
    except store.StoreError as err:
        fail("reviewer list", err)
    finally:
        db.conn.close()
    write_rows(rows, ["name", "status", "created_at", "decisions"], fmt or default_format())


COMMANDS = [serve, reviewer]
