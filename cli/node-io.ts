// The headless runner's file access: input files confined to the graph's folder (and the folders the
// user allowed), read only when they are regular files under the size limit; and the run's output
// folder, which nothing the graph names can write outside of.
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { FileResolver, OutputSink } from '../engine';

/** The largest input file read (2 GiB: a float64 .npy of 2²⁸ entries, the largest tensor). */
export const MAX_INPUT_BYTES = 2 ** 31;

export interface ReadPolicy {
  /** Other folders the graph may read from (the CLI's --allow-read). */
  allow?: readonly string[];
  /** Files above this many bytes are refused before they are read. */
  maxBytes?: number;
}

/** Whether `path` is `root` or lies under it (both absolute and resolved). */
export function isInside(path: string, root: string): boolean {
  const r = relative(root, path);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

const gib = (n: number): string => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} bytes`);

export function fsResolver(baseDir: string, policy: ReadPolicy = {}): FileResolver {
  const maxBytes = policy.maxBytes ?? MAX_INPUT_BYTES;
  let roots: Promise<string[]> | null = null;
  const allowedRoots = () => (roots ??= Promise.all([baseDir, ...(policy.allow ?? [])].map((d) => realpath(resolve(d)).catch(() => resolve(d)))));

  /** The real path of `path` once it is known to be inside an allowed folder. */
  async function locate(path: string): Promise<string> {
    if (path.includes('\0')) throw new Error(`file path ${JSON.stringify(path)} holds a NUL character`);
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    let real: string;
    try {
      real = await realpath(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : (e as Error).message;
      throw new Error(`file '${path}' ${why} (looked for ${full}; relative paths start at the graph file's folder)`);
    }
    const allowed = await allowedRoots();
    if (!allowed.some((root) => isInside(real, root))) {
      const via = real !== full ? ` (a link to ${real})` : '';
      throw new Error(`file '${path}'${via} is outside the graph's folder ${allowed[0]}: a graph reads only files in its own folder, so that a shared graph cannot copy your files into its output; move the file there, or allow its folder with --allow-read ${dirname(real)}`);
    }
    return real;
  }

  return {
    async read(path) {
      return readRegularFile(await locate(path), path, maxBytes);
    },
    async fingerprint(path) {
      const s = await stat(await locate(path));
      return `${s.size}:${s.mtimeMs}:${s.ino}`;
    },
  };
}

/**
 * The bytes of `real`, if it is a regular file of at most `maxBytes`; `label` names it in errors.
 * Opened without blocking (a FIFO would wait for a writer forever), then checked on the handle
 * itself, so that what is read is what was checked.
 */
