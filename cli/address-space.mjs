// Checked before anything else starts (plain JavaScript: it runs before tsx's loader, which itself
// instantiates WebAssembly). V8 reserves about 10 GB of address space for every WebAssembly memory
// (guard regions that make bounds checks free; almost none of it is ever used), and the CLI's
// threads (main, tsx's loader, the run worker) hold several: under `ulimit -v` / `prlimit --as` the
// first one that does not fit dies with "WebAssembly.instantiate(): Out of memory" from deep inside
// a loader, or with an uncatchable V8 fatal error. Said plainly instead, with what it takes.
import { readFileSync } from 'node:fs';

const GiB = 2 ** 30;
/** What `corespace run` reserved at most in a small run on a 2-core Linux machine (Node 20), rounded
 * up: every limit from 8 to 40 GiB failed, 48 GiB ran. */
export const NEED = 48 * GiB;
/** The same with V8's trap handler off (WebAssembly checks bounds in code, no guard regions):
 * 11 GiB failed, 12 GiB ran (each worker still reserves its code range). */
export const NEED_WITHOUT_GUARDS = 12 * GiB;
const FLAG = '--disable-wasm-trap-handler';

/** The soft address-space limit in bytes (Linux), or null when there is none or it cannot be read. */
export function addressSpaceLimit(limits = readLimits()) {
  const m = /^Max address space\s+(\S+)/m.exec(limits ?? '');
  if (!m || m[1] === 'unlimited') return null;
  const bytes = Number(m[1]);
  return Number.isFinite(bytes) ? bytes : null;
}

function readLimits() {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return null;
  }
}

const gb = (bytes) => `${(bytes / GiB).toFixed(bytes < 10 * GiB ? 1 : 0)} GiB`;

/** The message for a limit too small to start under, or null. */
export function addressSpaceProblem(limit = addressSpaceLimit(), flagged = process.execArgv.includes(FLAG) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(FLAG)) {
  if (limit === null) return null;
  const need = flagged ? NEED_WITHOUT_GUARDS : NEED;
  if (limit >= need) return null;
  return (
    `corespace: the WebAssembly memory cannot be reserved: this process may reserve at most ${gb(limit)} of address space (ulimit -v, prlimit --as), ` +
    `and Corespace needs about ${gb(need)} of it (reserved, not used: V8 sets aside about 10 GiB of address space for each WebAssembly memory${flagged ? ' or code range' : ''}). ` +
    `Raise the limit (ulimit -v unlimited)` +
    (flagged ? '.' : `, or start it with NODE_OPTIONS=${FLAG}, which needs about ${gb(NEED_WITHOUT_GUARDS)} (WebAssembly then checks bounds in code, a little slower).`)
  );
}
