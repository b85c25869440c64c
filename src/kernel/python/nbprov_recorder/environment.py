"""The kernel's environment: interpreter, working directory, packages in use."""

import os
import platform
import sys

from .bounds import KERNEL_PACKAGES
from .kinds import instance_dict, truncate


def environment(kernel_name=None, max_packages=200):
    packages = {}
    stdlib = getattr(sys, 'stdlib_module_names', frozenset())
    try:
        import importlib.metadata as metadata
        try:
            dists_of = metadata.packages_distributions()
        except Exception:
            dists_of = {}
    except Exception:
        metadata = None
        dists_of = {}
    for name in sorted(n for n in list(sys.modules) if type(n) is str and '.' not in n and not n.startswith('_')):
        if len(packages) >= max_packages:
            break
        if name in stdlib or name in KERNEL_PACKAGES:
            continue
        version = None
        for dist in dists_of.get(name, [])[:1]:
            try:
                version = metadata.version(dist)
            except Exception:
                version = None
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
