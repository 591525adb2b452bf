/**
 * A JSON request over real HTTP from a chosen local address (127.0.0.x:
 * Linux routes all of 127/8 to loopback), so a test can play many clients
 * that the server tells apart by address. Keep-alive per address, like a
 * browser or an agent.
 */
import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // any: tests read arbitrary JSON answers
  body: any;
}

const agents = new Map<string, Agent>();

function agentFor(localAddress: string): Agent {
  let a = agents.get(localAddress);
  if (!a) {
    a = new Agent({ keepAlive: true, maxSockets: 64, localAddress } as ConstructorParameters<typeof Agent>[0] & {
      localAddress: string;
    });
    agents.set(localAddress, a);
  }
  return a;
}

export function httpFrom(
  localAddress: string,
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(path, base);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent: agentFor(localAddress),
        headers: {
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}
