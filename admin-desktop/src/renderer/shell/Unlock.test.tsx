import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AdminApi } from '../../api/admin-api.js';
import { Unlock } from './Unlock.js';

// Rendering only: the API is never called.
const api = {} as AdminApi;

describe('Unlock', () => {
  it('says why the kept unlock was not used, when the core says so', () => {
    const html = renderToStaticMarkup(
      <Unlock
        api={api}
        user="ada"
        server="https://s.example"
        role="admin"
        notice="the kept unlock has expired: unlock with your passphrase"
      />,
    );
    expect(html).toMatch(
      /<p role="status" class="notice">the kept unlock has expired: unlock with your passphrase<\/p>/,
    );
  });
  it('shows no notice otherwise', () => {
    expect(renderToStaticMarkup(<Unlock api={api} user="ada" server="https://s.example" role="admin" />)).not.toContain(
      'class="notice"',
    );
  });
});
