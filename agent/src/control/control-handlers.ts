/**
 * The commands the control socket (and the CLI, when no agent runs) carry
 * out on an agent handle. Arguments arrive as JSON from another process, so
 * each is checked here; a refusal is a ControlError with a stable code.
 */
import {
  fromBase64,
  MANUAL_NOTE_MAX,
  projectRefProblem,
  type AttendanceEventType,
  type BoxKeyPair,
  type ProjectRef,
} from '@sealtime/shared';
import type { ManualInput } from '../manual-time/manual-book.js';
import type { AttendanceResult } from '../attendance/attendance-book.js';
import type { AgentHandle } from './agent-handle.js';
import type { TrackResult, TrackingStatus } from '../tracking/tracking-commands.js';
import { ControlError, type ControlHandlers } from './control-server.js';

const EVENT_TYPES: readonly AttendanceEventType[] = ['clock-in', 'clock-out', 'break-start', 'break-end'];
const CHANGES = ['add', 'remove', 'move'] as const;

async function unwrap<T>(p: Promise<AttendanceResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new ControlError(r.error.code, r.error.message);
  return r.value;
}

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** request-correction arguments: {date, change, type, at? (ms or ISO), target?, reason}. */
export function checkCorrectionArgs(args: Record<string, unknown>) {
  const bad = (m: string): never => {
    throw new ControlError('bad-request', m);
  };
  const date =
    typeof args.date === 'string' && isRealDate(args.date) ? args.date : bad('date must be a calendar date YYYY-MM-DD');
  const change = CHANGES.find((c) => c === args.change) ?? bad(`change must be one of ${CHANGES.join(', ')}`);
  const eventType = EVENT_TYPES.find((t) => t === args.type) ?? bad(`type must be one of ${EVENT_TYPES.join(', ')}`);
  let at: number | undefined;
  if (args.at !== undefined && args.at !== null) {
    at = typeof args.at === 'number' ? args.at : typeof args.at === 'string' ? Date.parse(args.at) : NaN;
    if (!Number.isSafeInteger(at) || at < 0) bad('at must be an ISO date-time (e.g. 2026-03-02T08:30:00+01:00)');
  }
  if ((change === 'add' || change === 'move') && at === undefined) bad(`--at is required to ${change} a clock event`);
  let target: string | undefined;
  if (args.target !== undefined && args.target !== null) {
    if (typeof args.target !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}:\d{1,16}$/.test(args.target))
      bad('target must be a record id <deviceId>:<seq>');
    target = args.target as string;
  }
  if ((change === 'remove' || change === 'move') && target === undefined)
    bad(`--target (the record id) is required to ${change} a clock event`);
  const reason =
    typeof args.reason === 'string' && args.reason.trim() !== ''
      ? args.reason.trim()
      : bad('reason must be a non-empty text');
  if (reason.length > 1000) bad('reason is at most 1000 characters');
  return {
    date,
    change,
    eventType,
    reason,
    ...(at !== undefined ? { at } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}

/** manual-add arguments: {from, to (ms or ISO), note, project?, task?}. */
export function checkManualArgs(args: Record<string, unknown>): ManualInput {
  const bad = (m: string): never => {
    throw new ControlError('bad-request', m);
  };
  const time = (v: unknown, name: string): number => {
    const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
    return Number.isSafeInteger(t) && t >= 0
      ? t
      : bad(`${name} must be an ISO date-time (e.g. 2026-03-02T08:30:00+01:00)`);
  };
  const start = time(args.from, 'from');
  const end = time(args.to, 'to');
  const note =
    typeof args.note === 'string' && args.note.trim() !== '' ? args.note.trim() : bad('note must be a non-empty text');
  if (note.length > MANUAL_NOTE_MAX) bad(`note is at most ${MANUAL_NOTE_MAX} characters`);
  if (args.task !== undefined && args.project === undefined) bad('a task needs its project (--project)');
  let project: ProjectRef | undefined;
  if (args.project !== undefined) {
    const ref = { projectId: args.project, ...(args.task !== undefined ? { taskId: args.task } : {}) };
    const problem = projectRefProblem(ref);
    if (problem) bad(problem);
    project = ref as ProjectRef;
  }
  return { start, end, note, ...(project ? { project } : {}) };
}

function checkKeyPairs(raw: unknown): BoxKeyPair[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 64)
    throw new ControlError('bad-request', 'keyPairs must be a list of {publicKey, secretKey} (base64url)');
  return raw.map((k: unknown, i) => {
    const o = (k ?? {}) as Record<string, unknown>;
    const pk = fromBase64(o.publicKey, 32);
    const sk = fromBase64(o.secretKey, 32);
    if (!pk.ok || !sk.ok || pk.value.length !== 32 || sk.value.length !== 32)
      throw new ControlError('bad-request', `keyPairs[${i}] is not a pair of 32-byte keys`);
    return { publicKey: pk.value, secretKey: sk.value };
  });
}

/** A project or task name as typed: short text, or absent. */
function nameArg(x: unknown, what: string, required: boolean): string | undefined {
  if (x === undefined || x === null) {
    if (required) throw new ControlError('bad-request', `${what} is required`);
    return undefined;
  }
  if (typeof x !== 'string' || x.trim() === '' || x.length > 200)
    throw new ControlError('bad-request', `${what} must be a name or id of at most 200 characters`);
  return x;
}

async function tracked(p: Promise<TrackResult>): Promise<TrackingStatus> {
  const r = await p;
  if (!r.ok) throw new ControlError(r.error.code, r.error.message);
  return r.value;
}

export function controlHandlers(agent: AgentHandle): ControlHandlers {
  return {
    ping: async () => ({ pong: true, deviceId: agent.info.deviceId, pid: process.pid }),
    status: () => agent.status(),
    'clock-in': () => unwrap(agent.clockIn()),
    'clock-out': () => unwrap(agent.clockOut()),
    'break-start': () => unwrap(agent.breakStart()),
    'break-end': () => unwrap(agent.breakEnd()),
    'request-correction': (args) => unwrap(agent.requestCorrection(checkCorrectionArgs(args))),
    // the key pairs travel only over the 0600 socket, from the user's own CLI, and are never logged
    track: (args) => tracked(agent.track(nameArg(args.project, 'project', true)!, nameArg(args.task, 'task', false))),
    'stop-tracking': () => tracked(agent.track(null)),
    projects: (args) => agent.projects(nameArg(args.search, 'search', false)),
    'manual-add': async (args) => {
      const r = await agent.addManual(checkManualArgs(args));
      if (!r.ok) throw new ControlError(r.error.code, r.error.message);
      return r.value;
    },
    'manual-list': () => agent.listManual(),
    export: (args) => agent.exportOwnData(checkKeyPairs(args.keyPairs), args.includeImages === true),
  };
}
