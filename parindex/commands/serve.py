"""`parindex serve` (Datasette with the review pages) and `parindex reviewer` (who may review)."""
import re
import sys

import click

from parindex.commands.options import db_option

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
RESERVED = {"root"}  # Datasette gives the actor "root" its debug permissions


def _open(db_path):
    from parindex import store
    try:
        return store.connect(db_path)
    except store.StoreError as err:
        raise click.ClickException(str(err)) from err


@click.command()
@db_option(help="The parindex database to serve.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the server to the network.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--private", is_flag=True,
              help="Ask for a reviewer login on every page, not only to review.")
def serve(db_path, host, port, private):
    """Browse, query and review the facts in the browser (Datasette).

    \b
        parindex serve --db parindex.db              # http://127.0.0.1:8001/
        parindex serve --db parindex.db --private    # a login for every page

    Review pending facts at /-/review (add reviewers with `parindex reviewer add`).
    Set PARINDEX_SECRET to keep reviewers logged in across restarts.
    """
    import uvicorn
    from pathlib import Path

    from parindex import store
    from parindex.review.app import make_datasette

    if not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database (create it with "
                                   f"`parindex extract --db {db_path} ...` or `parindex run`)")
    try:
        ds = make_datasette(db_path, private=private)
    except store.StoreError as err:
        raise click.ClickException(str(err)) from err
    readonly = not store.writable(db_path)
    try:
        db = store.connect(db_path, readonly=readonly)
    except store.StoreError as err:
        raise click.ClickException(str(err)) from err
    reviewers = store.reviewers.count(db)
    db.conn.close()
    _start(ds)
    click.echo(f"parindex: serving {db_path} at http://{host}:{port}/ (review: /-/review)", err=True)
    if readonly:
        click.echo(f"parindex: {db_path} cannot be written here: serving it read-only "
                   "(browsing and queries; reviewing is off)", err=True)
    elif not reviewers:
        click.echo(f"parindex: no reviewers yet: parindex reviewer add NAME --db {db_path}", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)


def _start(ds):
    import asyncio
    asyncio.run(ds.invoke_startup())


@click.group()
def reviewer():
    """Who may review facts: reviewers log in at /-/login with a name and a password."""


@reviewer.command("add")
@click.argument("name")
@db_option()
@click.password_option("--password", prompt="Password", confirmation_prompt=True,
                       help="Asked for when not given (and better so: it stays out of the shell history).")
def reviewer_add(name, db_path, password):
    """Add a reviewer, or give an existing one a new password."""
    from parindex import store
    from parindex.review.passwords import PasswordError, hash_password

    if not NAME.match(name) or name in RESERVED:
        raise click.ClickException(f"{name!r}: a reviewer name is 1-40 lower-case letters, digits, "
                                   "'.', '_' or '-' (and not 'root')")
    try:
        password_hash = hash_password(password)
    except PasswordError as err:
        raise click.ClickException(str(err)) from err
    db = _open(db_path)
    try:
        existed = store.reviewers.get(db, name) is not None
        store.reviewers.add(db, name, password_hash)
    except store.StoreError as err:
        raise click.ClickException(str(err)) from err
    finally:
        db.conn.close()
    click.echo(f"parindex: {'new password for' if existed else 'added'} reviewer {name} in {db_path}",
               err=True)


@reviewer.command("list")
@db_option(exists=True)
def reviewer_list(db_path):
    """The reviewers and how many decisions each has made."""
    from parindex import store

    db = _open(db_path)
    try:
        for row in store.reviewers.with_decisions(db):
            sys.stdout.write(f"{row['name']}\t{row['created_at']}\t{row['decisions']} decisions\n")
    finally:
        db.conn.close()


COMMANDS = [serve, reviewer]
