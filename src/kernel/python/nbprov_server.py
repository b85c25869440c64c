"""
Launcher of the Jupyter Server that nbprov starts on 127.0.0.1 for itself.

    python3 nbprov_server.py PARENT_PID [jupyter_server arguments...]  < TOKEN

It runs jupyter_server's own ServerApp with these additions:

- The token comes on standard input (one line), never on the command line where any local user
  could read it (`ps`, /proc/PID/cmdline). It reaches jupyter_server through JUPYTER_TOKEN in this
  process only, and is removed from the environment before any kernel starts.
- With --ServerApp.port=0 the server binds a free port itself and prints it on standard output as
  `NBPROV_SERVER_PORT=N`: no port is chosen in one process and bound in another, so concurrent
  servers cannot race for one (the port is never free between choosing and binding).

- The server and its kernels end when the nbprov process PARENT_PID ends, however it ends
  (including SIGKILL): Linux sends this process SIGTERM when its parent dies (PR_SET_PDEATHSIG),
  and a watcher thread notices the parent is gone on any POSIX system. SIGTERM, SIGHUP and
  SIGINT all shut the server down with its kernels; if that takes more than a few seconds, the
  kernels' process groups are killed and the server exits anyway.
- On POSIX systems kernels talk to the server over Unix sockets (ZeroMQ's ipc transport) in a
  private directory (mode 0700) removed when the server ends, not over TCP ports: jupyter_client
  picks kernel ports by binding port 0 and closing it, and a concurrent process could take one
  before the kernel binds it; and no other local user can reach the kernel's sockets.
- Kernel websockets send without Nagle's algorithm (TCP_NODELAY). jupyter_server leaves it on,
  so every reply frame after the first waits for the client's delayed ACK (about 40 ms per execute).
"""
import os
import shutil
import signal
import sys
import tempfile
import threading

GRACE_SECONDS = 3.0
WATCH_INTERVAL_SECONDS = 0.2
PR_SET_PDEATHSIG = 1


def set_parent_death_signal(signum):
    """Asks Linux to send `signum` to this process when its parent dies. False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def enable_nodelay_on_kernel_websockets():
    """Wraps `open` of the kernel websocket handler (jupyter_server 1.x and 2.x names)."""
    handlers = []
    try:
        from jupyter_server.services.kernels.handlers import ZMQChannelsHandler

        handlers.append(ZMQChannelsHandler)
    except ImportError:
        pass
    try:
        from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

        handlers.append(KernelWebsocketHandler)
    except ImportError:
        pass
    for handler in handlers:
        original = handler.open

        def open_without_nagle(self, *args, _original=original, **kwargs):
            self.set_nodelay(True)
            return _original(self, *args, **kwargs)

        handler.open = open_without_nagle


def kernel_pids(app):
    manager = getattr(app, "kernel_manager", None)
    pids = []
    for kernel_manager in list(getattr(manager, "_kernels", {}).values()):
        provisioner = getattr(kernel_manager, "provisioner", None)
        pid = getattr(provisioner, "pid", None) or getattr(getattr(kernel_manager, "kernel", None), "pid", None)
        if isinstance(pid, int) and pid > 0:
            pids.append(pid)
    return pids


def kill_kernels(app):
    """Kernels run in their own sessions (jupyter_client starts them so): kill each whole group."""
    hard = getattr(signal, "SIGKILL", signal.SIGTERM)
    for pid in kernel_pids(app):
        try:
            if hasattr(os, "killpg"):
                os.killpg(pid, hard)
            else:
                os.kill(pid, hard)
        except OSError:
            try:
                os.kill(pid, hard)
            except OSError:
                pass


class Shutdown:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.started = False

    def request(self):
        with self.lock:
            if self.started:
                return
            self.started = True
        threading.Thread(target=self.force_after_grace, daemon=True).start()
        loop = getattr(self.app, "io_loop", None)
        if loop is None:
            self.force()
        else:
            loop.add_callback(self.app.stop)

    def force_after_grace(self):
        threading.Event().wait(GRACE_SECONDS)
        self.force()

    def force(self):
        kill_kernels(self.app)
        remove_private_dirs()
        os._exit(0)


def bound_port(app):
    """The TCP port the server's listening socket is bound to (the real one when asked for port 0)."""
    server = getattr(app, "http_server", None)
    for sock in list(getattr(server, "_sockets", {}).values()):
        try:
            address = sock.getsockname()
        except OSError:
            continue
        if isinstance(address, tuple) and len(address) >= 2 and address[1]:
            return int(address[1])
    return None


