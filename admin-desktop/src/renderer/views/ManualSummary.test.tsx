import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ManualSummary } from './ManualSummary.js';

const H = 3_600_000;

describe('ManualSummary', () => {
  it('lists each person by name with approved, pending and rejected hours', () => {
    const html = renderToStaticMarkup(
      <ManualSummary
        manual={{
          totals: { approved: 2 * H, pending: H / 2, rejected: 0 },
          byRow: {
            dan: { approved: 1.5 * H, pending: 0, rejected: 0 },
            ada: { approved: H / 2, pending: H / 2, rejected: 0 },
          },
        }}
        names={new Map([['dan', 'Dan Ng']])}
      />,
    );
    expect(html).toContain('not in worked time');
    expect(html).toMatch(/data-person="ada".*ada.*0:30.*0:30.*0:00/s);
    expect(html).toMatch(/data-person="dan".*Dan Ng.*1:30.*0:00.*0:00/s);
  });
  it('shows nothing when nobody has manual time', () => {
    expect(
      renderToStaticMarkup(
        <ManualSummary manual={{ totals: { approved: 0, pending: 0, rejected: 0 }, byRow: {} }} names={new Map()} />,
      ),
    ).toBe('');
  });
});
