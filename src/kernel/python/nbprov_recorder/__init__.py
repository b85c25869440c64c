"""nbprov kernel-side recorder.

Installed into a running IPython kernel by one silent execute (see src/kernel/recorderAsset.ts).
A pre_run_cell/post_run_cell hook pair records every user execution: the exact code, the
execution count, success or error, start time and duration, bounded summaries of the values the
cell bound or mutated, and the files it opened. Records wait in a bounded buffer until the host
collects them with ``collect_json`` in a silent request, so back-to-back executions (Run All) are
attributed exactly without probing values after the fact.

Everything here must stay cheap and must never raise into the user's cell, nor change what the
user's program does. No user code ever runs from the recorder: types are read through `type`'s own
descriptors (never a metaclass), builtins and their subclasses through the base type's C methods,
plain Python objects through their instance-dict and slot descriptors; an object of any other type
not known to be safe is described by type and identity, and its `__repr__`, `__str__`, `__eq__`,
`__hash__`, `__len__`, `__iter__`, properties and `__getattr__` are never called (see kinds.py). No
address-bearing repr feeds a content hash: a value holding an object known only by identity gets
no hash. A value that cannot be summarised is recorded with the reason (`error`), and a cell whose
values could not be recorded still gets its record, saying why (`recorderError`). Every summary
also runs under a time budget, and heavy libraries (numpy, pandas, torch, tensorflow, sklearn) are
only used when the user already imported them.
"""

import json

from .bounds import COLLECT_MAX_BYTES, MAX_VALUES_PER_CELL, PROTOCOL_VERSION
from .hashing import HashMemo
from .summaries import summarize
from .recorder import Recorder


def _active(shell):
    return getattr(shell, '_nbprov_recorder', None)


def install(shell, params=None):
    """Installs (or re-installs) the recorder into `shell`. Returns a JSON status string."""
    previous = _active(shell)
    if previous is not None:
        previous.uninstall()
    recorder = Recorder(shell, params, previous)
    recorder.install()
    shell._nbprov_recorder = recorder
    return json.dumps({'installed': True, 'protocol': PROTOCOL_VERSION, 'sessionId': recorder.session_id,
                       'reinstalled': previous is not None})


def uninstall(shell):
    recorder = _active(shell)
    if recorder is not None:
        recorder.uninstall()
        shell._nbprov_recorder = None


def uninstall_json(shell, params=None):
    """Removes the hooks and the open() wrapper; uncollected records are discarded."""
    was_installed = _active(shell) is not None
    uninstall(shell)
    return json.dumps({'installed': False, 'wasInstalled': was_installed})


def collect_json(shell, params=None):
    """Drains the buffer (bounded by size) as one JSON document."""
    recorder = _active(shell)
    if recorder is None or not recorder.installed:
        return json.dumps({'installed': False, 'protocol': PROTOCOL_VERSION})
    params = params or {}
    flush = params.get('flushSeconds')
    flush = float(flush) if type(flush) in (int, float) and flush > 0 else 0
    return recorder.collect(int(params.get('maxBytes') or COLLECT_MAX_BYTES), bool(params.get('environment')), flush)


class _JsonText:
    """A JSON answer rendered verbatim as text/plain (IPython's pretty printer calls
    _repr_pretty_), so a user expression can carry it in the execute reply."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

    def _repr_pretty_(self, p, cycle):
        p.text(self.text)


def collect_reply(shell, params=None):
    """collect_json as a user expression: the records of the cell that just ran travel back in
    its own execute reply, with no request of their own."""
    return _JsonText(collect_json(shell, params))


def summarize_names_json(shell, params=None):
    """Summaries of the named user variables (names must be identifiers), as one JSON document."""
    recorder = _active(shell)
    names = [n for n in (params or {}).get('names', []) if isinstance(n, str) and n.isidentifier()]
    ns = shell.user_ns
    values = {}
    HashMemo.begin()
    try:
        for name in names[:MAX_VALUES_PER_CELL]:
            if name in ns:
                values[name] = summarize(name, ns[name])
    finally:
        HashMemo.end()
    return json.dumps({'installed': recorder is not None and recorder.installed, 'protocol': PROTOCOL_VERSION,
                       'values': values}, ensure_ascii=True, allow_nan=False, default=str)
