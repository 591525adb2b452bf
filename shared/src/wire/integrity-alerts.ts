/**
 * GET /_sealtime/api/alerts: the answer both sides speak (the server's
 * alert routes write it; the admin CLI and app read it). One definition, so a
 * change to the contract breaks the build on both sides at once.
 */

/** One integrity alert: a sealed write the gateway refused, or a stored record that no longer verifies. */
export interface IntegrityAlert {
  id: string;
  at: number;
  atIso: string;
  /** forged_record, chain_broken or record_fork. */
  code: string;
  deviceId: string | null;
  employeeId: string | null;
  db: string | null;
  seq: number | null;
  reason: string;
  /** 'refused' (the write was refused) or what else happened. */
  outcome: string | null;
  ip: string | null;
}

export interface IntegrityAlertPage {
  alerts: IntegrityAlert[];
  /** Where the next page starts (pass as `since`), when there may be more. */
  next?: number;
}
