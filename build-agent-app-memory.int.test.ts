/**
 * The headless agent's shebang sets glibc malloc up (AGENT_ENV in
 * scripts/build-agent-app.ts). Without it, every screenshot round left
 * libvips' freed buffers and its threads' malloc arenas resident, so the
 * agent grew by ~20 MB over its first rounds. This runs the rounds (encode a
 * busy 1280×800 capture, then its thumbnail) in a child started the way the
 * shebang starts the agent, and checks that memory stays put after the first.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AGENT_ENV, AGENT_NODE_FLAGS } from './scripts/build-agent-app.js';

const CHILD = 'agent/src/collectors/screenshot/fixtures/encode-rounds.ts';

describe('the agent launcher’s malloc settings', () => {
  it('keep screenshot rounds from growing the resident memory', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const a of AGENT_ENV) env[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...AGENT_NODE_FLAGS, '--expose-gc', '--import', 'tsx', CHILD, '8'],
      { env, timeout: 120_000 },
    );
    const anon = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { anonMb: number }).anonMb);
    expect(anon).toHaveLength(8);
    // after the first round (libvips loaded, its buffers sized) rounds cost nothing that stays
    expect(Math.max(...anon.slice(1)) - anon[0]!).toBeLessThan(5);
  }, 150_000);
});
