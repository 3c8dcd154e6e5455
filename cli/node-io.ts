// The headless runner's file access: graph-relative input files and the run's output folder.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { FileResolver, OutputSink } from '../engine';

export function fsResolver(baseDir: string): FileResolver {
  const locate = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  return {
    async read(path) {
      const full = locate(path);
      try {
        return new Uint8Array(await readFile(full));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'is not readable' : (e as Error).message;
        throw new Error(`file '${path}' ${why} (looked for ${full}; relative paths start at the graph file's folder)`);
      }
    },
    async fingerprint(path) {
      const s = await stat(locate(path));
      return `${s.size}:${s.mtimeMs}:${s.ino}`;
    },
  };
}

export function folderSink(outDir: string, written: string[] = []): OutputSink & { written: string[] } {
  return {
    written,
    async write(name, bytes) {
      const full = join(outDir, name);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, bytes);
      written.push(full);
      return full;
    },
  };
}
