/** Schedule layers and people for the attendance-sheet tests, and a day as a readable row. */
import type { ScheduleLayer, WorkSchedule, WorkShift } from '../../schedule/schedule-types.js';
import { BER } from './opened-records.js';

export const weekdays = (shifts: WorkShift[]): WorkShift[][] => [[], shifts, shifts, shifts, shifts, shifts, []];
export const office: WorkSchedule = {
  effectiveFrom: '2026-01-01',
  timeZone: BER,
  week: weekdays([{ start: '09:00', end: '17:00' }]),
  breakMinutes: 30,
  graceMinutes: 5,
};
export const orgLayer = (...versions: ScheduleLayer['versions']): ScheduleLayer => ({
  level: 'organisation',
  id: 'acme',
  issuedAt: 1,
  versions,
});
export const personLayer = (id: string, ...versions: ScheduleLayer['versions']): ScheduleLayer => ({
  level: 'employee',
  id,
  issuedAt: 1,
  versions,
});
export const ana = { id: 'ana', name: 'Ana Lima', timeZone: BER };
export const row = (d: {
  date: string;
  workedMs: number;
  expectedMs: number;
  lateMs: number;
  earlyLeaveMs: number;
  overtimeMs: number;
  absent: boolean;
}) => [d.date, d.workedMs, d.expectedMs, d.lateMs, d.earlyLeaveMs, d.overtimeMs, d.absent];
