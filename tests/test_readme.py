"""Every code block of the README, as a reader would use it.

The blocks run in the README's order in one working folder, as someone following it would:
`page.html`, `notes.txt`, `corpus/` and `../shared/` are there, `parindex` is on the PATH,
and a password prompt gets a password. A comment right before a block says when it is not a
list of commands to run here, and what is checked instead:

    <!-- readme: output -->             the output of the block before (or `output of COMMAND`):
                                        its lines appear, in order, in what the command printed
    <!-- readme: network -->            needs the network: each parindex command must parse
                                        (options, choices, types); Python must compile
    <!-- readme: network output -->     what a command that needs the network printed: each line
                                        in the voice of a verb (`parindex <verb>: ...`)
    <!-- readme: server -->             each command is started, must answer over HTTP, is stopped
                                        (on a free port: the README's may be taken here)
    <!-- readme: make -->               `make -n TARGET` must work in the checkout
    <!-- readme: file NAME -->          a file's content: written into the folder and checked
                                        (sources.toml loads, YAML parses, the commands in a
                                        crontab line or a systemd unit parse, a rule matches)

A block without a comment runs, every line of it, and must exit 0. A comment the test does
not know fails it: a new kind of block needs a rule here first.
"""
import importlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import httpx
import pytest
import yaml

from parindex.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BIN = Path(sys.executable).parent
PASSWORD = "mật-khẩu-của-lan"
MARK = re.compile(r"^\s*<!--\s*readme:\s*(.*?)\s*-->\s*$")
KNOWN = re.compile(r"^(output( of .+)?|network( output)?|server|make|file .+)$")


@dataclass
class Block:
    line: int                 # where it starts in the README
    mark: str | None
    lines: list = field(default_factory=list)

    @property
    def python(self) -> bool:
        return self.lines[0].startswith(("from ", "import "))

    def commands(self) -> list[str]:
        """The command lines (shell comments and blank lines are no commands)."""
        return [line for line in self.lines if line.strip() and not line.lstrip().startswith("#")]

    def __str__(self):
        return f"README.md:{self.line}"


def blocks(text: str) -> list[Block]:
    """Indented code blocks, each with the readme comment right before it (if any)."""
    out, mark, blank_before = [], None, True
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        found = MARK.match(line)
        if found:
            mark, blank_before, i = found.group(1), True, i + 1
            continue
        indent = len(line) - len(line.lstrip())
        if blank_before and line.strip() and indent >= 4:
            block = Block(i + 1, mark)
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= indent):
                block.lines.append(lines[i][indent:].rstrip())
                i += 1
            while block.lines and not block.lines[-1]:
                block.lines.pop()
            out.append(block)
            mark, blank_before = None, False
            continue
        if line.strip():
            mark = None  # a comment is for the block right after it
        blank_before = not line.strip()
        i += 1
    return out


BLOCKS = blocks(README.read_text(encoding="utf-8"))


def parses(argv: list[str]) -> None:
    """A parindex command line is one the command accepts (Click parses and converts it)."""
    command, args, path = cli, list(argv), ["parindex"]
    while isinstance(command, click.Group):
        verb = command.get_command(None, args[0]) if args else None
        assert verb, f"no verb {args[:1]} in {' '.join(path)}"
        path.append(args[0])
        command, args = verb, args[1:]
    command.make_context(" ".join(path), args)


