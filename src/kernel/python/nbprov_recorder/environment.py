"""The kernel's environment: interpreter, working directory, packages in use."""

import os
import platform
import sys

from .bounds import KERNEL_PACKAGES
from .kinds import instance_dict, truncate


# What the installed distributions say, kept while no folder on sys.path changes: reading every
# distribution's metadata costs ~70 ms, and hosts ask after every run. Installing, upgrading or
# removing a package adds or removes a `*.dist-info` folder, which changes its parent's mtime.
_installed = {'signature': None, 'dists_of': {}, 'versions': {}}


def _path_signature():
    signature = []
    for entry in list(sys.path):
        if type(entry) is not str:
            continue
        try:
            signature.append((entry, os.stat(entry or '.').st_mtime_ns))
        except OSError:
            signature.append((entry, None))
    return tuple(signature)


def _installed_now(metadata):
    signature = _path_signature()
    if _installed['signature'] != signature:
        try:
            dists_of = metadata.packages_distributions()
        except Exception:
            dists_of = {}
        _installed.update(signature=signature, dists_of=dists_of, versions={})
    return _installed


def _version(metadata, installed, dist):
    versions = installed['versions']
    if dist not in versions:
        try:
            versions[dist] = metadata.version(dist)
        except Exception:
            versions[dist] = None
    return versions[dist]


def environment(kernel_name=None, max_packages=200):
    packages = {}
    stdlib = getattr(sys, 'stdlib_module_names', frozenset())
    try:
        import importlib.metadata as metadata
        installed = _installed_now(metadata)
    except Exception:
        metadata = None
        installed = {'dists_of': {}, 'versions': {}}
    dists_of = installed['dists_of']
    for name in sorted(n for n in list(sys.modules) if type(n) is str and '.' not in n and not n.startswith('_')):
        if len(packages) >= max_packages:
            break
        if name in stdlib or name in KERNEL_PACKAGES:
            continue
        version = None
        for dist in dists_of.get(name, [])[:1]:
            version = _version(metadata, installed, dist)
        if version is None:
            # From the module's own dict: a module-level __getattr__ (lazy loaders) never runs.
            v = (instance_dict(sys.modules.get(name)) or {}).get('__version__')
            version = v if isinstance(v, str) else None
        if version is not None:
            packages[name] = truncate(version, 60)
    return {
        'language': 'python',
        'languageVersion': platform.python_version(),
        'implementation': platform.python_implementation(),
        'executable': sys.executable,
        'kernelName': kernel_name,
        'cwd': os.getcwd(),
        'packages': packages,
    }
