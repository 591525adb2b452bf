/**
 * The policy's automatic clock-in when capture starts: only with attendance
 * on, autoClockIn set and nobody clocked in yet. A refusal is logged, not
 * fatal (the employee can still clock in by hand).
 */
import type { Logger } from '../store/logger.js';
import type { AttendanceBook } from './attendance-book.js';

export async function autoClockIn(
  book: AttendanceBook | undefined,
  policy: { attendance: { enabled: boolean; autoClockIn: boolean } },
  log: Logger,
): Promise<void> {
  if (!policy.attendance.enabled || !policy.attendance.autoClockIn || !book || book.status().state !== 'off') return;
  const r = await book.clockIn('agent', 'automatic clock-in at agent start');
  if (!r.ok) log.warn({ code: r.error.code }, 'automatic clock-in failed');
}
