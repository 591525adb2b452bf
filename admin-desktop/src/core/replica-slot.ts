/**
 * The one replica a core has open: one directory per server + user, so a
 * reviewer who signs in elsewhere gets a separate replica, never a mix of two
 * organisations' records. Unlocking again as the same user reuses the open
 * store; another user's closes it first (LevelDB holds one lock per directory).
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openReplicaStore, type ReplicaStore } from './replica-store.js';

export class ReplicaSlot {
  private store: ReplicaStore | null = null;
  private key = '';

  constructor(private readonly dataDir: string) {}

  async open(server: string, user: string): Promise<ReplicaStore> {
    const key = createHash('sha256').update(`${server}\n${user}`).digest('hex').slice(0, 16);
    if (this.store && this.key === key) return this.store;
    await this.close();
    const dir = join(this.dataDir, 'replicas', key);
    await mkdir(dir, { recursive: true });
    this.store = await openReplicaStore(dir);
    this.key = key;
    return this.store;
  }

  async close(): Promise<void> {
    const s = this.store;
    this.store = null;
    this.key = '';
    await s?.close();
  }
}
