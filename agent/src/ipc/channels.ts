/**
 * IPC between the agent's main process and its two pages (privacy centre,
 * idle prompt): channel names, payload types and a validator per channel.
 * No electron import: main, preload and renderer all type against this file.
 *
 * Every message from a renderer is untrusted input. main.ts runs the
 * channel's validator before anything else and answers a refusal as a
 * result, never by throwing across the bridge. Paths are never accepted from
 * a renderer: files are chosen in main-process dialogs.
 */
import type { Result } from '@sealtime/shared';
import type { StatusSnapshot } from './status-snapshot.js';
import type { IdleChoice, IdlePromptView } from '../tray/idle-prompt.js';
import type { RecordedView } from '../renderer/privacy-view.js';
import type { TrayTrackedRef } from '../tray/agent-port.js';
import type { ProjectListEntry } from '../tracking/project-choice.js';

export const IpcChannel = {
  Status: 'sealtime-agent:status',
  ChooseKeyring: 'sealtime-agent:choose-keyring',
  LoadRecorded: 'sealtime-agent:load-recorded',
  ExportRecorded: 'sealtime-agent:export-recorded',
  IdlePrompt: 'sealtime-agent:idle-prompt',
  IdleAnswer: 'sealtime-agent:idle-answer',
  Projects: 'sealtime-agent:projects',
  Track: 'sealtime-agent:track',
} as const;

export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

export type IpcResult<T> = Result<T, { code: string; message: string }>;

export type { StatusSnapshot } from './status-snapshot.js';

export interface LoadRecordedRequest {
  /** The key ring's passphrase: used once in main to unlock it, never stored or logged. */
  passphrase: string;
}

export interface IdleAnswerRequest {
  promptId: string;
  choice: IdleChoice;
}

/** The "Other project…" window's list: what may be tracked, and what is tracked now. */
export interface ProjectSearchList {
  projects: ProjectListEntry[];
  current: TrayTrackedRef | null;
}

/** Track this project (and task) by id, as `sealtime-agent track` does. */
export interface TrackRequest {
  projectId: string;
  taskId?: string;
}

/** Request and response of each channel (invoke/handle). */
export interface IpcContract {
  [IpcChannel.Status]: { request: null; response: StatusSnapshot };
  [IpcChannel.ChooseKeyring]: { request: null; response: { fileName: string } | null };
  [IpcChannel.LoadRecorded]: { request: LoadRecordedRequest; response: RecordedView };
  [IpcChannel.ExportRecorded]: {
    request: null;
    response: { saved: false } | { saved: true; fileName: string; records: number };
  };
  [IpcChannel.IdlePrompt]: { request: null; response: IdlePromptView | null };
  [IpcChannel.IdleAnswer]: { request: IdleAnswerRequest; response: { accepted: boolean } };
  [IpcChannel.Projects]: { request: null; response: ProjectSearchList };
  [IpcChannel.Track]: { request: TrackRequest; response: { current: TrayTrackedRef | null } };
}

export type Request<C extends IpcChannelName> = IpcContract[C]['request'];
export type Response<C extends IpcChannelName> = IpcResult<IpcContract[C]['response']>;

/** The API the preload exposes as `window.sealtimeAgent`, and nothing more. */
export interface AgentBridge {
  status(): Promise<Response<typeof IpcChannel.Status>>;
  chooseKeyring(): Promise<Response<typeof IpcChannel.ChooseKeyring>>;
  loadRecorded(passphrase: string): Promise<Response<typeof IpcChannel.LoadRecorded>>;
  exportRecorded(): Promise<Response<typeof IpcChannel.ExportRecorded>>;
  idlePrompt(): Promise<Response<typeof IpcChannel.IdlePrompt>>;
  answerIdle(promptId: string, choice: IdleChoice): Promise<Response<typeof IpcChannel.IdleAnswer>>;
  projects(): Promise<Response<typeof IpcChannel.Projects>>;
  track(projectId: string, taskId?: string): Promise<Response<typeof IpcChannel.Track>>;
}

export const MAX_PASSPHRASE = 1024;

const refuse = (message: string): { ok: false; error: { code: 'bad-request'; message: string } } => ({
  ok: false,
  error: { code: 'bad-request', message },
});

function exactObject(input: unknown, keys: readonly string[]): Record<string, unknown> | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected an object';
  const proto = Object.getPrototypeOf(input) as unknown;
  if (proto !== Object.prototype && proto !== null) return 'expected a plain object';
  const extra = Object.keys(input).filter((k) => !keys.includes(k));
  if (extra.length) return `unknown field '${extra[0]!.slice(0, 40)}'`;
  return input as Record<string, unknown>;
}

/** Channels that take no argument: the renderer sends nothing (undefined) or null. */
function none(input: unknown): IpcResult<null> {
  return input === undefined || input === null ? { ok: true, value: null } : refuse('this request takes no argument');
}

function loadRecorded(input: unknown): IpcResult<LoadRecordedRequest> {
  const o = exactObject(input, ['passphrase']);
  if (typeof o === 'string') return refuse(o);
  const p = o.passphrase;
  if (typeof p !== 'string' || p.length === 0) return refuse('passphrase must be non-empty text');
  if (p.length > MAX_PASSPHRASE) return refuse(`passphrase is longer than ${MAX_PASSPHRASE} characters`);
  return { ok: true, value: { passphrase: p } };
}

const PROMPT_ID = /^idle-[1-9][0-9]{0,9}$/;

function idleAnswer(input: unknown): IpcResult<IdleAnswerRequest> {
  const o = exactObject(input, ['promptId', 'choice']);
  if (typeof o === 'string') return refuse(o);
  if (typeof o.promptId !== 'string' || !PROMPT_ID.test(o.promptId)) return refuse('promptId is not an idle prompt id');
  if (o.choice !== 'keep' && o.choice !== 'discard') return refuse("choice must be 'keep' or 'discard'");
  return { ok: true, value: { promptId: o.promptId, choice: o.choice } };
}

/** Ids as the control socket takes them (control-handlers.ts nameArg): short, non-blank text. */
const REF_ID = /^[^\s\u0000-\u001f][^\u0000-\u001f]{0,199}$/;

function track(input: unknown): IpcResult<TrackRequest> {
  const o = exactObject(input, ['projectId', 'taskId']);
  if (typeof o === 'string') return refuse(o);
  if (typeof o.projectId !== 'string' || !REF_ID.test(o.projectId)) return refuse('projectId must be a project id');
  if (o.taskId === undefined || o.taskId === null) return { ok: true, value: { projectId: o.projectId } };
  if (typeof o.taskId !== 'string' || !REF_ID.test(o.taskId)) return refuse('taskId must be a task id');
  return { ok: true, value: { projectId: o.projectId, taskId: o.taskId } };
}

export const validators: { [C in IpcChannelName]: (input: unknown) => IpcResult<Request<C>> } = {
  [IpcChannel.Status]: none,
  [IpcChannel.ChooseKeyring]: none,
  [IpcChannel.LoadRecorded]: loadRecorded,
  [IpcChannel.ExportRecorded]: none,
  [IpcChannel.IdlePrompt]: none,
  [IpcChannel.IdleAnswer]: idleAnswer,
  [IpcChannel.Projects]: none,
  [IpcChannel.Track]: track,
};
