/**
 * Data tables for JavaScript/TypeScript cells: which names are globals, which method calls change
 * their receiver, which receivers are modules, and which calls read or write files. Kept as data
 * so they can be read and extended without touching the analyser.
 */

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter((w) => w.length > 0));

/** Globals of ECMAScript, Node, browsers, Deno and common notebook kernels (tslab, Deno Jupyter). */
export const SCRIPT_GLOBALS: ReadonlySet<string> = words(`
  globalThis undefined NaN Infinity arguments
  Object Function Array Number Boolean String Symbol BigInt Math JSON Date RegExp Promise Proxy Reflect
  Map Set WeakMap WeakSet WeakRef FinalizationRegistry ArrayBuffer SharedArrayBuffer DataView Atomics
  Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array
  Float64Array BigInt64Array BigUint64Array Intl Iterator AsyncIterator
  Error EvalError RangeError ReferenceError SyntaxError TypeError URIError AggregateError
  parseInt parseFloat isNaN isFinite eval encodeURI encodeURIComponent decodeURI decodeURIComponent
  escape unescape
  console process require module exports __dirname __filename Buffer global
  setTimeout clearTimeout setInterval clearInterval setImmediate clearImmediate queueMicrotask
  structuredClone fetch Request Response Headers FormData URL URLSearchParams AbortController
  AbortSignal TextEncoder TextDecoder Blob File ReadableStream WritableStream TransformStream
  Event EventTarget MessageChannel BroadcastChannel WebAssembly crypto performance atob btoa
  window self document navigator location localStorage sessionStorage alert prompt confirm
  Deno Bun display
`);

/** Methods that change the object they are called on (arrays, maps, sets, typed arrays, dates). */
export const MUTATING_METHODS: ReadonlySet<string> = words(`
  push pop shift unshift splice sort reverse fill copyWithin set add delete clear
  setFullYear setMonth setDate setHours setMinutes setSeconds setMilliseconds setTime
  setUTCFullYear setUTCMonth setUTCDate setUTCHours setUTCMinutes setUTCSeconds setUTCMilliseconds
`);

/** Methods known not to change their receiver; any other method call on a name is a mutation. */
export const NON_MUTATING_METHODS: ReadonlySet<string> = words(`
  map filter reduce reduceRight slice concat join includes indexOf lastIndexOf find findIndex
  findLast findLastIndex forEach toString toLocaleString valueOf toJSON get has keys values entries
  at flat flatMap some every toFixed toPrecision toExponential then catch finally
  toSorted toReversed toSpliced with
  split trim trimStart trimEnd toUpperCase toLowerCase startsWith endsWith padStart padEnd
  charAt charCodeAt codePointAt substring substr replace replaceAll match matchAll search
  localeCompare normalize repeat
  getTime getFullYear getMonth getDate getDay getHours getMinutes getSeconds getMilliseconds
  getUTCFullYear getUTCMonth getUTCDate getUTCDay getUTCHours getUTCMinutes getUTCSeconds
  toISOString toDateString toTimeString toUTCString toLocaleDateString toLocaleTimeString
  hasOwnProperty isPrototypeOf propertyIsEnumerable call apply bind test exec
  json text blob arrayBuffer clone
`);

/**
 * `Object.assign(target, …)`-style static functions of globals that change their first argument.
 */
export const FIRST_ARGUMENT_MUTATORS: ReadonlySet<string> = words(`
  Object.assign Object.defineProperty Object.defineProperties Object.setPrototypeOf
  Object.freeze Object.seal Object.preventExtensions
  Reflect.set Reflect.defineProperty Reflect.deleteProperty Reflect.setPrototypeOf
`);

/** Conventional names of modules (Node built-ins and their usual aliases): calls on them are not mutations. */
export const MODULE_NAMES: ReadonlySet<string> = words(`
  fs fsp path os util crypto http https url zlib stream events child_process assert readline
  buffer net dns worker_threads perf_hooks timers querystring vm v8
`);

/** Functions (last name of the callee) whose first argument is a path the call reads. */
export const FILE_READERS: ReadonlySet<string> = words(`
  readFileSync readFile createReadStream readTextFile readTextFileSync readJson readJsonSync
  readJSON readCSV readExcel
`);

/** Functions (last name of the callee) whose first argument is a path the call writes. */
export const FILE_WRITERS: ReadonlySet<string> = words(`
  writeFileSync writeFile appendFileSync appendFile createWriteStream writeTextFile
  writeTextFileSync outputFile outputFileSync writeJson writeJsonSync
`);

export function isScriptGlobal(name: string): boolean {
  return SCRIPT_GLOBALS.has(name);
}
