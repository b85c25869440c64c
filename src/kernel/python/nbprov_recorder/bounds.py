"""Limits every recorder step keeps, shared constants, and the time bound on calls that may run user code."""

import datetime
import signal
import threading


PROTOCOL_VERSION = 1

# Bounds. Chosen so that one execution record stays well under 4 KB for ordinary cells.
MAX_BUFFERED_RECORDS = 10000
MAX_REPR_CHARS = 240
MAX_STR_VALUE_CHARS = 200
MAX_PREVIEW_ITEMS = 5
MAX_COLUMNS = 50
MAX_NAME_CHARS = 80
MAX_VALUES_PER_CELL = 60
MAX_FILES_PER_CELL = 50
MAX_HASH_ITEMS = 20000
MAX_HASH_DEPTH = 6
SMALL_CONTAINER_LEN = 64
SMALL_BUFFER_BYTES = 64 * 1024
FULL_HASH_MAX_BYTES = 256 * 1024 * 1024
SAMPLED_HASH_BYTES = 16 * 1024 * 1024
STATS_MAX_ELEMENTS = 20 * 1000 * 1000
FILE_FULL_HASH_MAX_BYTES = 1024 * 1024 * 1024
SUMMARY_BUDGET_S = 0.25
CELL_BUDGET_S = 1.0
COLLECT_MAX_BYTES = 4 * 1024 * 1024

IPYTHON_NAMES = frozenset(['In', 'Out', 'exit', 'quit', 'get_ipython', 'nbprov_recorder'])
# Packages the kernel itself imports; the environment lists what the notebook uses.
KERNEL_PACKAGES = frozenset([
    'IPython', 'ipykernel', 'ipython_genutils', 'jupyter_client', 'jupyter_core', 'traitlets', 'zmq',
    'tornado', 'comm', 'debugpy', 'prompt_toolkit', 'pygments', 'parso', 'jedi', 'pexpect', 'ptyprocess',
    'wcwidth', 'decorator', 'pickleshare', 'backcall', 'matplotlib_inline', 'nest_asyncio', 'platformdirs',
    'executing', 'asttokens', 'stack_data', 'pure_eval', 'psutil', 'entrypoints', 'nbprov_recorder',
])
SKIP_PATH_PREFIXES = ('/dev/', '/proc/', '/sys/')
INTERNAL_MARKER = '# nbprov:internal'


class SummaryTimeout(BaseException):
    """Raised by the alarm handler; a BaseException so user code's `except Exception` can't eat it."""


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


class _Deadline:
    """Bounds a call in time: SIGALRM interrupts pure-Python hangs in the main thread; elsewhere
    the call runs to completion and is only measured."""

    def __init__(self):
        self.can_alarm = hasattr(signal, 'setitimer') and hasattr(signal, 'SIGALRM')

    def call(self, seconds, fn, *args):
        if seconds <= 0:
            raise SummaryTimeout()
        if not self.can_alarm or threading.current_thread() is not threading.main_thread():
            return fn(*args)

        def on_alarm(_signum, _frame):
            raise SummaryTimeout()

        previous_handler = signal.signal(signal.SIGALRM, on_alarm)
        # The interval re-fires the alarm in case user code swallows the first one with a bare except.
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
        try:
            return fn(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
            if previous_timer[0] > 0:
                signal.setitimer(signal.ITIMER_REAL, *previous_timer)


time_bound = _Deadline()
