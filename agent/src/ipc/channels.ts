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

export const IpcChannel = {
  Status: 'sealtime-agent:status',
  ChooseKeyring: 'sealtime-agent:choose-keyring',
  LoadRecorded: 'sealtime-agent:load-recorded',
  ExportRecorded: 'sealtime-agent:export-recorded',
  IdlePrompt: 'sealtime-agent:idle-prompt',
  IdleAnswer: 'sealtime-agent:idle-answer',
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

export const validators: { [C in IpcChannelName]: (input: unknown) => IpcResult<Request<C>> } = {
  [IpcChannel.Status]: none,
  [IpcChannel.ChooseKeyring]: none,
  [IpcChannel.LoadRecorded]: loadRecorded,
  [IpcChannel.ExportRecorded]: none,
  [IpcChannel.IdlePrompt]: none,
  [IpcChannel.IdleAnswer]: idleAnswer,
};
