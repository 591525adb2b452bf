import { describe, expect, it } from 'vitest';
import { validatePayload } from './record-kinds.js';

const slot = {
  v: 2,
  start: 1,
  slotSeconds: 600,
  activeSeconds: 3,
  keyPresses: 1,
  clicks: 0,
  mouseMoves: 0,
  scrolls: 0,
};
const appEvent = { v: 1, start: 1, durationMs: 1000, app: 'code' };
const shot = {
  v: 1,
  takenAt: 1,
  screen: 0,
  width: 10,
  height: 10,
  format: 'webp',
  blurred: false,
  blobId: 'b-1',
  blobBytes: 10,
  blobHash: 'a'.repeat(64),
};

describe('tracked records carry the project inside their payload', () => {
  it.each([
    ['activity-slot', slot],
    ['app-event', appEvent],
    ['screenshot', shot],
  ] as const)('%s: without a project (older records) and with one are valid; a bad one is refused', (kind, p) => {
    expect(validatePayload(kind, p).ok).toBe(true);
    expect(validatePayload(kind, { ...p, project: { projectId: 'apollo', taskId: 'design' } }).ok).toBe(true);
    const bad = validatePayload(kind, { ...p, project: { projectId: 'apollo', extra: 1 } });
    expect(bad.ok ? 'ok' : bad.message).toMatch(/project: unknown field extra/);
    expect(validatePayload(kind, { ...p, project: 'apollo' }).ok).toBe(false);
  });
});
