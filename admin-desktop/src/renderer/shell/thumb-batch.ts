/**
 * A view's thumbnails in one request: the core's links (/img/<token>) are
 * fetched together from /img-batch (core/image-batch.ts) and each part is
 * shown through an object URL, kept for the next views (KEEP) and revoked
 * when dropped or at lock. One request instead of one per thumbnail (a
 * timeline's ~48 went six at a time through the core). If the batch fails,
 * the links are used as they are.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Gallery, PersonDay } from '@sealtime/shared';

/** At most this many links per request (the servers' MAX_BATCH). */
const PER_REQUEST = 200;
/**
 * Thumbnails kept as object URLs, least recently shown dropped (and revoked)
 * first: about six person-days. A link names one thumbnail as long as views
 * show it (core/image-service.ts), so the gallery after the timeline of the
 * same day, and a day seen again, need no request and no new decode: each
 * fresh object URL was a fresh decode, and the renderer kept them all.
 */
const KEEP = 300;
const kept = new Map<string, string>();

function keep(link: string, url: string, inUse: ReadonlySet<string>): void {
  kept.delete(link);
  kept.set(link, url);
  for (const [l, u] of kept) {
    if (kept.size <= KEEP) break;
    if (inUse.has(l)) continue;
    kept.delete(l);
    URL.revokeObjectURL(u);
  }
}

/** Lock, sign-out: every thumbnail leaves the page. */
export function dropThumbs(): void {
  for (const u of kept.values()) URL.revokeObjectURL(u);
  kept.clear();
}

export interface ThumbBatch {
  /** link → object URL, for the links that arrived */
  urls: ReadonlyMap<string, string>;
  /** the batch did not load: show the links themselves */
  failed: boolean;
}

const tokenOf = (link: string) => (link.startsWith('/img/') ? link.slice(5) : null);

export function useThumbBatch(links: readonly string[]): ThumbBatch {
  const key = links.filter((l) => tokenOf(l) !== null).join('\n');
  const [batch, setBatch] = useState<ThumbBatch>({ urls: new Map(), failed: false });
  useEffect(() => {
    const wanted = key ? key.split('\n') : [];
    const inUse = new Set(wanted);
    const have = () => new Map(wanted.flatMap((l) => (kept.has(l) ? [[l, kept.get(l)!] as [string, string]] : [])));
    for (const l of wanted) if (kept.has(l)) keep(l, kept.get(l)!, inUse); // shown again: newest
    const missing = wanted.filter((l) => !kept.has(l));
    setBatch({ urls: have(), failed: false });
    if (missing.length === 0) return;
    const abort = new AbortController();
    const load = async () => {
      for (let i = 0; i < missing.length; i += PER_REQUEST) {
        const chunk = missing.slice(i, i + PER_REQUEST);
        const res = await fetch(`/img-batch?t=${chunk.map(tokenOf).join('.')}`, { signal: abort.signal });
        if (!res.ok) throw new Error(`image batch: ${res.status}`);
        const form = await res.formData();
        if (abort.signal.aborted) return;
        for (const link of chunk) {
          const part = form.get(tokenOf(link)!);
          // not served (expired): the view shows its placeholder
          if (part instanceof Blob && !kept.has(link)) keep(link, URL.createObjectURL(part), inUse);
        }
      }
    };
    load().then(
      () => {
        if (!abort.signal.aborted) setBatch({ urls: have(), failed: false });
      },
      () => {
        if (!abort.signal.aborted) setBatch({ urls: have(), failed: true });
      },
    );
    return () => abort.abort();
  }, [key]);
  return batch;
}

/** A shot with its thumbnail link swapped for the batch's object URL (none while it loads: a placeholder shows). */
function swap<T extends { thumb?: string }>(shot: T, b: ThumbBatch): T {
  if (shot.thumb === undefined || tokenOf(shot.thumb) === null) return shot;
  const url = b.urls.get(shot.thumb) ?? (b.failed ? shot.thumb : undefined);
  if (url !== undefined) return { ...shot, thumb: url };
  const { thumb: _link, ...rest } = shot;
  return rest as T;
}

/** The person-day's thumbnails, loaded as one batch. */
export function usePersonDayThumbs<T extends PersonDay>(day: T | null): T | null {
  const b = useThumbBatch(useMemo(() => (day?.screenshots ?? []).flatMap((s) => (s.thumb ? [s.thumb] : [])), [day]));
  return useMemo(
    () =>
      day && {
        ...day,
        screenshots: day.screenshots.map((s) => swap(s, b)),
        slots: day.slots.map((sl) =>
          sl.screenshots.length === 0 ? sl : { ...sl, screenshots: sl.screenshots.map((s) => swap(s, b)) },
        ),
      },
    [day, b],
  );
}

/** The gallery's thumbnails, loaded as one batch. */
export function useGalleryThumbs<T extends Gallery>(gallery: T | null): T | null {
  const b = useThumbBatch(
    useMemo(() => (gallery?.hours ?? []).flatMap((h) => h.shots.flatMap((s) => (s.thumb ? [s.thumb] : []))), [gallery]),
  );
  return useMemo(
    () => gallery && { ...gallery, hours: gallery.hours.map((h) => ({ ...h, shots: h.shots.map((s) => swap(s, b)) })) },
    [gallery, b],
  );
}