PRIVATE_DIRS = []


def kernel_transport_args():
    """
    Kernels on Unix sockets in a private directory (see the module's docstring); TCP elsewhere.
    The directory becomes the server's runtime directory (JUPYTER_RUNTIME_DIR, read while the server
    initialises; it is not configurable otherwise), which holds the kernels' connection files and
    the sockets beside them. main() removes the variable again before any kernel starts.
    """
    if os.name != "posix":
        return []
    directory = short_private_dir()
    if directory is None:
        return []
    PRIVATE_DIRS.append(directory)
    os.environ["JUPYTER_RUNTIME_DIR"] = directory
    return ["--KernelManager.transport=ipc"]


# A Unix socket path must fit in 107 bytes, and a kernel's sockets are named
# "<dir>/kernel-<36-character id>-ipc-<n>": the folder may take 56 of them.
MAX_SOCKET_DIR_CHARS = 56


def short_private_dir():
    """A private (0700) temporary folder short enough for socket paths: in the temporary directory
    the user chose (TMPDIR), else in /tmp; None when neither is short enough or writable (kernels
    then use TCP)."""
    for parent in (None, "/tmp"):
        try:
            directory = tempfile.mkdtemp(prefix="nbprov-runtime-", dir=parent)
        except OSError:
            continue
        if len(directory) <= MAX_SOCKET_DIR_CHARS:
            return directory
        shutil.rmtree(directory, ignore_errors=True)
    return None


def remove_private_dirs():
    for directory in PRIVATE_DIRS:
        shutil.rmtree(directory, ignore_errors=True)


def watch_parent(parent_pid, shutdown):
    # Once the parent is gone this process is re-parented, so getppid() changes.
    while os.getppid() == parent_pid:
        threading.Event().wait(WATCH_INTERVAL_SECONDS)
    shutdown.request()


def main(argv):
    if not argv or not argv[0].isdigit():
        sys.stderr.write("usage: nbprov_server.py PARENT_PID [jupyter_server arguments...]\n")
        return 2
    parent_pid = int(argv[0])
    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent_pid:
        return 0  # the parent died before the death signal was armed
    enable_nodelay_on_kernel_websockets()
    token = sys.stdin.readline().strip()
    if not token:
        sys.stderr.write("nbprov_server.py: no token on standard input\n")
        return 2
    os.environ["JUPYTER_TOKEN"] = token

    from jupyter_server.serverapp import ServerApp

    app = ServerApp.instance()
    previous_runtime_dir = os.environ.get("JUPYTER_RUNTIME_DIR")
    try:
        app.initialize(argv[1:] + kernel_transport_args())
    finally:
        # Both are read during initialize; kernels (started later) must not inherit them.
        os.environ.pop("JUPYTER_TOKEN", None)
        if previous_runtime_dir is None:
            os.environ.pop("JUPYTER_RUNTIME_DIR", None)
        else:
            os.environ["JUPYTER_RUNTIME_DIR"] = previous_runtime_dir
    port = bound_port(app)
    if port:
        app.port = port
        sys.stdout.write("NBPROV_SERVER_PORT=%d\n" % port)
        sys.stdout.flush()
    shutdown = Shutdown(app)
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda _signum, _frame: shutdown.request())
    threading.Thread(target=watch_parent, args=(parent_pid, shutdown), daemon=True).start()
    try:
        app.start()
    finally:
        remove_private_dirs()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
