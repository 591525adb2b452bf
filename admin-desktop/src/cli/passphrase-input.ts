/**
 * Passphrases and passwords never come from a flag (they would sit in shell
 * history and in `ps`): from an environment variable named by a flag, else a
 * hidden prompt on a terminal, else one line each from piped stdin, in the
 * order the command asks for them.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AdminError } from '../admin/index.js';

export class SecretReader {
  private piped: string[] | null = null;

  constructor(
    private readonly stdin: NodeJS.ReadStream = process.stdin,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async read(label: string, envVar?: string): Promise<string> {
    if (envVar) {
      const v = this.env[envVar];
      if (v === undefined || v === '')
        throw new AdminError('bad-input', `the environment variable ${envVar} (for the ${label}) is empty or unset`);
      return v;
    }
    if (this.stdin.isTTY) return this.prompt(label);
    if (this.piped === null) this.piped = await this.readAllLines();
    const next = this.piped.shift();
    if (next === undefined || next === '')
      throw new AdminError(
        'bad-input',
        `no ${label} given: set it with the --*-env option, type it on a terminal, or pipe it on stdin`,
      );
    return next;
  }

  private async readAllLines(): Promise<string[]> {
    const chunks: Buffer[] = [];
    for await (const c of this.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  }

  private prompt(label: string): Promise<string> {
    const stderr = this.stderr;
    let muted = false;
    // echo the question, swallow what is typed
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!muted) stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: this.stdin, output, terminal: true });
    return new Promise((resolve) => {
      rl.question(`${label}: `, (answer) => {
        rl.close();
        stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  }
}
