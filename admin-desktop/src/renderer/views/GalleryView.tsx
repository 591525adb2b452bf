/**
 * A day's screenshots by hour. Opening one asks the app for the full image
 * (onOpen); the overlay shows the URL it passes back, with zoom.
 */
import { useEffect, useRef, useState } from 'react';
import type { Gallery, GalleryShot } from '@sealtime/shared';
import { formatDate } from './format.js';

export type GalleryViewProps = {
  gallery: Gallery;
  onOpen: (recordId: string) => void;
  onClose: () => void;
  /** the shot shown in the overlay, or null when closed */
  openRecordId: string | null;
  /** URL of the full image (the view's link, or a one-time URL); null while it is being fetched */
  fullImageUrl: string | null;
  /** The full image loaded (the app then readies the next open), or did not (e.g. its link expired). */
  onImageShown?: () => void;
  onImageError?: () => void;
  thumbUrls?: Readonly<Record<string, string>>;
  onDate?: (date: string) => void;
  /** Deleting (admins): one screenshot, or every one of this person in a date range. */
  onDelete?: (recordId: string) => void;
  onDeleteRange?: (from: string, to: string) => void;
};

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3];

function sizeText(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

function Overlay({
  shot,
  url,
  onClose,
  onLoad,
  onError,
}: {
  shot: GalleryShot;
  url: string | null;
  onClose: () => void;
  onLoad?: (() => void) | undefined;
  onError?: (() => void) | undefined;
}) {
  const [zoomIndex, setZoomIndex] = useState(2);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const zoom = ZOOMS[zoomIndex]!;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label={`Screenshot ${shot.timeLabel}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
        if (e.key === '+' || e.key === '=') setZoomIndex((z) => Math.min(ZOOMS.length - 1, z + 1));
        if (e.key === '-') setZoomIndex((z) => Math.max(0, z - 1));
      }}
    >
      <div className="overlay-bar">
        <span>
          {shot.timeLabel} · screen {shot.screen + 1} · {shot.width}×{shot.height}
          {shot.app && ` · ${shot.app}`}
          {shot.blurred && <span className="badge badge-blurred">Blurred on the device</span>}
        </span>
        <span className="overlay-actions">
          <button
            type="button"
            onClick={() => setZoomIndex((z) => Math.max(0, z - 1))}
            disabled={zoomIndex === 0}
            aria-label="Zoom out"
          >
            −
          </button>
          <span className="zoom-value" aria-live="polite">
            {Math.round(zoom * 100)} %
          </span>
          <button
            type="button"
            onClick={() => setZoomIndex((z) => Math.min(ZOOMS.length - 1, z + 1))}
            disabled={zoomIndex === ZOOMS.length - 1}
            aria-label="Zoom in"
          >
            +
          </button>
          <button type="button" ref={closeRef} onClick={onClose}>
            Close
          </button>
        </span>
      </div>
      <div className="overlay-image">
        {url ? (
          <img
            src={url}
            alt={`Screenshot taken at ${shot.timeLabel}${shot.app ? ` showing ${shot.app}` : ''}`}
            width={Math.round(shot.width * zoom)}
            height={Math.round(shot.height * zoom)}
            onLoad={onLoad}
            onError={onError}
          />
        ) : (
          <p className="muted" role="status">
            Loading and decrypting the image…
          </p>
        )}
      </div>
    </div>
  );
}

/** Asks for a date range and says exactly what goes before anything is deleted. */
export function DeleteRangeDialog({
  name,
  date,
  onDelete,
  onCancel,
}: {
  name: string;
  date: string;
  onDelete: (from: string, to: string) => void;
  onCancel: () => void;
}) {
  const [from, setFrom] = useState(date);
  const [to, setTo] = useState(date);
  const valid = from !== '' && to !== '' && from <= to;
  return (
    <div className="delete-range" role="dialog" aria-label="Delete screenshots in a date range">
      <label>
        From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <p className="small">
        {valid
          ? `Deletes every screenshot of ${name} from ${formatDate(from)} to ${formatDate(to)}: the images and their records are purged on the server and removed from this app's replica and image cache. This cannot be undone.`
          : 'The range must start on or before its end.'}
      </p>
      <button type="button" className="danger" disabled={!valid} onClick={() => onDelete(from, to)}>
        Delete these screenshots
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

export function GalleryView({
  gallery,
  onOpen,
  onClose,
  openRecordId,
  fullImageUrl,
  onImageShown,
  onImageError,
  thumbUrls = {},
  onDate,
  onDelete,
  onDeleteRange,
}: GalleryViewProps) {
  const shots = gallery.hours.flatMap((h) => h.shots);
  const open = shots.find((s) => s.recordId === openRecordId);
  const [ranging, setRanging] = useState(false);
  return (
    <section className="view gallery" aria-labelledby="gallery-title">
      <header className="view-header">
        <div>
          <h1 id="gallery-title">Screenshots — {gallery.employeeName}</h1>
          <p className="muted">
            {formatDate(gallery.date)} · {gallery.total} screenshots
            {gallery.blurred > 0 && `, ${gallery.blurred} blurred`}
          </p>
        </div>
        {onDate && (
          <nav className="pager" aria-label="Day">
            <button type="button" onClick={() => onDate(shiftDate(gallery.date, -1))}>
              ← Previous day
            </button>
            <button type="button" onClick={() => onDate(shiftDate(gallery.date, 1))}>
              Next day →
            </button>
          </nav>
        )}
        {onDeleteRange && !ranging && (
          <button type="button" className="danger" onClick={() => setRanging(true)}>
            Delete a date range…
          </button>
        )}
      </header>
      {onDeleteRange && ranging && (
        <DeleteRangeDialog
          name={gallery.employeeName}
          date={gallery.date}
          onCancel={() => setRanging(false)}
          onDelete={(from, to) => {
            setRanging(false);
            onDeleteRange(from, to);
          }}
        />
      )}
      {gallery.hours.length === 0 && <p className="empty">No screenshots on this day.</p>}
      {gallery.hours.map((hour) => (
        <section key={hour.start} className="gallery-hour" aria-label={`${hour.label} hour`}>
          <h2>{hour.label}</h2>
          <ul className="gallery-grid">
            {hour.shots.map((s) => {
              const src = s.thumb ?? thumbUrls[s.recordId];
              return (
                <li key={s.recordId}>
                  <button
                    type="button"
                    className={s.blurred ? 'gallery-item thumb-blurred' : 'gallery-item'}
                    onClick={() => onOpen(s.recordId)}
                    aria-label={`Open screenshot ${s.timeLabel}${s.blurred ? ' (blurred)' : ''}`}
                  >
                    {src ? <img src={src} alt="" /> : <span className="thumb-placeholder">{s.label}</span>}
                    {s.blurred && <span className="badge badge-blurred">Blurred</span>}
                  </button>
                  <p className="small">
                    <strong>{s.timeLabel}</strong> · {s.app ?? 'unknown app'}
                  </p>
                  <p className="small muted">
                    Screen {s.screen + 1} · {s.width}×{s.height} · {sizeText(s.blobBytes)}
                  </p>
                  {onDelete && (
                    <button
                      type="button"
                      className="link danger small"
                      onClick={() => onDelete(s.recordId)}
                      aria-label={`Delete screenshot ${s.timeLabel}`}
                    >
                      Delete
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {open && (
        <Overlay
          key={open.recordId}
          shot={open}
          url={fullImageUrl}
          onClose={onClose}
          onLoad={onImageShown}
          onError={onImageError}
        />
      )}
    </section>
  );
}

/** The date `days` away from a 'YYYY-MM-DD' (calendar arithmetic in UTC: no zone involved). */
function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
