"""Query workers that cannot open a network connection, whatever a query asks (design §8).

The guard refuses ``SERVICE`` before a query runs; this is the second wall behind it. A worker
installs a seccomp filter on itself before it opens the store: from then on ``socket()`` is
refused for every address family but ``AF_UNIX`` (the worker's pipe to the server), and
``io_uring_setup`` (a way to open sockets that seccomp cannot see) is refused too. A seccomp
filter needs no privilege (``PR_SET_NO_NEW_PRIVS`` first), cannot be lifted by the process that
installed it, and is inherited by every thread and child it starts. pyoxigraph's HTTP client
then fails with "Permission denied", and a DNS lookup fails before it is sent.

The filter is a classic BPF program over ``struct seccomp_data`` (``nr`` at offset 0, ``arch``
at 4, the first argument's low 32 bits at 16 on little-endian machines), assembled below for
the two machines munikg runs on. Any other architecture's system call numbers differ, so the
filter refuses to guess: :func:`forbid_network` raises :class:`SandboxUnavailable`.

>>> len(program("x86_64")) % 8, len(program("aarch64")) % 8
(0, 0)
"""

import ctypes
import errno
import platform
import socket
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_KILL_PROCESS = 0x80000000
_X32_SYSCALL_BIT = 0x40000000


def _refuse(code: int) -> int:
    return 0x00050000 | code  # SECCOMP_RET_ERRNO


# AUDIT_ARCH_* value, socket's and io_uring_setup's system call numbers, whether the x32 ABI
# (numbers with bit 30 set, another table) must be shut out.
MACHINES = {
    "x86_64": (0xC000003E, 41, 425, True),
    "aarch64": (0xC00000B7, 198, 425, False),
}

Instruction = tuple[int, int, str | None, str | None]  # code, k, jump if true, jump if false


class SandboxUnavailable(RuntimeError):
    """This machine cannot confine a worker (not Linux, an unknown architecture, or seccomp
    refused)."""


def program(machine: str) -> bytes:
    """The filter for ``machine`` as ``struct sock_filter`` records."""
    if machine not in MACHINES:
        raise SandboxUnavailable(f"no seccomp filter for the {machine} architecture")
    arch, nr_socket, nr_io_uring_setup, has_x32 = MACHINES[machine]
    code: list[Instruction | str] = [
        (_LD_W_ABS, 4, None, None),  # A = arch: a call through another ABI is killed
        (_JEQ_K, arch, None, "kill"),
        (_LD_W_ABS, 0, None, None),  # A = the system call's number
    ]
    if has_x32:
        code.append((_JGE_K, _X32_SYSCALL_BIT, "kill", None))
    code += [
        (_JEQ_K, nr_socket, "socket", None),
        (_JEQ_K, nr_io_uring_setup, "no-io-uring", None),
        (_RET_K, _ALLOW, None, None),
        "socket",
        (_LD_W_ABS, 16, None, None),  # A = the address family asked for
        (_JEQ_K, socket.AF_UNIX, "allow", None),
        (_RET_K, _refuse(errno.EACCES), None, None),
        "no-io-uring",
        (_RET_K, _refuse(errno.ENOSYS), None, None),
        "kill",
        (_RET_K, _KILL_PROCESS, None, None),
        "allow",
        (_RET_K, _ALLOW, None, None),
    ]
    return _assemble(code)


def _assemble(code: list[Instruction | str]) -> bytes:
    """Instructions with jumps to labels, as BPF records with relative jump offsets."""
    labels: dict[str, int] = {}
    count = 0
    for item in code:
        if isinstance(item, str):
            labels[item] = count
        else:
            count += 1
    records: list[bytes] = []
    for item in code:
        if isinstance(item, str):
            continue
        op, k, if_true, if_false = item
        here = len(records) + 1  # jumps count from the next instruction

        def offset(label: str | None, here: int = here) -> int:
            return 0 if label is None else labels[label] - here

        records.append(struct.pack("=HBBI", op, offset(if_true), offset(if_false), k))
    return b"".join(records)


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def forbid_network() -> None:
    """From now on this process (and its threads and children) cannot open a network socket.
    Raises :class:`SandboxUnavailable` where that cannot be promised."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"seccomp is Linux's; this is {sys.platform}")
    records = program(platform.machine())
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(records, len(records))
    filter_program = _Program(len(records) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(NO_NEW_PRIVS): {errno.errorcode[ctypes.get_errno()]}")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(filter_program), 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(SECCOMP): {errno.errorcode[ctypes.get_errno()]}")