def _parindex_argv(command: str) -> list[str] | None:
    argv = shlex.split(command, comments=True)
    if argv and Path(argv[0]).name == "parindex":
        return argv[1:]
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Reader:
    """Someone following the README in one folder."""

    def __init__(self, root: Path):
        self.work = root / "work"
        self.work.mkdir()
        (root / "shared").symlink_to(REPO.parent / "shared")
        (self.work / "corpus").symlink_to(REPO / "corpus")
        shutil.copy(REPO / "corpus" / "site" / "cai-cach-hanh-chinh" / "d001.html", self.work / "page.html")
        (self.work / "notes.txt").write_text(
            "Xã Kim Anh dẫn đầu huyện Kim Thành về chỉ số cải cách hành chính năm 2023, "
            "tăng 2 bậc so với năm 2022.\n", encoding="utf-8")
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")},
                    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "100"}
        self.outputs: dict[str, list[str]] = {}   # command -> the lines it printed
        self.last: str | None = None
        self.results: dict[int, str | None] = {}  # block line -> None when it did what it says

    def shell(self, command: str, timeout=300) -> subprocess.CompletedProcess:
        return subprocess.run(command, shell=True, cwd=self.work, env=self.env, capture_output=True,
                              text=True, timeout=timeout, input=f"{PASSWORD}\n{PASSWORD}\n")

    def run(self, block: Block):
        if block.python:
            script = self.work / f"readme_{block.line}.py"
            script.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
            done = subprocess.run([sys.executable, script.name], cwd=self.work, env=self.env,
                                  capture_output=True, text=True, timeout=300)
            return None if done.returncode == 0 else f"python: {done.stderr[-1500:]}"
        for command in block.commands():
            done = self.shell(command)
            self.outputs[command] = (done.stdout + done.stderr).splitlines()
            self.last = command
            if done.returncode != 0:
                return f"{command!r} exited {done.returncode}: {done.stderr[-1500:]}"
        return None

    def output(self, block: Block):
        named = block.mark.removeprefix("output").strip().removeprefix("of").strip()
        command = next((c for c in self.outputs if c.split("#")[0].strip() == named), None) if named else self.last
        if command is None:
            return f"no command {named or '(none ran)'} before this output"
        printed = [line.rstrip() for line in self.outputs[command]]
        at = 0
        for wanted in block.lines:
            while at < len(printed) and printed[at] != wanted.rstrip():
                at += 1
            if at == len(printed):
                return f"{command!r} did not print {wanted!r}; it printed:\n" + "\n".join(printed[-30:])
            at += 1
        return None

    def network(self, block: Block):
        if block.mark == "network output":
            for line in block.lines:
                verb = re.match(r"parindex ([a-z ]+?): ", line)
                assert verb, f"not in the voice of a verb: {line!r}"
                command = cli
                for word in verb.group(1).split():
                    command = command.get_command(None, word) if isinstance(command, click.Group) else None
                    assert command, f"no verb in {line!r}"
            return None
        if block.python:
            compile("\n".join(block.lines), str(block), "exec")
            return None
        for command in block.commands():
            argv = _parindex_argv(command)
            if argv is not None:
                parses(argv)
            elif command.startswith("export SCRAPY_SETTINGS_MODULE="):
                from scrapy.settings import Settings
                from scrapy.spiderloader import SpiderLoader

                settings = Settings()
                settings.setmodule(importlib.import_module(command.split("=", 1)[1]))
                assert "news" in SpiderLoader.from_settings(settings).list(), "no spider called news"
            elif not command.split()[0].endswith(("pip", "python3", "scrapy")):
                return f"not a command this test knows how to check: {command!r}"
        return None

    def server(self, block: Block):
        for command in block.commands():
            argv = _parindex_argv(command)
            assert argv and argv[0] == "serve", command
            port = _free_port()
            if "--port" in argv:
                argv[argv.index("--port") + 1] = str(port)
            else:
                argv += ["--port", str(port)]
            process = subprocess.Popen([str(BIN / "parindex"), *argv], cwd=self.work, env=self.env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                deadline = time.monotonic() + 30
                while True:
                    try:
                        answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                        break
                    except httpx.TransportError:
                        if process.poll() is not None or time.monotonic() > deadline:
                            return f"{command!r} did not answer: {process.communicate()[1][-1500:]}"
                        time.sleep(0.2)
                if answer.status_code not in (200, 302):
                    return f"{command!r} answered {answer.status_code}"
            finally:
                process.terminate()
                process.communicate(timeout=15)
        return None

    def make(self, block: Block):
        for command in block.commands():
            target = shlex.split(command, comments=True)[1]
            done = subprocess.run(["make", "-n", target], cwd=REPO, capture_output=True, text=True, timeout=60)
            if done.returncode != 0:
                return f"make -n {target}: {done.stderr}"
        return None

    def file(self, block: Block):
        name = block.mark.removeprefix("file").strip()
        text = "\n".join(block.lines) + "\n"
        if name == "sources.toml":
            from parindex.crawler.sources import load_sources
            (self.work / name).write_text(text, encoding="utf-8")
            assert load_sources(self.work / name).sites, "no site in the README's sources file"
        elif name.endswith((".yml", ".yaml")) and " " not in name:
            (self.work / name).write_text(text, encoding="utf-8")
            assert isinstance(yaml.safe_load(text), dict)
        elif name == "crontab":
            for line in block.commands():
                command = line.split(None, 5)[5]
                for part in command.split("&&"):
                    argv = _parindex_argv(part.split(">>")[0])
                    if argv is not None:
                        parses(argv)
        elif name == "systemd units":
            starts = [line.split("=", 1)[1] for line in block.lines if line.startswith("ExecStart=")]
            assert starts
            for start in starts:
                parses(_parindex_argv(start))
        elif name == "values.yaml rule":
            from parindex.model.normalize import fold_tones
            [rule] = yaml.safe_load(text)
            pattern = re.compile(rule["regex"], re.IGNORECASE)
            for example in rule["examples"]:
                found = pattern.search(fold_tones(example["text"]))
                assert found and {k: int(v) for k, v in found.groupdict().items()} == example["expect"]
            for sentence in rule["reject"]:
                assert not pattern.search(fold_tones(sentence)), sentence
        else:
            return f"a file this test does not know how to check: {name!r}"
        return None

    def follow(self, block: Block):
        try:
            if block.mark is None:
                return self.run(block)
            kind = block.mark.split()[0]
            return {"output": self.output, "network": self.network, "server": self.server,
                    "make": self.make, "file": self.file}[kind](block)
        except (AssertionError, click.ClickException, ValueError, SyntaxError, ImportError) as err:
            return f"{type(err).__name__}: {err}"


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    reader = Reader(tmp_path_factory.mktemp("readme"))
    for block in BLOCKS:
        reader.results[block.line] = reader.follow(block)
    return reader


def test_the_readme_has_code_blocks_and_every_comment_is_one_this_test_knows():
    assert len(BLOCKS) > 20
    for block in BLOCKS:
        assert block.mark is None or KNOWN.match(block.mark), f"{block}: unknown readme comment {block.mark!r}"


@pytest.mark.parametrize("block", BLOCKS, ids=[f"line{b.line}-{b.mark or 'run'}" for b in BLOCKS])
def test_every_readme_block_does_what_it_shows(reader, block):
    problem = reader.results[block.line]
    assert problem is None, f"{block}: {problem}"


def test_the_readmes_example_sentence_is_what_the_demo_reads(reader):
    # The sentence the README opens with, as `parindex demo` reads it from the bundled site:
    # unit, province, year, rank and change exactly as the README's table shows them.
    text = README.read_text(encoding="utf-8")
    quoted = re.search(r"^> (Xã Kim Anh .+)$", text, re.M).group(1)
    assert "tăng 2 bậc" in quoted and "năm 2023" in quoted
    import sqlite3
    conn = sqlite3.connect(reader.work / "demo.db")
    try:
        rows = conn.execute("SELECT unit, province, year, rank, rank_change, province_code FROM facts "
                            "WHERE unit_key = 'kim anh'").fetchall()
    finally:
        conn.close()
    assert rows == [("xã Kim Anh", "Hải Dương", 2023, 1, 2, "30")]


def test_the_demos_province_filter_finds_every_fact_of_the_readmes_province(reader):
    # Issue 15, point 1: `--province "Hải Dương"` (or "Hai Duong") finds every fact the register
    # puts in Hải Dương, the README's example among them, and no fact of Hải Dương hides under
    # another province's name.
    import json
    import sqlite3
    conn = sqlite3.connect(reader.work / "demo.db")
    try:
        coded = {r[0] for r in conn.execute("SELECT id FROM facts WHERE province_code = '30'")}
        named = {r[0] for r in conn.execute("SELECT id FROM facts WHERE province = 'Hải Dương'")}
    finally:
        conn.close()
    assert coded and coded == named
    for spelling in ("Hải Dương", "Hai Duong", "tỉnh Hải Dương"):
        done = reader.shell(f'parindex query --db demo.db --province "{spelling}" --format json')
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout)
        assert {row["id"] for row in rows} == coded
        assert ("xã Kim Anh", 2023, 1, 2) in {(r["unit"], r["year"], r["rank"], r["rank_change"]) for r in rows}
