"""The background hasher: content hashes and exact statistics of large values, off the cells' critical path.

A cell's record gives a large value (sampling.py) a sampled summary marked `deferred: 'pending'`.
Its full content hash and exact statistics are computed here, in one daemon thread, only while
the kernel is idle: from the end of one cell's hooks to the start of the next cell's. A job still
running when a cell starts stops at its next chunk (4 MB, or 16,384 strings), drops its references
and starts again once the kernel is idle; so it never competes with a cell for the CPU, memory
bandwidth or the GIL, never keeps a value alive while a cell runs, and numpy's resize() never
sees an extra reference. A notebook run cell after cell with no pause leaves the work for the
end: hosts flush it (collect's `flushSeconds`) before building a trial.

Safety rests on the same rule as change detection (scope.py): a cell changes no object outside
its reach. Before a cell runs, every job whose objects it may reach is cancelled (`cancel_reaching`);
a cancelled job's result is discarded and its record gets an `abandoned` patch. A job that
finished before any such cell started hashed exactly the state its record describes, so its
hashes are also kept for the next change checks (hashing.HashMemo).

Jobs hold their value through a weak reference while queued, so a rebound value is freed as usual.
"""

import collections
import threading
import time
import weakref

from .hashing import HashMemo, JobCancelled, RegionMemo, _local, array_root, content_hash, heavy_hash
from .kinds import is_ndarray, loaded, pandas_kind
from .sampling import column_values, numpy_values


class JobPaused(BaseException):
    """A cell started: the running job stops, drops its references and is queued again."""


IDLE_GRACE_S = 0.2


class _Gone:
    pass


_gone = _Gone()
_dead_ref = weakref.ref(_gone)
del _gone


class Job:
    __slots__ = ('seq', 'name', 'ref', 'ids', 'stats_of', 'cancelled', 'done', 'idle', '__weakref__')

    def __init__(self, seq, name, obj, ids, stats_of, idle):
        self.seq = seq
        self.name = name
        self.ref = weakref.ref(obj)
        self.ids = ids
        self.stats_of = stats_of
        self.cancelled = False
        self.done = False
        self.idle = idle

    def checkpoint(self):
        if self.cancelled:
            raise JobCancelled()
        if not self.idle.is_set():
            raise JobPaused()


def memory_ids(obj):
    """Ids of the objects whose memory a job reads: the value, and the owners of its arrays'
    memory (a frame's columns, an array's base)."""
    np = loaded('numpy')
    ids = {id(obj)}
    if is_ndarray(obj):
        ids.add(id(array_root(obj)))
        return frozenset(ids)
    kind = pandas_kind(obj)
    columns = [column_values(obj, position) for position in range(obj.shape[1])] if kind == 'frame' else [obj.array]
    for values in columns:
        values = numpy_values(values)
        if values is not None:
            ids.add(id(array_root(values)))
    return frozenset(ids)


