// Entry of the idle prompt page.
import { createRoot } from 'react-dom/client';
import '@sealtime/shared/ui/base.css';
import './pages.css';
import { windowBridge } from './bridge.js';
import { IdlePrompt } from './IdlePrompt.js';
import { localZone } from './local-time.js';

const root = document.getElementById('root');
if (root)
  createRoot(root).render(<IdlePrompt api={windowBridge()} timeZone={localZone()} onDone={() => window.close()} />);
