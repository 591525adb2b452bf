/** Atomic write of a text file only the user may read (0600 in a 0700 directory). */
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writePrivateText(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
  const tmp = join(dir, `.${process.pid}-${Date.now()}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}
