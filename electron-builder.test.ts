import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
// electron-builder's own loader and validator (the same code `electron-builder` runs before a build).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'app-builder-lib';

const apps = [
  { dir: 'agent', appId: 'app.sealtime.agent' },
  { dir: 'admin-desktop', appId: 'app.sealtime.admin' },
];

describe('electron-builder configuration', () => {
  for (const app of apps) {
    it(`${app.dir}: extends the root config and validates against electron-builder's schema`, async () => {
      const config = await getConfig(app.dir, `electron-builder.yml`, null);
      await validateConfiguration(config, new DebugLogger(false));
      expect(config.appId).toBe(app.appId);
      // targets inherited from the root file
      expect(config.win?.target).toEqual(['nsis']);
      expect(config.mac?.target).toEqual(['dmg']);
      expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    });
  }

  it('rejects an invalid option (the validator is really consulted)', async () => {
    const root = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
    // Deliberately ill-typed: this is the input the validator must refuse.
    const broken = { ...root, appId: 'x', linux: { target: 42, notAnOption: true } } as unknown as Configuration;
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/linux/);
  });
});
