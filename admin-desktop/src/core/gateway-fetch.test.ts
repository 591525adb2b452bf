import { describe, expect, it } from 'vitest';
import { widenChangesPage } from './gateway-fetch.js';

describe('widenChangesPage', () => {
  it('asks a normal _changes page for a few rows more than the batch', () => {
    const u = new URL(widenChangesPage('http://127.0.0.1:5984/st-org-records/_changes?style=all_docs&feed=normal&since=0&limit=200'));
    expect(u.searchParams.get('limit')).toBe('216');
    expect(u.searchParams.get('since')).toBe('0');
  });
  it.each([
    ['a longpoll', 'http://h/st-org-records/_changes?feed=longpoll&since=now&limit=200'],
    ['no limit', 'http://h/st-org-records/_changes?since=0'],
    ['another endpoint', 'http://h/st-org-records/_all_docs?limit=200'],
  ])('leaves %s alone', (_what, url) => {
    expect(widenChangesPage(url)).toBe(url);
  });
});
