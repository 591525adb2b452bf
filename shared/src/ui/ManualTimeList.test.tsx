import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { manualEntriesOf } from '../views/manual-time.js';
import { BER, at, rec, slot } from '../views/test-support/opened-records.js';
import { ManualTimeList } from './ManualTimeList.js';

const D = '2026-06-01';
const entry = (entryId: string, from: string, to: string, note: string) =>
  rec('manual-time', {
    entryId,
    start: at(D, from),
    end: at(D, to),
    note,
    approval: 'manager',
    project: { projectId: 'site' },
  });

describe('ManualTimeList', () => {
  it('shows each entry with its status and reason, the totals apart, and the overlap flag', () => {
    const entries = manualEntriesOf(
      [
        entry('a', '14:00', '15:30', 'client visit'),
        entry('b', '16:00', '16:30', 'phone call'),
        slot(at(D, '16:00'), 300),
      ],
      [
        {
          entryId: 'b',
          employeeId: 'ana',
          decision: 'rejected',
          decidedBy: 'mona',
          decidedAt: 1,
          comment: 'that was tracked',
        },
      ],
    );
    const html = renderToStaticMarkup(<ManualTimeList entries={entries} timeZone={BER} />);
    expect(html).toContain('Manual time');
    expect(html).toContain('Approved 0:00 h · pending 1:30 h');
    expect(html).toMatch(/14:00.*15:30.*1:30 h.*site.*client visit.*Pending approval/s);
    expect(html).toMatch(/phone call.*Rejected.*that was tracked.*overlaps 0:05 h of tracked activity/s);
  });
  it('renders nothing without entries', () => {
    expect(renderToStaticMarkup(<ManualTimeList entries={[]} timeZone={BER} />)).toBe('');
  });
});
