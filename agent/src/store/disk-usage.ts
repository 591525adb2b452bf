/** Bytes the store's directory takes on disk (LevelDB files, logs, manifests). */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // not created yet
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await directoryBytes(p);
    else if (e.isFile()) {
      // LevelDB deletes obsolete table files during compaction; a vanished file counts 0
      total += await stat(p).then(
        (s) => s.size,
        () => 0,
      );
    }
  }
  return total;
}
