// IndexedDB through Dexie: the graph library (one row per graph, the document as saved JSON), the
// last versions of each graph, and the files graphs refer to (stored once by content hash). Knows
// the graph types only; the editor decides when to save.
import Dexie, { type Table } from 'dexie';
import type { GraphDoc } from '../engine/graph/schema';

export interface GraphRow {
  id: string;
  name: string;
  doc: GraphDoc;
  updatedAt: number;
}

export interface VersionRow {
  key?: number;
  graphId: string;
  doc: GraphDoc;
  savedAt: number;
}

export interface FileRow {
  /** SHA-256 of the bytes, hex. */
  hash: string;
  name: string;
  bytes: Uint8Array;
  size: number;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

/** Versions kept per graph (older ones are dropped as new ones are saved). */
export const VERSIONS_KEPT = 20;

export class CorespaceDb extends Dexie {
  graphs!: Table<GraphRow, string>;
  versions!: Table<VersionRow, number>;
  files!: Table<FileRow, string>;
  settings!: Table<SettingRow, string>;

  constructor(name = 'corespace') {
    super(name);
    this.version(1).stores({ graphs: 'id, name, updatedAt', versions: '++key, graphId, savedAt', files: 'hash, name', settings: 'key' });
  }

  async saveGraph(id: string, doc: GraphDoc): Promise<void> {
    await this.graphs.put({ id, name: doc.name, doc, updatedAt: Date.now() });
  }

  /** Adds a version of the graph and drops those beyond VERSIONS_KEPT. */
  async addVersion(graphId: string, doc: GraphDoc): Promise<void> {
    await this.transaction('rw', this.versions, async () => {
      await this.versions.add({ graphId, doc, savedAt: Date.now() });
      const keys = await this.versions.where('graphId').equals(graphId).primaryKeys();
      if (keys.length > VERSIONS_KEPT) await this.versions.bulkDelete(keys.sort((a, b) => a - b).slice(0, keys.length - VERSIONS_KEPT));
    });
  }

  async listVersions(graphId: string): Promise<VersionRow[]> {
    return (await this.versions.where('graphId').equals(graphId).toArray()).sort((a, b) => b.savedAt - a.savedAt || b.key! - a.key!);
  }

  async deleteGraph(id: string): Promise<void> {
    await this.transaction('rw', this.graphs, this.versions, async () => {
      await this.graphs.delete(id);
      await this.versions.where('graphId').equals(id).delete();
    });
  }

  /** Stores a file once by content hash; returns the hash. */
  async putFile(name: string, bytes: Uint8Array): Promise<string> {
    const hash = await sha256Hex(bytes);
    if (!(await this.files.get(hash))) await this.files.put({ hash, name, bytes, size: bytes.length });
    return hash;
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.settings.get(key))?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.settings.put({ key, value });
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
