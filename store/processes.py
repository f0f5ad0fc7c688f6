"""Which process owns a run, and whether that process still lives.

A process is named by its host, its pid and when it started (the boot and the start time
in clock ticks, from /proc): a pid alone comes back after a reboot, and in a container
every `parindex run` may well be pid 1.
"""
import os
import socket
from pathlib import Path


def _boot_id() -> str | None:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None


def _start_ticks(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: count after it.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


def started(pid: int) -> str | None:
    """`<boot id>:<start ticks>` of a live process, None where /proc cannot tell."""
    boot, ticks = _boot_id(), _start_ticks(pid)
    return f"{boot}:{ticks}" if boot and ticks else None


def this_process() -> dict:
    """The owner columns of a run started by this process."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "process_started": started(pid)}


def is_alive(host: str | None, pid: int | None, process_started: str | None) -> bool:
    """True unless the process is known to be gone. A process on another host, or a run
    recorded without an owner (by an older parindex), cannot be checked: taken as alive."""
    if not host or not pid or host != socket.gethostname():
        return True
    if pid == os.getpid():
        return False  # this process is only starting its run: the recorded one is another, gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, under another user
    if process_started is None:
        return True
    # The pid lives, but is it the same process? Not if it started at another time.
    return started(pid) in (None, process_started)
