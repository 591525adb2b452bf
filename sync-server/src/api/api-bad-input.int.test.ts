// Bad input to the API over real HTTP: each case gets a clear 4xx JSON
// error, nothing is stored, and the server keeps serving.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiFixture, type ApiFixture } from './test-support/api-fixture.js';

const API = '/_sealtime/api';

describe('API bad input', () => {
  let f: ApiFixture;
  let before: string;

  const systemSnapshot = async (): Promise<string> => {
    const res = await f.s.server.engine.nano.use('st-system').list();
    return JSON.stringify(res.rows.map((r) => [r.id, r.value]));
  };

  beforeAll(async () => {
    f = await startApiFixture();
    before = await systemSnapshot();
  });
  afterAll(async () => {
    await f?.close();
  });

  const cases: Array<[string, string, string, string | undefined, Record<string, string>, number, string]> = [
    ['malformed JSON', 'POST', 'users', '{"id": "x", ', { 'content-type': 'application/json' }, 400, 'bad_request'],
    ['a JSON array', 'POST', 'users', '[1,2]', { 'content-type': 'application/json' }, 400, 'bad_request'],
    [
      'wrong content type',
      'POST',
      'users',
      '{"id":"zed","password":"long enough password","role":"member"}',
      { 'content-type': 'text/plain' },
      415,
      'unsupported_media_type',
    ],
    ['no content type', 'POST', 'login', '{"userId":"root","password":"x"}', {}, 415, 'unsupported_media_type'],
    [
      'an unknown field',
      'POST',
      'users',
      '{"id":"zed","password":"long enough password","role":"member","isRoot":true}',
      { 'content-type': 'application/json' },
      400,
      'invalid-input',
    ],
    [
      'a wrong role',
      'POST',
      'users',
      '{"id":"zed","password":"long enough password","role":"god"}',
      { 'content-type': 'application/json' },
      400,
      'invalid-input',
    ],
    [
      'a forged user id',
      'PATCH',
      'users/..%2F..%2Fst-system',
      '{"role":"admin"}',
      { 'content-type': 'application/json' },
      400,
      'invalid-input',
    ],
    ['a forged session id', 'DELETE', 'sessions/user:root', undefined, {}, 400, 'invalid-input'],
    ['a forged device id', 'POST', 'devices/DEV%00X/revoke', undefined, {}, 400, 'invalid-input'],
    ['an unknown device', 'POST', 'devices/dev-abcdef/revoke', undefined, {}, 404, 'not-found'],
    ['an unknown endpoint', 'GET', 'nope', undefined, {}, 404, 'not_found'],
    ['a wrong method', 'PUT', 'users', undefined, {}, 405, 'method_not_allowed'],
    ['a bad query number', 'GET', 'audit?limit=-1', undefined, {}, 400, 'invalid-input'],
  ];

  it.each(cases)('%s → clear 4xx', async (_what, method, path, body, headers, status, error) => {
    const res = await fetch(`${f.url}${API}/${path}`, {
      method,
      headers: { authorization: `Bearer ${f.root}`, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const json = (await res.json()) as { error: string; reason: string };
    expect(json.error).toBe(error);
    expect(json.reason.length).toBeGreaterThan(5);
  });

  it('an oversize body is refused with 413, whether announced or streamed', async () => {
    const big = JSON.stringify({ userId: 'root', password: 'x'.repeat(70 * 1024) });
    const announced = await fetch(`${f.url}${API}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { error: string }).error).toBe('too_large');
    // chunked, without content-length: refused while reading
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${f.url}${API}/login`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(streamed).toBe(413);
  });

  it('requests without or with a forged credential are 401', async () => {
    expect((await f.request(null, 'GET', `${API}/users`)).status).toBe(401);
    expect((await f.request({ bearer: 'A'.repeat(43) }, 'GET', `${API}/users`)).status).toBe(401);
    expect((await f.request({ device: 'dev-1', credential: 'B'.repeat(43) }, 'GET', `${API}/me`)).status).toBe(401);
    const weird = await fetch(`${f.url}${API}/me`, { headers: { authorization: 'Negotiate abc' } });
    expect(weird.status).toBe(401);
  });

  it('stored nothing, and still serves', async () => {
    expect(await systemSnapshot()).toBe(before);
    expect((await f.request({ bearer: f.root }, 'GET', `${API}/me`)).status).toBe(200);
    expect((await f.login('root')).status).toBe(200);
  });
});
