/**
 * Small pieces shared by the CLI commands: a typed failure with an exit code,
 * secret input (file, environment or stdin, never a plain argument), and
 * scrubbing of credentials from messages.
 */
import { readFile } from 'node:fs/promises';

/** A failure to report as one line on stderr, with this exit code (2: bad usage or refused configuration). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Never print a URL's user:password. */
export function scrub(text: string): string {
  return text.replace(/\/\/[^@/\s]+@/g, '//***@');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from a terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let value = '';
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (s: string): void => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CliError('cancelled', 130));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export interface SecretSource {
  file?: string | undefined;
  envName: string;
  what: string;
  /** Ask twice on a terminal (when setting a new password). */
  confirm?: boolean;
}

/** The first line of --…-file, else $ENV, else stdin (hidden prompt on a terminal). */
export async function readSecret(src: SecretSource): Promise<string> {
  const firstLine = (s: string): string => s.split(/\r?\n/)[0] ?? '';
  if (src.file) {
    try {
      return firstLine(await readFile(src.file, 'utf8'));
    } catch (e) {
      throw new CliError(
        `cannot read the ${src.what} file ${src.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        2,
      );
    }
  }
  const env = process.env[src.envName];
  if (env) return env;
  if (!process.stdin.isTTY) return firstLine(await readAll(process.stdin));
  const value = await promptHidden(`${src.what}: `);
  if (src.confirm && (await promptHidden(`${src.what} (again): `)) !== value)
    throw new CliError('the two entries differ', 2);
  return value;
}

export function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
    throw new CliError(`--port must be 0–65535, not ${JSON.stringify(raw)}`, 2);
  return Number(raw);
}
