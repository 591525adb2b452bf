/**
 * The one outcome type of expected failures: `ok` with a value, or a coded
 * error the caller switches on. Modules name their error type
 * (`Result<T, KeyError>`); none defines its own copy of the shape.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
