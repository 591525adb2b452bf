/**
 * The control socket's protocol: newline-delimited JSON, one request per
 * line, one response per request, in order.
 *
 *   → {"id": 1, "cmd": "status", "args": {}}
 *   ← {"id": 1, "ok": true, "result": {...}}
 *   ← {"id": 1, "ok": false, "error": {"code": "bad-request", "message": "..."}}
 *
 * Lines are bounded; anything malformed gets an error answer, never a crash.
 */
export const MAX_LINE_BYTES = 256 * 1024;
/** Responses may carry an export: larger than requests. */
export const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

export const COMMANDS = [
  'status',
  'clock-in',
  'clock-out',
  'break-start',
  'break-end',
  'request-correction',
  'export',
  'manual-add',
  'manual-list',
  'ping',
  'track',
  'stop-tracking',
  'projects',
] as const;
export type ControlCommand = (typeof COMMANDS)[number];

export interface ControlRequest {
  id?: string | number | null;
  cmd: ControlCommand;
  args?: Record<string, unknown>;
}

export type ControlErrorCode = 'bad-request' | 'unknown-command' | 'too-large' | 'failed' | string;

export type ControlResponse =
  | { id: string | number | null; ok: true; result: unknown }
  | { id: string | number | null; ok: false; error: { code: ControlErrorCode; message: string } };

export type ParsedRequest =
  | { ok: true; request: ControlRequest }
  | { ok: false; id: string | number | null; code: ControlErrorCode; message: string };

export function parseRequest(line: string): ParsedRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, id: null, code: 'bad-request', message: 'a request is one line of JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, id: null, code: 'bad-request', message: 'a request is a JSON object {id, cmd, args}' };
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null;
  if (typeof r.cmd !== 'string') return { ok: false, id, code: 'bad-request', message: 'cmd must be a string' };
  if (!(COMMANDS as readonly string[]).includes(r.cmd))
    return {
      ok: false,
      id,
      code: 'unknown-command',
      message: `unknown command '${r.cmd.slice(0, 40)}' (known: ${COMMANDS.join(', ')})`,
    };
  if (r.args !== undefined && (typeof r.args !== 'object' || r.args === null || Array.isArray(r.args)))
    return { ok: false, id, code: 'bad-request', message: 'args must be an object' };
  return {
    ok: true,
    request: { id, cmd: r.cmd as ControlCommand, args: (r.args as Record<string, unknown> | undefined) ?? {} },
  };
}
