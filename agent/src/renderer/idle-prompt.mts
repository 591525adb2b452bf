/** The idle prompt page: one question, keep or discard; main applies the answer (or the default after the timeout). */
import { bridge, byId } from './dom.mjs';

async function load(): Promise<void> {
  const keep = byId<HTMLButtonElement>('keep');
  const discard = byId<HTMLButtonElement>('discard');
  const r = await bridge().idlePrompt();
  if (!r.ok || !r.value) {
    byId('message').textContent = r.ok ? 'Nothing to decide.' : r.error.message;
    return;
  }
  const prompt = r.value;
  byId('message').textContent = prompt.message;
  byId('default').textContent = `Without an answer by ${new Date(prompt.answerBy).toLocaleTimeString()}, the time is ${prompt.defaultChoice === 'keep' ? 'kept' : 'discarded'} (your organisation's setting).`;
  const answer = (choice: 'keep' | 'discard') => {
    keep.disabled = discard.disabled = true;
    void bridge()
      .answerIdle(prompt.promptId, choice)
      .then((res) => {
        byId('result').textContent = !res.ok ? res.error.message : res.value.accepted ? (choice === 'keep' ? 'Kept.' : 'Discarded.') : 'This question was already answered.';
        if (res.ok) setTimeout(() => window.close(), 800);
      });
  };
  keep.addEventListener('click', () => answer('keep'));
  discard.addEventListener('click', () => answer('discard'));
  keep.disabled = discard.disabled = false;
}

void load();
