/**
 * A view's thumbnails in one request: the core's links (/img/<token>) are
 * fetched together from /img-batch (core/image-batch.ts), each part shown
 * through an object URL, and those are revoked when the view's list changes
 * or the view leaves — so the page holds only the thumbnails on screen.
 * One request instead of one per thumbnail (a timeline's ~48 went six at a
 * time through the core). If the batch fails, the links are used as they are.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Gallery, PersonDay } from '@sealtime/shared';

/** At most this many links per request (the servers' MAX_BATCH). */
const PER_REQUEST = 200;

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
    setBatch({ urls: new Map(), failed: false });
    if (!key) return;
    const wanted = key.split('\n');
    const abort = new AbortController();
    const made: string[] = [];
    const load = async () => {
      const urls = new Map<string, string>();
      for (let i = 0; i < wanted.length; i += PER_REQUEST) {
        const chunk = wanted.slice(i, i + PER_REQUEST);
        const res = await fetch(`/img-batch?t=${chunk.map(tokenOf).join('.')}`, { signal: abort.signal });
        if (!res.ok) throw new Error(`image batch: ${res.status}`);
        const form = await res.formData();
        for (const link of chunk) {
          const part = form.get(tokenOf(link)!);
          if (!(part instanceof Blob)) continue; // not served (expired): the view shows its placeholder
          const url = URL.createObjectURL(part);
          made.push(url);
          urls.set(link, url);
        }
      }
      return urls;
    };
    load().then(
      (urls) => {
        if (!abort.signal.aborted) setBatch({ urls, failed: false });
      },
      () => {
        if (!abort.signal.aborted) setBatch({ urls: new Map(), failed: true });
      },
    );
    return () => {
      abort.abort();
      for (const u of made) URL.revokeObjectURL(u);
    };
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
