import { describe, expect, it } from 'vitest';
import { loadConfig, roundOrder, roundSeconds, steadyRecordsPerAgent } from './config.js';

describe('server bench config', () => {
  it('defaults to the issue load: 500 agents, 60 s steady per mode in 12 ABBA rounds of 10 s', () => {
    const c = loadConfig([], {});
    expect(c).toMatchObject({
      agents: 500,
      durationS: 60,
      rounds: 12,
      intervalS: 10,
      warmupS: 30,
      backlog: 50,
      modes: ['gateway', 'direct'],
      profile: false,
    });
    expect(roundSeconds(c)).toBe(10);
    const abba = ['gateway', 'direct', 'direct', 'gateway'];
    expect(roundOrder(c, {})).toEqual([...abba, ...abba, ...abba]);
    // BENCH_FIRST=direct mirrors the order
    const baab = ['direct', 'gateway', 'gateway', 'direct'];
    expect(roundOrder(c, { BENCH_FIRST: 'direct' })).toEqual([...baab, ...baab, ...baab]);
  });

  it('takes CouchDB node URLs from repeated --couchdb-url, or BENCH_COUCHDB_URL separated by spaces; none: the embedded engine', () => {
    expect(loadConfig([], {}).couchdbUrls).toEqual([]);
    expect(
      loadConfig(['--couchdb-url', 'http://a:b@n1:5984', '--couchdb-url', 'http://a:b@n2:5984'], {
        BENCH_COUCHDB_URL: 'http://x',
      }).couchdbUrls,
    ).toEqual(['http://a:b@n1:5984', 'http://a:b@n2:5984']);
    expect(loadConfig([], { BENCH_COUCHDB_URL: ' http://a:b@n1:5984  http://a:b@n2:5984 ' }).couchdbUrls).toEqual([
      'http://a:b@n1:5984',
      'http://a:b@n2:5984',
    ]);
  });

  it('takes --rounds from the flag over BENCH_ROUNDS, and BENCH_ROUNDS without the flag', () => {
    expect(loadConfig(['--rounds', '4'], { BENCH_ROUNDS: '8' }).rounds).toBe(4);
    expect(loadConfig([], { BENCH_ROUNDS: '8' }).rounds).toBe(8);
    const c = loadConfig(['--rounds', '4', '--duration-s', '12'], {});
    expect(roundSeconds(c)).toBe(6);
    expect(roundOrder(c, {})).toEqual(['gateway', 'direct', 'direct', 'gateway']);
  });

  it('refuses an odd, fractional or non-positive round count with the flag named', () => {
    expect(() => loadConfig(['--rounds', '3'], {})).toThrow(/--rounds must be an even whole number/);
    expect(() => loadConfig(['--rounds', '2.5'], {})).toThrow(/--rounds/);
    expect(() => loadConfig(['--rounds', '0'], {})).toThrow(/--rounds must be a positive number/);
    expect(() => loadConfig([], { BENCH_ROUNDS: 'six' })).toThrow(/--rounds must be a positive number/);
  });

  it('runs only the chosen mode’s rounds when one mode is asked for', () => {
    const g = loadConfig(['--modes', 'gateway', '--rounds', '6'], {});
    expect(roundOrder(g, {})).toEqual(['gateway', 'gateway', 'gateway']);
    const d = loadConfig(['--modes', 'direct', '--rounds', '4'], {});
    expect(roundOrder(d, {})).toEqual(['direct', 'direct']);
    // the mode still gets --duration-s of steady time in all
    expect(roundSeconds(d) * roundOrder(d, {}).length).toBe(d.durationS);
    expect(() => loadConfig(['--modes', 'gateway,proxy'], {})).toThrow(/--modes/);
  });

  it('seals enough steady records per agent and mode for every round of that mode', () => {
    // 6 rounds of 10 s at one record per 10 s: one per round, one spare each
    // (after the 30 s warm-up's 4)
    expect(steadyRecordsPerAgent(loadConfig([], {}))).toBe(4 + 12);
    // rounds shorter than the interval still push one record each
    expect(steadyRecordsPerAgent(loadConfig(['--rounds', '4', '--duration-s', '12', '--warmup-s', '0'], {}))).toBe(4);
  });

  it('takes a warm-up of 0 (none) but not a negative one', () => {
    expect(loadConfig([], {}).warmupS).toBe(30);
    expect(loadConfig([], { BENCH_WARMUP_S: '0' }).warmupS).toBe(0);
    expect(() => loadConfig(['--warmup-s=-1'], {})).toThrow(/--warmup-s must be a non-negative number/);
    expect(() => loadConfig(['--agents', '0'], {})).toThrow(/--agents must be a positive number/);
  });
});
