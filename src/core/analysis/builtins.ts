/**
 * Names a Python 3.11+ cell can read without defining them: the `builtins` module, the module
 * globals every `__main__` has, and what IPython injects into the user namespace. Reads of these
 * go to `CellFacts.builtinUses` (unless the cell binds them first), not to `uses`.
 */
const PYTHON_BUILTINS = `
ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning
EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError
FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError
IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
OverflowError PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError
RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration
StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError
__build_class__ __debug__ __doc__ __import__ __loader__ __name__ __package__ __spec__ __builtins__
__file__
abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile
complex copyright credits delattr dict dir divmod enumerate eval exec exit filter float format
frozenset getattr globals hasattr hash help hex id input int isinstance issubclass iter len license
list locals map max memoryview min next object oct open ord pow print property quit range repr
reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip
`;

/** Names IPython puts into the user namespace of every kernel. */
const IPYTHON_NAMESPACE = `
display get_ipython In Out _ __ ___ _i _ii _iii _ih _oh _dh exit quit
`;

export const PYTHON_BUILTIN_NAMES: ReadonlySet<string> = new Set(
  `${PYTHON_BUILTINS} ${IPYTHON_NAMESPACE}`.split(/\s+/).filter((name) => name.length > 0),
);

export function isPythonBuiltin(name: string): boolean {
  return PYTHON_BUILTIN_NAMES.has(name);
}
