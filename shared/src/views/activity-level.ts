/** The colour band of an activity %: what the timeline and the tables paint. */
export type ActivityLevel = 'none' | 'low' | 'medium' | 'high';

/** null (nothing tracked) → none; 0–32 low; 33–65 medium; 66–100 high. */
export function activityLevel(percent: number | null): ActivityLevel {
  if (percent === null) return 'none';
  if (percent < 33) return 'low';
  if (percent < 66) return 'medium';
  return 'high';
}
