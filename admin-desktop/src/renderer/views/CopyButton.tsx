// Copies a text to the clipboard and says so; where the browser refuses
// (no permission, not a secure context) it says to select and copy by hand.
import { useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      className="secondary small"
      aria-label={label}
      onClick={() => {
        const clip = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
        if (!clip) return setState('failed');
        clip.writeText(text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy it' : 'Copy'}
    </button>
  );
}