export async function readRegularFile(real: string, label: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // (opening a socket gives ENXIO: it is named, as the other special files are)
    throw new Error(`file '${label}' ${code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : code === 'ENXIO' ? 'is not a regular file (a socket, or a device with nothing behind it); only regular files are read' : `cannot be opened: ${(e as Error).message}`}`);
  }
  try {
    const s = await handle.stat();
    if (s.isDirectory()) throw new Error(`file '${label}' is a folder, not a file`);
    if (!s.isFile()) throw new Error(`file '${label}' is not a regular file (${s.isFIFO() ? 'a FIFO' : s.isCharacterDevice() || s.isBlockDevice() ? 'a device' : s.isSocket() ? 'a socket' : 'a special file'}); only regular files are read`);
    if (s.size > maxBytes) throw new Error(`file '${label}' is ${gib(s.size)}, above the limit of ${gib(maxBytes)}; crop or downsample it first`);
    const bytes = new Uint8Array(s.size);
    let at = 0;
    while (at < s.size) {
      const { bytesRead } = await handle.read(bytes, at, s.size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    if (at !== s.size) throw new Error(`file '${label}' shrank while it was read (${at} of ${s.size} bytes)`);
    return bytes;
  } finally {
    await handle.close();
  }
}

export interface FolderSink extends OutputSink {
  written: string[];
  /** Writes `name` again (run.json: `running` at the start, the final status last). */
  replace(name: string, bytes: Uint8Array): Promise<string>;
}

/**
 * Every write into a run's output folder goes through here (run.json, exports, views). Files under
 * `outDir` only: a name that would land outside it (`..`, an absolute path, a folder on the way that
 * is or becomes a link) is refused, as is a second write to a file this run already wrote (two
 * exports named `same` and `same.npy`), a write onto an existing link or special file, and a write
 * onto any of the `protect`ed files (the graph itself). Each file is written whole to a temporary
 * name in its folder and renamed into place once complete, after the folders on the way are
 * checked again: a run killed mid-write leaves the previous file as it was, and a rename replaces a
 * link, it never follows one.
 */
export function folderSink(outDir: string, written: string[] = [], protect: readonly string[] = []): FolderSink {
  const root = resolve(outDir);
  const taken = new Map<string, string>(); // lower-cased path (case-insensitive file systems) → name
  let realRoot: Promise<string> | null = null;
  const rootReal = () => (realRoot ??= realpath(root));

  /** The real folder `dir` (under root), refusing one that is, or passes through, a link. */
  async function checkedFolder(name: string, dir: string): Promise<string> {
    const base = await rootReal();
    const rel = relative(root, dir);
    let at = base;
    for (const part of rel === '' ? [] : rel.split(sep)) {
      at = resolve(at, part);
      const s = await lstat(at).catch(() => null);
      if (!s || s.isSymbolicLink() || !s.isDirectory()) throw new Error(`refused to write '${name}': ${at} ${!s ? 'is gone' : s.isSymbolicLink() ? 'is a link' : 'is not a folder'} (the output folder must hold only real folders)`);
    }
    return at;
  }

  async function put(name: string, bytes: Uint8Array, again: boolean): Promise<string> {
    const full = resolve(root, name);
    if (name.includes('\0') || isAbsolute(name) || !isInside(full, root) || full === root) {
      throw new Error(`refused to write '${name}': it is not a file inside the output folder ${root}`);
    }
    const key = full.toLowerCase();
    const before = taken.get(key);
    if (before !== undefined && !again) throw new Error(`refused to write '${name}': this run already wrote ${before === name ? 'a file of that name' : `'${before}'`} (${full}); give each export its own name`);
    await makeFolder(dirname(full));
    const folder = await checkedFolder(name, dirname(full));
    const real = resolve(folder, basename(full));
    for (const p of protect) {
      const realP = await realpath(p).catch(() => resolve(p));
      if (real === realP) throw new Error(`refused to write '${name}': ${real} is the graph file itself; pick another output folder (--out)`);
    }
    const existing = await lstat(real).catch(() => null);
    if (existing && !existing.isFile()) throw new Error(`refused to write '${name}': ${real} exists and is ${existing.isSymbolicLink() ? 'a link' : 'not a regular file'}`);
    taken.set(key, name);
    // Whole, under a temporary name beside it (never following a link: O_EXCL | O_NOFOLLOW).
    const tmp = resolve(folder, `.${basename(full)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644).catch((e: Error) => {
      throw new Error(`cannot write '${name}' in ${folder}: ${writeProblem(e)}`);
    });
    try {
      try {
        await handle.writeFile(bytes);
      } finally {
        await handle.close();
      }
      // The folders on the way are checked again right before the rename: one swapped for a link
      // meanwhile is refused, and the temporary file goes.
      await checkedFolder(name, dirname(full));
      await rename(tmp, real);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => {});
      if ((e as Error).message.startsWith('refused')) throw e;
      throw new Error(`cannot write '${name}' (${real}): ${writeProblem(e as Error)}; the file there, if any, is as it was`);
    }
    if (!written.includes(real)) written.push(real);
    return real;
  }

  return {
    written,
    write: (name, bytes) => put(name, bytes, false),
    replace: (name, bytes) => put(name, bytes, true),
  };
}

/** Why a write failed, in words. */
function writeProblem(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'the disk quota is used up';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'the output folder was removed or replaced while the run wrote it';
  return e.message;
}

/**
 * Creates `dir` and the folders above it that are missing, one level at a time (Node's recursive
 * mkdir never returns on some paths under /proc), saying plainly why it cannot: a file on the way,
 * a read-only or virtual file system, no permission.
 */
export async function makeFolder(dir: string): Promise<void> {
  const full = resolve(dir);
  const missing: string[] = [];
  let at = full;
  for (;;) {
    const s = await lstat(at).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? null : Promise.reject(e)));
    if (s) {
      const real = s.isSymbolicLink() ? await stat(at).catch(() => null) : s;
      if (!real?.isDirectory()) throw new Error(`${at} is ${real ? 'a file, not a folder' : 'a broken link'}`);
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : code === 'ENOENT' ? 'that file system does not take new folders' : code === 'ENOTDIR' ? 'a file is in the way' : (e as Error).message;
      throw new Error(`cannot create the folder ${d}: ${why}`);
    }
  }
}
