import { describe, expect, it } from 'vitest';
import { currentError } from './compose-status.js';

describe('the sync error the status shows', () => {
  const error = { message: 'pull failed: ECONNREFUSED', at: 1_000 };
  it.each([
    ['no error', null, null, null],
    ['an error, never a success', error, null, { message: error.message, at: new Date(1_000).toISOString() }],
    ['an error after the last success', error, 500, { message: error.message, at: new Date(1_000).toISOString() }],
    ['a success after the error (the outage is over)', error, 1_500, null],
    ['a success at the same moment', error, 1_000, null],
  ] as const)('%s', (_name, last, success, shown) => {
    expect(currentError(last, success)).toEqual(shown);
  });
});
