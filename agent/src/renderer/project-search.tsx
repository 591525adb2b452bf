// Entry of the "Other project…" search window.
import { createRoot } from 'react-dom/client';
import '@sealtime/shared/ui/base.css';
import './pages.css';
import { windowBridge } from './bridge.js';
import { ProjectSearch } from './ProjectSearch.js';

const root = document.getElementById('root');
if (root) createRoot(root).render(<ProjectSearch api={windowBridge()} onDone={() => window.close()} />);
