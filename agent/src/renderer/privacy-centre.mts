/** The privacy centre page: status every few seconds, records on request, export through main's save dialog. */
import { bridge, byId, el, fillRows } from './dom.mjs';
import { statusView, type RecordedView } from './privacy-view.js';

const POLL_MS = 5000;

async function refreshStatus(): Promise<void> {
  const r = await bridge().status();
  if (!r.ok) {
    byId('headline').textContent = `Status unavailable: ${r.error.message}`;
    return;
  }
  const v = statusView(r.value);
  byId('headline').textContent = v.headline;
  fillRows(byId('backlog'), v.backlog);
  fillRows(byId('capture'), v.capture);
  fillRows(byId('device'), v.device);
  fillRows(byId('layers'), v.layers);
  byId('policy').replaceChildren(
    ...v.policy.map((p) => {
      const tr = el('tr');
      tr.append(el('td', p.path), el('td', p.value), el('td', p.source));
      return tr;
    }),
  );
}

function showRecorded(v: RecordedView): void {
  fillRows(byId('summary'), [{ label: 'Opened', value: v.exportedAt }, ...v.summary]);
  byId('chain').textContent = v.chain.ok ? `Chain intact: ${v.chain.verified} signatures verified, nothing missing or altered.` : `Chain problems (${v.chain.issues.length}): ${v.chain.issues.join(' | ')}`;
  byId('chain').className = v.chain.ok ? '' : 'problem';
  byId('records').replaceChildren(
    ...v.rows.map((r) => {
      const tr = el('tr');
      const content = el('td');
      if (r.payload !== null) content.append(el('pre', r.payload));
      if (r.problem !== null) content.append(el('span', r.problem, 'problem'));
      tr.append(el('td', String(r.seq)), el('td', r.kind), el('td', r.createdAt), content);
      return tr;
    }),
  );
  byId('omitted').textContent = v.omitted > 0 ? `${v.omitted} older record(s) not listed here; the export contains all of them.` : '';
}

function wire(): void {
  const message = byId('recorded-message');
  const pass = byId<HTMLInputElement>('passphrase');
  const exportButton = byId<HTMLButtonElement>('export');
  byId('choose').addEventListener('click', () => {
    void bridge()
      .chooseKeyring()
      .then((r) => {
        if (!r.ok) message.textContent = r.error.message;
        else if (r.value) byId('keyring').textContent = r.value.fileName;
      });
  });
  byId<HTMLFormElement>('unlock').addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = 'Opening your records…';
    const passphrase = pass.value;
    pass.value = ''; // not kept in the page longer than the request
    void bridge()
      .loadRecorded(passphrase)
      .then((r) => {
        if (!r.ok) {
          message.textContent = r.error.message;
          return;
        }
        message.textContent = '';
        exportButton.disabled = false;
        showRecorded(r.value);
      });
  });
  exportButton.addEventListener('click', () => {
    void bridge()
      .exportRecorded()
      .then((r) => {
        if (!r.ok) message.textContent = r.error.message;
        else if (r.value.saved) message.textContent = `Saved ${r.value.records} record(s) to ${r.value.fileName}.`;
      });
  });
}

wire();
void refreshStatus();
setInterval(() => void refreshStatus(), POLL_MS);
