/**
 * Device facts for reviewers (DeviceInfoPayload): host, OS, agent version,
 * number of screens, time zone. Read at start and then daily through
 * systeminformation; the screen count may come from the screenshot capture's
 * display list instead (cheaper, and the displays screenshots would cover).
 */
import type { DeviceInfoPayload } from '@sealtime/shared';
import { hostname as osHostname } from 'node:os';
import { pino, type Logger } from 'pino';
import si from 'systeminformation';
import { AGENT_VERSION } from '../version.js';
import {
  errorMessage,
  fail,
  ok,
  SerialSink,
  type CollectorError,
  type CollectorResult,
  type Sink,
} from './collector-types.js';

export interface DeviceInfoOptions {
  /** Screen count source; default: systeminformation's graphics displays. */
  screens?: () => Promise<number | undefined>;
  agentVersion?: string;
  platform?: NodeJS.Platform;
  timeZone?: string;
}

const PLATFORMS: ReadonlySet<string> = new Set(['linux', 'win32', 'darwin']);
const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

async function countScreens(): Promise<number | undefined> {
  const g = await si.graphics();
  return Array.isArray(g.displays) ? g.displays.length : undefined;
}

export async function collectDeviceInfo(options: DeviceInfoOptions = {}): Promise<CollectorResult<DeviceInfoPayload>> {
  const platform = options.platform ?? process.platform;
  if (!PLATFORMS.has(platform)) return fail('unsupported', `platform ${platform} is not supported`);
  try {
    const os = await si.osInfo();
    const parts = [os.distro, os.release].filter((p) => typeof p === 'string' && p !== '');
    const kernel = os.kernel ? ` (kernel ${os.kernel})` : '';
    const osVersion = clip(
      `${parts.join(' ') || platform}${platform === 'linux' ? kernel : os.build ? ` build ${os.build}` : ''}`,
      128,
    );
    let screens: number | undefined;
    try {
      screens = await (options.screens ?? countScreens)();
    } catch {
      screens = undefined; // unknown screens do not cost the whole record
    }
    const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    return ok({
      v: 1,
      hostname: clip(os.hostname || osHostname() || 'unknown', 255),
      platform: platform as DeviceInfoPayload['platform'],
      osVersion,
      agentVersion: clip(options.agentVersion ?? AGENT_VERSION, 64),
      screens: Math.min(16, Math.max(0, Math.trunc(screens ?? 0))),
      timeZone: clip(timeZone || 'UTC', 64),
    });
  } catch (err) {
    return fail('sample-failed', `cannot read system information: ${errorMessage(err)}`);
  }
}

export interface SystemInfoCollectorOptions extends DeviceInfoOptions {
  onInfo: Sink<DeviceInfoPayload>;
  onError?: (error: CollectorError) => void;
  logger?: Logger;
  /** Default one day. */
  intervalMs?: number | undefined;
}

/** Emits device info at start and then every `intervalMs`. */
export class SystemInfoCollector {
  private timer: NodeJS.Timeout | undefined;
  private readonly sink: SerialSink<DeviceInfoPayload>;
  private readonly onError: (error: CollectorError) => void;

  constructor(private readonly options: SystemInfoCollectorOptions) {
    const log = options.logger ?? pino({ level: 'silent' });
    this.onError = options.onError ?? ((e) => log.warn({ code: e.code }, e.message));
    this.sink = new SerialSink(options.onInfo, this.onError);
  }

  /** Resolves once the first reading has been handed on (or failed). */
  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => void this.emit(), this.options.intervalMs ?? 86_400_000);
    await this.emit();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sink.drain();
  }

  private async emit(): Promise<void> {
    const info = await collectDeviceInfo(this.options);
    if (info.ok) await this.sink.push(info.value);
    else this.onError(info.error);
  }
}