class BackgroundHasher:
    def __init__(self):
        self.lock = threading.Condition()
        self.queue = collections.deque()
        self.running = None
        self.finished = []  # (job, hash or None, stats, weak memo entries, region digests) awaiting the main thread
        self.thread = None
        self.stopped = False
        self.idle = threading.Event()
        self.idle.set()
        self.seen = {}  # id -> weak reference of every value submitted (main thread only)
        self.cells = 0  # cells started so far
        self.flushing = False

    def cell_started(self):
        """From the start of a cell's pre-run hook to the end of its post-run hook, no job runs."""
        self.idle.clear()
        self.cells += 1

    def cell_ended(self):
        self.idle.set()

    # -- main thread ----------------------------------------------------------------------------

    def submit(self, seq, name, obj, stats_of):
        """Queues the hash of obj for record `seq` (None: only kept for change checks, no patch)."""
        try:
            job = Job(seq, name, obj, memory_ids(obj), stats_of, self.idle)
        except TypeError:
            return False  # not weak-referenceable: the record keeps no hash
        if len(self.seen) > 4096:
            self.seen = {k: r for k, r in self.seen.items() if r() is not None}
        self.seen[id(obj)] = job.ref
        with self.lock:
            self.queue.append(job)
            self.lock.notify_all()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._work, name='nbprov-hasher', daemon=True)
                self.thread.start()
        return True

    def cancel_reaching(self, reach):
        """Before a cell runs: cancels the jobs reading objects it may change (`reach` None: any)."""
        with self.lock:
            for job in list(self.queue) + ([self.running] if self.running is not None else []):
                if not job.done and (reach is None or not job.ids.isdisjoint(reach)):
                    job.cancelled = True

    def release(self, reach):
        """Drops every weak reference to objects in `reach` (None: all), after cancelling their
        jobs: numpy's resize() refuses an array that has weak references."""
        self.cancel_reaching(reach)
        with self.lock:
            for job in list(self.queue):
                if job.cancelled:
                    job.ref = _dead_ref
            # A job that ended after this cell's drain: its patch stays, its kept hashes go.
            self.finished = [(job, digest, stats, {}, {}) if reach is None or not job.ids.isdisjoint(reach)
                             else (job, digest, stats, entries, regions)
                             for job, digest, stats, entries, regions in self.finished]
        self.seen = {} if reach is None else {k: r for k, r in self.seen.items() if k not in reach}
        self.wait_released()

    def wait_released(self):
        """Waits until no job runs (one chunk at most once a cell started): a cell that may resize
        an array then never finds a reference the job holds."""
        with self.lock:
            while self.running is not None:
                self.lock.wait(0.05)

    def submitted(self, obj):
        """Whether obj was ever handed to the hasher (else it predates the recorder)."""
        ref = self.seen.get(id(obj))
        return ref is not None and ref() is obj

    def drain(self):
        """Patches for the jobs that ended; keeps the hashes of the valid ones for change checks."""
        with self.lock:
            finished, self.finished = self.finished, []
        patches = []
        for job, digest, stats, entries, regions in finished:
            if job.seq is None:
                if digest is not None:
                    HashMemo.adopt(entries)
                    RegionMemo.adopt(regions)
                continue
            if digest is None:
                patches.append({'seq': job.seq, 'name': job.name, 'abandoned': True})
                continue
            HashMemo.adopt(entries)
            RegionMemo.adopt(regions)
            patch = {'seq': job.seq, 'name': job.name, 'hash': digest}
            if stats is not None:
                patch['stats'] = stats
            patches.append(patch)
        return patches

    def pending(self):
        """Recorded values whose hash is still to come (jobs kept only for change checks are not)."""
        with self.lock:
            jobs = list(self.queue) + ([self.running] if self.running is not None else [])
        return sum(1 for job in jobs if job.seq is not None)

    def wait_idle(self, seconds):
        """Waits (releasing the GIL) until every job ended, at most `seconds`."""
        deadline = time.monotonic() + max(0.0, seconds)
        with self.lock:
            self.flushing = True
            self.lock.notify_all()
            try:
                while self.queue or self.running is not None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self.lock.wait(min(remaining, 0.25))
            finally:
                self.flushing = False

    def retire(self):
        """At a re-install (whose modules may be new copies): stops this hasher and returns the
        patches it still owes: hashes it finished, `abandoned` for the jobs it will not run."""
        self.stop()
        with self.lock:
            while self.running is not None:
                self.lock.wait(0.05)
            left, self.queue = list(self.queue), collections.deque()
        patches = self.drain()
        patches.extend({'seq': job.seq, 'name': job.name, 'abandoned': True} for job in left if job.seq is not None)
        return patches

    def stop(self):
        with self.lock:
            self.stopped = True
            for job in self.queue:
                job.cancelled = True
            if self.running is not None:
                self.running.cancelled = True
            self.lock.notify_all()

    # -- background thread ----------------------------------------------------------------------

    def _settled(self):
        """Waits until the kernel has been idle for IDLE_GRACE_S (cells run back to back leave
        gaps of a few ms: a job started there would only be paused again, and compete with the
        kernel for the GIL while it reads the next request). A flush starts at once."""
        while True:
            self.idle.wait()
            cells = self.cells
            with self.lock:
                if not self.flushing:
                    self.lock.wait(IDLE_GRACE_S)
                if self.flushing or (self.idle.is_set() and self.cells == cells):
                    return

    def _work(self):
        while True:
            self._settled()
            with self.lock:
                while not self.queue and not self.stopped:
                    self.lock.wait()
                if self.stopped and not self.queue:
                    return
                if not self.idle.is_set():
                    continue
                job = self.queue.popleft()
                obj = None if job.cancelled else job.ref()
                if obj is None:
                    job.done = True
                    job.ref = _dead_ref
                    self.finished.append((job, None, None, {}, {}))
                    self.lock.notify_all()
                    continue
                self.running = job
            result = self._run(job, obj)
            del obj
            with self.lock:
                self.running = None
                if result is None and not job.cancelled:
                    self.queue.appendleft(job)  # paused by a cell: again once the kernel is idle
                else:
                    job.done = True
                    job.ref = _dead_ref  # a weak reference alone blocks numpy's resize()
                    self.finished.append((job,) + (result if result is not None and not job.cancelled else (None, None, {}, {})))
                self.lock.notify_all()
            # The result is in `finished` now; this frame must not keep it (its weak references
            # would outlive a release(), and numpy's resize() refuses any).
            del result

    def _run(self, job, obj):
        """(hash or None, stats, memo entries, region digests); None when a cell paused it."""
        _local.job = job
        _local.entries = {}
        _local.region_puts = {}
        try:
            result = heavy_hash(obj)
            job.checkpoint()
            digest = content_hash(result[0]) if not result[1] else None
            stats = job.stats_of(obj) if job.stats_of is not None else None
            job.checkpoint()
            return (digest, stats, HashMemo.weakly(_local.entries), dict(_local.region_puts))
        except JobPaused:
            return None
        except JobCancelled:
            return (None, None, {}, {})
        except BaseException:  # noqa: B036 - a failed job only means no hash for that record
            return (None, None, {}, {})
        finally:
            _local.job = None
            _local.entries = None
            _local.region_puts = None
