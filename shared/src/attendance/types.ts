/** Input types of the attendance arithmetic: what a clock records and what a schedule says. */

export type AttendanceEventType = 'clock-in' | 'clock-out' | 'break-start' | 'break-end';
export type AttendanceSource = 'agent' | 'manual' | 'kiosk' | 'correction';

export type AttendanceEvent = {
  /** epoch ms */
  at: number;
  type: AttendanceEventType;
  source: AttendanceSource;
};

/** 0 = Sunday … 6 = Saturday, as Date#getDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type ScheduledShift = {
  /** 'HH:mm' local wall time in the schedule's time zone */
  start: string;
  /** 'HH:mm' (or '24:00'); at or before `start` means the shift ends on the next day */
  end: string;
};

export type Schedule = {
  /** IANA time zone, e.g. 'Europe/Berlin' */
  timeZone: string;
  days: Partial<Record<Weekday, ScheduledShift>>;
  /** a clock-in up to this many minutes after the scheduled start is not late */
  graceMinutes: number;
  /** default: the day's scheduled length */
  dailyOvertimeAfterMinutes?: number;
};

/** Half-open [start, end) in epoch ms. */
export type TimeInterval = { start: number; end: number };
