"""File access: hashes of files a cell opened, and which opens count as the notebook's."""

import builtins
import collections
import io
import os
import sys

from .bounds import FILE_FULL_HASH_MAX_BYTES, SKIP_PATH_PREFIXES
from .hashing import hex_digest, new_hasher


class FileHashCache:
    def __init__(self, limit=2048):
        self.entries = collections.OrderedDict()
        self.limit = limit

    def stat_and_hash(self, path):
        """(hash or None, size or None) of a file; cached by (path, size, mtime_ns)."""
        try:
            st = os.stat(path)
        except OSError:
            return None, None
        if not os.path.isfile(path):
            return None, st.st_size
        key = (path, st.st_size, st.st_mtime_ns)
        cached = self.entries.get(key)
        if cached is not None:
            self.entries.move_to_end(key)
            return cached, st.st_size
        digest = _stream_file_hash(path, st.st_size)
        if digest is not None:
            self.entries[key] = digest
            if len(self.entries) > self.limit:
                self.entries.popitem(last=False)
        return digest, st.st_size


def _stream_file_hash(path, size):
    h = new_hasher()
    chunk = 1024 * 1024
    try:
        with ORIGINAL_OPEN(path, 'rb') as f:
            if size <= FILE_FULL_HASH_MAX_BYTES:
                while True:
                    data = f.read(chunk)
                    if not data:
                        break
                    h.update(data)
                return hex_digest(h)
            # Huge files: size, head, tail and strided blocks; marked partial.
            h.update(b'size:%d' % size)
            stride = size // 64
            for i in range(64):
                f.seek(i * stride)
                h.update(f.read(chunk))
            f.seek(max(0, size - chunk))
            h.update(f.read(chunk))
            return 'partial:' + hex_digest(h)
    except OSError:
        return None


IMPORT_FRAME_FILES = frozenset(['<frozen importlib._bootstrap>', '<frozen importlib._bootstrap_external>'])


def inside_import(max_depth=200):
    """True when open() is called while a module is being imported: package data a library
    loads at import time (time zones, …) is not a file the notebook read."""
    frame = sys._getframe(2)
    depth = 0
    while frame is not None and depth < max_depth:
        if frame.f_code.co_filename in IMPORT_FRAME_FILES:
            return True
        frame = frame.f_back
        depth += 1
    return False


def mode_kind(mode):
    if '+' in mode:
        return 'readwrite'
    if any(c in mode for c in 'wax'):
        return 'write'
    return 'read'


def excluded_prefixes():
    import sysconfig
    prefixes = list(SKIP_PATH_PREFIXES)
    for key in ('stdlib', 'platstdlib', 'purelib', 'platlib'):
        try:
            p = sysconfig.get_paths().get(key)
        except Exception:
            p = None
        if p:
            prefixes.append(os.path.join(os.path.realpath(p), ''))
    try:
        import site
        for p in site.getsitepackages() + [site.getusersitepackages()]:
            prefixes.append(os.path.join(os.path.realpath(p), ''))
    except Exception:
        pass
    return tuple(sorted(set(prefixes)))


# A re-install loads this module again while the previous wrapper is still in place: unwrap it.
ORIGINAL_OPEN = getattr(builtins.open, '__nbprov_original__', builtins.open)
ORIGINAL_IO_OPEN = getattr(io.open, '__nbprov_original__', io.open)
