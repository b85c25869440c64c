"""The recorder: IPython hooks that record each user execution into a bounded buffer."""

import builtins
import collections
import io
import json
import os
import time
import types
import uuid

from .bounds import (
    COLLECT_MAX_BYTES, INTERNAL_MARKER, IPYTHON_NAMES, MAX_BUFFERED_RECORDS,
    CHANGE_BUDGET_S, MAX_FILES_PER_CELL, MAX_VALUES_PER_CELL, PROTOCOL_VERSION, SUMMARY_BUDGET_S, now_iso
)
from .kinds import is_sub, qualified_type, safe_message, type_qualname
from .hashing import HashMemo
from .summaries import exact_stats, summarize
from .changes import compare, guarded_fingerprint
from .deferred import BackgroundHasher
from .sampling import forget_samples
from .names import cell_names
from .scope import candidates, code_scope
from .files import (
    FileHashCache, ORIGINAL_IO_OPEN, ORIGINAL_OPEN, excluded_prefixes, inside_import,
    mode_kind
)
from .environment import environment
from .identity import object_identities


class Recorder:
    def __init__(self, shell, params, previous=None):
        self.shell = shell
        self.params = dict(params or {})
        self.kernel_name = self.params.get('kernelName')
        # 'scoped' (default): fingerprint only what the cell can change (scope.py), reusing kept
        # hashes; 'full': hash every user variable before and after every cell, nothing reused
        # (the reference the equivalence test compares 'scoped' with).
        self.full_detection = self.params.get('changeDetection') == 'full'
        self.measure_memory = bool(self.params.get('measureMemory'))
        if previous is not None:
            # Re-install in the same kernel process: same session, keep uncollected records.
            self.session_id = previous.session_id
            self.buffer = previous.buffer
            self.seq = previous.seq
            self.dropped = previous.dropped
            self.files = previous.files
            # A new hasher: the modules of this installation may be new copies, whose memo the
            # previous hasher does not know.
            self.hasher = BackgroundHasher()
            self.patches = previous.patches
            self.patches.extend(previous.hasher.retire())
        else:
            self.session_id = uuid.uuid4().hex
            self.buffer = collections.deque(maxlen=int(self.params.get('maxRecords') or MAX_BUFFERED_RECORDS))
            self.seq = 0
            self.dropped = 0
            self.files = FileHashCache()
            self.hasher = BackgroundHasher()
            self.patches = collections.deque(maxlen=MAX_BUFFERED_RECORDS)
        self.started_at = getattr(previous, 'started_at', None) or now_iso()
        self.excluded_paths = excluded_prefixes()
        self.current = None
        self.in_hook = False
        self.installed = False

    # -- installation -------------------------------------------------------------------------

    def install(self):
        self.shell.events.register('pre_run_cell', self.pre_run_cell)
        self.shell.events.register('post_run_cell', self.post_run_cell)
        recorder = self

        def recording_open(*args, **kwargs):
            if recorder.current is None or recorder.in_hook:
                return ORIGINAL_OPEN(*args, **kwargs)
            return recorder.open_and_record(args, kwargs)

        recording_open.__wrapped__ = ORIGINAL_OPEN
        recording_open.__nbprov_original__ = ORIGINAL_OPEN
        recording_open.__doc__ = ORIGINAL_OPEN.__doc__
        recording_open.__name__ = 'open'
        self.open_wrapper = recording_open
        builtins.open = recording_open
        io.open = recording_open
        self.installed = True

    def uninstall(self):
        for event, fn in (('pre_run_cell', self.pre_run_cell), ('post_run_cell', self.post_run_cell)):
            try:
                self.shell.events.unregister(event, fn)
            except ValueError:
                pass
        if builtins.open is getattr(self, 'open_wrapper', None):
            builtins.open = ORIGINAL_OPEN
        if io.open is getattr(self, 'open_wrapper', None):
            io.open = ORIGINAL_IO_OPEN
        self.hasher.stop()
        self.installed = False

    # -- hooks --------------------------------------------------------------------------------

    def pre_run_cell(self, info):
        self.in_hook = True
        hook_start = time.perf_counter()
        self.hasher.cell_started()
        forget_samples()
        self._start_memory()
        if self.full_detection:
            HashMemo.forget()
        else:
            # Background hashes that finished are kept before the fingerprints below look for them.
            self.patches.extend(self.hasher.drain())
        HashMemo.begin(carry=not self.full_detection)
        try:
            raw = getattr(info, 'raw_cell', '') or ''
            if raw.startswith(INTERNAL_MARKER):
                # nbprov's own requests, when a host cannot send them silently.
                self.current = None
                return
            try:
                transformed = self.shell.transform_cell(raw)
            except Exception:
                transformed = raw
            stored, touched = cell_names(transformed)
            names = self._user_names()
            if self.full_detection:
                deep, reach, protected = set(name for name, _ in names), None, set()
            else:
                deep, reach, protected = candidates(names, self.shell.user_ns, touched, code_scope(transformed))
                # No background job may read what this cell may write (deferred.py).
                self.hasher.cancel_reaching(reach)
            state = {
                'code': raw,
                'startedAt': now_iso(),
                'stored': stored,
                'touched': touched,
                'reach': reach,
                'protected': protected,
                'files': collections.OrderedDict(),
                'deferred': [],
                'before': self._snapshot(names, deep - stored, hook_start + CHANGE_BUDGET_S),
            }
            if 'resize' in transformed:
                # numpy's resize() refuses an array that has weak references: the recorder's go.
                state['release'] = True
            state['preMs'] = (time.perf_counter() - hook_start) * 1000
            state['preBytes'] = self._memory_peak()
            state['t0'] = time.perf_counter()
            self.current = state
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: B036 - the cell is still recorded, with the reason
            self.current = {
                'code': getattr(info, 'raw_cell', '') or '', 'startedAt': now_iso(), 'stored': set(), 'touched': set(),
                'files': collections.OrderedDict(), 'before': None, 'preMs': (time.perf_counter() - hook_start) * 1000,
                't0': time.perf_counter(), 'preBytes': None, 'reach': None,
                'recorderError': _reason('values not recorded: the pre-cell snapshot failed', exc),
            }
        finally:
            HashMemo.end(keep=not self.full_detection)
            current = self.current
            if current is not None and current.get('release'):
                reach = current.get('reach')
                HashMemo.invalidate(reach) if reach is not None else HashMemo.forget()
                self.hasher.release(reach)
            self._stop_memory()
            self.in_hook = False

    def _start_memory(self):
        if self.measure_memory:
            import tracemalloc
            tracemalloc.start()

    def _memory_peak(self):
        if not self.measure_memory:
            return None
        import tracemalloc
        return tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else None

    def _stop_memory(self):
        if self.measure_memory:
            import tracemalloc
            tracemalloc.stop()

    def _user_names(self):
        ns = self.shell.user_ns
        hidden = getattr(self.shell, 'user_ns_hidden', {})
        out = []
        for name, value in list(ns.items()):
            if type(name) is not str:
                # globals()[S('x')] = … with a str subclass: its overridden methods never run.
                if not is_sub(type(name), str):
                    continue
                name = str.__str__(name)
            if name.startswith('_') or name in IPYTHON_NAMES:
                continue
            if name in hidden and hidden[name] is value:
                continue
            if issubclass(type(value), types.ModuleType):
                continue
            out.append((name, value))
        return out

    def _snapshot(self, names, deep, deadline):
        """name -> (id, fingerprint, deep). Names outside `deep` keep only their identity: the
        scoping rule says the cell cannot change them in place."""
        snapshot = {}
        for name, value in names:
            if name in deep:
                remaining = deadline - time.perf_counter()
                fp = guarded_fingerprint(value, True, remaining, None if self.full_detection else self.hasher) if remaining > 0 else ('skipped',)
                snapshot[name] = (id(value), fp, True)
            else:
                snapshot[name] = (id(value), None, False)
        return snapshot

    def post_run_cell(self, result):
        state = self.current
        self.current = None
        if state is None:
            self.hasher.cell_ended()
            return
        self.in_hook = True
        t_end = time.perf_counter()
        forget_samples()
        self._start_memory()
        HashMemo.begin()
        if state.get('reach') is None:
            HashMemo.forget()
        else:
            # Whatever this cell may have changed is hashed afresh (and kept again) below.
            HashMemo.invalidate(state['reach'] - state['protected'])
        try:
            record = self._build_record(state, result, t_end)
            self.seq += 1
            record['seq'] = self.seq
            if len(self.buffer) == self.buffer.maxlen:
                self.dropped += 1
            self.buffer.append(record)
            for name, value in state.get('deferred') or ():
                if not self.hasher.submit(self.seq, name, value, exact_stats):
                    self.patches.append({'seq': self.seq, 'name': name, 'abandoned': True})
            self.patches.extend(self.hasher.drain())
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: B036 - the execution is still recorded, with the reason
            self._append_fallback(state, result, t_end, _reason('values not recorded: the post-cell hook failed', exc))
        finally:
            HashMemo.end(keep=not self.full_detection)
            self._stop_memory()
            self.hasher.cell_ended()
            self.in_hook = False

    def _append_fallback(self, state, result, t_end, reason):
        try:
            exc = getattr(result, 'error_in_exec', None) or getattr(result, 'error_before_exec', None)
            self.seq += 1
            if len(self.buffer) == self.buffer.maxlen:
                self.dropped += 1
            self.buffer.append({
                'seq': self.seq, 'code': state['code'], 'executionCount': getattr(result, 'execution_count', None),
                'success': exc is None,
                'error': None if exc is None else {'type': type_qualname(type(exc)), 'message': safe_message(exc)},
                'startedAt': state['startedAt'], 'durationMs': round((t_end - state['t0']) * 1000, 3),
                'recorderMs': 0, 'values': [], 'files': [], 'recorderError': reason,
            })
        except KeyboardInterrupt:
            raise
        except BaseException:  # noqa: B036
            self.dropped += 1

    def _build_record(self, state, result, t_end):
        error = None
        exc = getattr(result, 'error_in_exec', None) or getattr(result, 'error_before_exec', None)
        if exc is not None:
            error = {'type': type_qualname(type(exc)), 'message': safe_message(exc)}
        post_start = time.perf_counter()
        problems = []
        values = self._changed_values(state, post_start + CHANGE_BUDGET_S, problems) if state['before'] is not None else []
        files = self._finish_files(state)
        post_ms = (time.perf_counter() - post_start) * 1000
        recorder_ms = state['preMs'] + post_ms
        info = getattr(result, 'info', None)
        code = getattr(info, 'raw_cell', None)
        if state.get('recorderError'):
            problems.insert(0, state['recorderError'])
        record = {
            'code': code if isinstance(code, str) else state['code'],
            'executionCount': getattr(result, 'execution_count', None),
            'success': exc is None,
            'error': error,
            'startedAt': state['startedAt'],
            'durationMs': round((t_end - state['t0']) * 1000, 3),
            'recorderMs': round(recorder_ms, 3),
            'values': values,
            'files': files,
        }
        identities = object_identities(self._user_names(), [v['name'] for v in values])
        if identities:
            record['identities'] = identities
        if problems:
            record['recorderError'] = '; '.join(problems)
        if self.measure_memory and state['before'] is not None:
            record['debug'] = {'preMs': round(state['preMs'], 3), 'postMs': round(post_ms, 3),
                               'fingerprinted': sum(1 for v in state['before'].values() if v[2]),
                               'hookPeakBytes': max(state['preBytes'] or 0, self._memory_peak() or 0)}
        return record

    def _changed_values(self, state, deadline, problems):
        values = []
        candidates = self._user_names()
        for name, value in candidates:
            if len(values) >= MAX_VALUES_PER_CELL:
                problems.append('more than %d values bound: the rest not recorded' % MAX_VALUES_PER_CELL)
                break
            try:
                summary = self._changed_value(state, deadline, name, value)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: B036 - one value never prevents the others
                summary = {'name': name, 'type': qualified_type(value), 'repr': '<%s>' % qualified_type(value),
                           'error': _reason('not summarised', exc)}
            if summary is not None:
                values.append(summary)
        return values

    def _changed_value(self, state, deadline, name, value):
        """The summary of one name if the cell bound or mutated it, else None."""
        before = state['before']
        stored = state['stored']
        prior = before.get(name)
        # A new name, a new object, or a name the code assigns: the cell bound it.
        # Otherwise the same object: bound only if its fingerprint changed (in-place mutation).
        mutated = False
        unchecked = False
        if prior is not None and prior[0] == id(value) and name not in stored:
            if not prior[2]:
                return None  # outside the cell's reach (scope.py): unchanged
            remaining = deadline - time.perf_counter()
            verdict = compare(prior[1], value, remaining) if remaining > 0 else 'unknown'
            if verdict == 'same':
                return None
            unchecked = verdict == 'unknown'
            mutated = True
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            summary = {'name': name, 'type': qualified_type(value), 'repr': '<%s>' % qualified_type(value),
                       'error': 'cell summary budget exhausted'}
        else:
            summary = summarize(name, value, min(SUMMARY_BUDGET_S, remaining), defer=not self.full_detection)
        if summary.get('deferred'):
            state['deferred'].append((name, value))
        if mutated:
            summary['mutated'] = True
        if unchecked:
            summary.setdefault('error', 'change check did not finish (time budget, or the background hash of this '
                                        'large value was not ready when the cell started): the value may have changed')
        return summary

    # -- files --------------------------------------------------------------------------------

    def open_and_record(self, args, kwargs):
        file = args[0] if args else kwargs.get('file')
        mode = args[1] if len(args) > 1 else kwargs.get('mode', 'r')
        path = None
        self.in_hook = True
        try:
            if isinstance(file, (str, bytes, os.PathLike)) and isinstance(mode, str) and not inside_import():
                path = os.path.abspath(os.fsdecode(os.fspath(file)))
                real = os.path.realpath(path)
                if real.startswith(self.excluded_paths):
                    path = None
            if path is not None:
                self._note_file(path, mode)
        except KeyboardInterrupt:
            raise
        except BaseException:
            pass
        finally:
            self.in_hook = False
        return ORIGINAL_OPEN(*args, **kwargs)

    def _note_file(self, path, mode):
        files = self.current['files'] if self.current is not None else None
        if files is None:
            return
        entry = files.get(path)
        kind = mode_kind(mode)
        if entry is None:
            if len(files) >= MAX_FILES_PER_CELL:
                return
            digest, _size = self.files.stat_and_hash(path)
            files[path] = {'path': path, 'mode': mode, 'kind': kind, 'hashBefore': digest}
        elif entry['kind'] != kind:
            entry['kind'] = 'readwrite'

    def _finish_files(self, state):
        out = []
        for entry in state['files'].values():
            digest, size = self.files.stat_and_hash(entry['path'])
            entry['hashAfter'] = digest
            entry['size'] = size
            out.append(entry)
        return out

    # -- host requests ------------------------------------------------------------------------

    def collect(self, max_bytes=COLLECT_MAX_BYTES, include_environment=False, flush_seconds=0):
        if flush_seconds > 0:
            self.hasher.wait_idle(flush_seconds)
        self.patches.extend(self.hasher.drain())
        records = []
        size = 0
        while self.buffer:
            record = self.buffer[0]
            encoded = json.dumps(record, ensure_ascii=True, allow_nan=False, default=str)
            if records and size + len(encoded) > max_bytes:
                break
            self.buffer.popleft()
            records.append(encoded)
            size += len(encoded)
        dropped, self.dropped = self.dropped, 0
        head = {
            'installed': True,
            'protocol': PROTOCOL_VERSION,
            'sessionId': self.session_id,
            'startedAt': self.started_at,
            'dropped': dropped,
            'more': bool(self.buffer),
            'pendingHashes': self.hasher.pending(),
        }
        if include_environment:
            head['environment'] = environment(self.kernel_name)
        # A patch never goes out before its record: those of records still buffered wait.
        first_buffered = self.buffer[0]['seq'] if self.buffer else None
        patches, kept = [], []
        while self.patches:
            patch = self.patches.popleft()
            (kept if first_buffered is not None and patch['seq'] >= first_buffered else patches).append(patch)
        self.patches.extend(kept)
        head['patches'] = patches
        encoded_head = json.dumps(head, ensure_ascii=True, allow_nan=False, default=str)
        return encoded_head[:-1] + ', "records": [' + ', '.join(records) + ']}'


def _reason(what, exc):
    return '%s (%s: %s)' % (what, qualified_type(exc), safe_message(exc))
