// The one IndexedDB database of this tab (storage/db.ts).
import { CorespaceDb } from '../storage/db';

export const db = new CorespaceDb();
